"""Every HTML page of the site. URL names keep the namespace of the app whose
data a page shows ("papers:day", "community:vote", "digests:settings")."""

from django.urls import include, path
from django.views.generic import RedirectView

from dailypapers.pages import (
    account,
    comments,
    digests,
    feed,
    library,
    paper,
    profiles,
    search_page,
    submissions,
    tokens,
    votes,
)

papers_urls = [
    path("", feed.feed_latest, name="feed"),
    path("go", feed.feed_go, name="go"),
    path("trending", feed.trending, name="trending"),
    path("date/<str:day>", feed.feed_day, name="day"),
    path("week/<str:week>", feed.feed_week, name="week"),
    path("month/<str:month>", feed.feed_month, name="month"),
    # Old-style arXiv ids contain a slash ("astro-ph/0601001").
    path("<path:ref>", paper.paper_detail, name="detail"),
]

community_urls = [
    path("votes/<int:paper_id>", votes.vote, name="vote"),
    path("comments/on/<int:paper_id>", comments.comment_create, name="comment_create"),
    path("comments/<int:comment_id>/edit", comments.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete", comments.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/report", comments.comment_report, name="comment_report"),
    path("comments/<int:comment_id>/moderate", comments.comment_moderate, name="comment_moderate"),
    path("submit", submissions.submit, name="submit"),
    path("curate/<int:paper_id>", submissions.curate, name="curate"),
    path("users/<str:username>", profiles.profile, name="profile"),
]

digests_urls = [
    path("subscribe", digests.subscribe, name="subscribe"),
    path("confirm/<str:token>", digests.confirm, name="confirm"),
    path("unsubscribe/<str:token>", digests.unsubscribe, name="unsubscribe"),
    path(
        "resubscribe/<str:token>",
        digests.token_action,
        {"action": "resubscribe"},
        name="resubscribe",
    ),
    path("forget/<str:token>", digests.token_action, {"action": "forget"}, name="forget"),
    path("settings", digests.settings_page, name="settings"),
    path("preview", digests.preview, name="preview"),
]

library_urls = [
    path("for-you", library.for_you, name="for_you"),
    path("library", library.library, name="library"),
    path("library/<int:paper_id>", library.entry_action, name="entry"),
    path("library/import", library.import_page, name="import"),
    path("library/export.<str:fmt>", library.export, name="export"),
    path("follows", library.follow, name="follow"),
    path("library/collections", library.collection_new, name="collection_new"),
    path("library/collect", library.collect, name="collect"),
    path(
        "library/collections/<int:collection_id>",
        library.collection_change,
        name="collection_change",
    ),
    path("c/<str:username>/<slug:slug>", library.collection, name="collection"),
    # Names may hold dots and slashes ("J. Smith"): the rest of the path.
    path("authors/<path:name>", library.author, name="author"),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="papers:feed", permanent=False)),
    # Before papers/<ref>: "search" is not a paper.
    path("papers/search", include(([path("", search_page.search, name="search")], "search"))),
    path("papers/", include((papers_urls, "papers"))),
    path("digest/", include((digests_urls, "digests"))),
    path("settings/tokens", tokens.token_settings, name="api_tokens"),
    path("settings/delete-account", account.account_delete, name="account_delete"),
    path("about/ranking", feed.about_ranking, name="about_ranking"),
    path("", include((community_urls, "community"))),
    path("", include((library_urls, "library"))),
]
