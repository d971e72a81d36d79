"""RSS 2.0 and Atom feeds (Django's syndication framework): the daily listing,
trending, an arXiv category, a search and a member's public collection. Each feed exists in both formats
(``.rss`` and ``.atom``); pages link theirs for autodiscovery."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from dailypapers import search
from dailypapers.core.site import absolute_url
from dailypapers.library.collections import collection_papers, visible_collection
from dailypapers.papers import periods, selectors
from dailypapers.papers.models import Paper

ITEMS = 50


class PaperFeed(Feed):
    """Items are papers; subclasses say which."""

    feed_type = Rss201rev2Feed

    def item_title(self, paper: Paper) -> str:
        return paper.title

    def item_description(self, paper: Paper) -> str:
        return paper.abstract

    def item_link(self, paper: Paper) -> str:
        return paper.get_absolute_url()

    def item_guid(self, paper: Paper) -> str:
        return absolute_url(paper.get_absolute_url())

    item_guid_is_permalink = True

    def item_author_name(self, paper: Paper) -> str:
        names = paper.author_names
        return ", ".join(names[:5]) + (" et al." if len(names) > 5 else "")

    def item_pubdate(self, paper: Paper):
        return getattr(paper, "featured_at", None) or paper.published_at

    def item_updateddate(self, paper: Paper):
        return paper.updated_at or paper.published_at

    def item_categories(self, paper: Paper) -> list[str]:
        return paper.category_list


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj=None):
        return self.description(obj) if callable(getattr(self, "description", None)) else None


class DailyFeed(PaperFeed):
    title = f"{settings.SITE_NAME}: daily papers"
    description = "Papers featured on the latest day, most upvoted first."

    def link(self):
        return "/papers/"

    def items(self):
        state = selectors.feed_state()
        if state.latest_day is None:
            return []
        period = periods.period_containing(periods.DAY, state.latest_day)
        listings = selectors.feed_listings(period=period)[:ITEMS]
        papers = []
        for listing in listings:
            listing.paper.featured_at = listing.submitted_at
            papers.append(listing.paper)
        return papers


class TrendingFeed(PaperFeed):
    title = f"{settings.SITE_NAME}: trending papers"
    description = (
        "Upvotes and comments, fading with time since a paper was featured (/about/ranking)."
    )

    def link(self):
        return "/papers/trending"

    def items(self):
        return list(selectors.trending_papers()[:ITEMS])


class CategoryFeed(PaperFeed):
    def get_object(self, request, category: str):
        category = category.strip()
        if (
            not category
            or len(category) > 32
            or not all(c.isalnum() or c in ".-" for c in category)
        ):
            raise Http404("Not an arXiv category.")
        return category

    def title(self, category):
        return f"{settings.SITE_NAME}: new papers in {category}"

    def description(self, category):
        return f"The newest papers in arXiv's {category}, by publication date."

    def link(self, category):
        return f"/papers/search?category={category}&sort=date"

    def items(self, category):
        return list(selectors.papers_in_category(category=category)[:ITEMS])


class SearchFeed(PaperFeed):
    def get_object(self, request):
        # A query without words is an empty feed, as it is an empty search page.
        return search.from_params(request.GET)

    def title(self, query):
        return f"{settings.SITE_NAME}: search “{query.text}”"

    def description(self, query):
        return f"The best matches for “{query.text}”, by words and by meaning."

    def link(self, query):
        from urllib.parse import urlencode

        return "/papers/search?" + urlencode(search.to_params(query))

    def items(self, query):
        return [hit.paper for hit in search.paper_search(query=query, page=1, page_size=ITEMS).hits]


class CollectionFeed(PaperFeed):
    def get_object(self, request, username: str, slug: str):
        # Feed readers are not signed in: public collections only.
        found = visible_collection(viewer=None, username=username, slug=slug)
        if found is None:
            raise Http404("No public collection here.")
        return found

    def title(self, collection):
        return f"{settings.SITE_NAME}: {collection.name}, by {collection.user.username}"

    def description(self, collection):
        return f"Papers {collection.user.username} collected in “{collection.name}”, latest added first."

    def link(self, collection):
        return f"/c/{collection.user.username}/{collection.slug}"

    def items(self, collection):
        return collection_papers(collection=collection, limit=ITEMS)


class DailyAtom(AtomMixin, DailyFeed):
    pass


class TrendingAtom(AtomMixin, TrendingFeed):
    pass


class CategoryAtom(AtomMixin, CategoryFeed):
    pass


class SearchAtom(AtomMixin, SearchFeed):
    pass


class CollectionAtom(AtomMixin, CollectionFeed):
    pass
