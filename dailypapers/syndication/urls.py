from django.urls import path, re_path

from dailypapers.syndication import downloads, feeds

app_name = "syndication"

urlpatterns = [
    path("feeds/daily.rss", feeds.DailyFeed(), name="daily_rss"),
    path("feeds/daily.atom", feeds.DailyAtom(), name="daily_atom"),
    path("feeds/trending.rss", feeds.TrendingFeed(), name="trending_rss"),
    path("feeds/trending.atom", feeds.TrendingAtom(), name="trending_atom"),
    path("feeds/category/<str:category>.rss", feeds.CategoryFeed(), name="category_rss"),
    path("feeds/category/<str:category>.atom", feeds.CategoryAtom(), name="category_atom"),
    path("feeds/search.rss", feeds.SearchFeed(), name="search_rss"),
    path("feeds/search.atom", feeds.SearchAtom(), name="search_atom"),
    path("c/<str:username>/<slug:slug>.rss", feeds.CollectionFeed(), name="collection_rss"),
    path("c/<str:username>/<slug:slug>.atom", feeds.CollectionAtom(), name="collection_atom"),
    path(
        "c/<str:username>/<slug:slug>.<str:fmt>",
        downloads.collection_citations,
        name="cite_collection",
    ),
    path("cite/day/<str:day>.<str:fmt>", downloads.day_citations, name="cite_day"),
    path("cite/search.<str:fmt>", downloads.search_citations, name="cite_search"),
    path("cite/upvotes/<str:username>.<str:fmt>", downloads.upvote_citations, name="cite_upvotes"),
    # Old-style ids hold a slash: "cite/astro-ph/0601001.bib".
    re_path(r"^cite/(?P<ref>.+)\.(?P<fmt>bib|ris)$", downloads.paper_citation, name="cite_paper"),
    # Before the pages' papers/<ref>; huggingface_hub's read_paper asks for this.
    re_path(r"^papers/(?P<ref>.+)\.md$", downloads.paper_markdown, name="paper_markdown"),
]
