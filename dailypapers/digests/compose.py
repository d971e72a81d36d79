"""What goes into one subscriber's digest of one period.

- The **top N** (the subscription's ``top_n``) papers featured in the period,
  in trending order (papers.trending), less those the exclude keywords
  reject.
- **For you**, for a subscriber who is a member: the period's other
  featured papers their "For you" model ranks highest (library.selectors),
  at most DIGEST_FOR_YOU, their followed authors' papers first; their
  negative keywords and "not interested" papers are left out of the whole
  digest.
- **Matches of the filters**: other papers of the period in the chosen
  categories or containing an include keyword, and the best results of each
  saved search among papers published in the period, at most
  DIGEST_MAX_MATCHES in all.

A digest with neither is not sent; ``Digest.empty_reason`` says why (the
preview page shows it). The period's featured papers are read once per
period and time zone (``PeriodPool``), so composing thousands of digests
costs one query per period, not per subscriber.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Min

from dailypapers import search
from dailypapers.core.categories import first_match
from dailypapers.digests.periods import DigestPeriod
from dailypapers.library.selectors import rank, signals_of
from dailypapers.papers.models import Listing, Paper


@dataclass
class Item:
    paper: Paper
    reason: str = ""


@dataclass
class Digest:
    period: DigestPeriod
    top: list[Item] = field(default_factory=list)
    for_you: list[Item] = field(default_factory=list)
    matches: list[Item] = field(default_factory=list)
    empty_reason: str = ""

    @property
    def papers(self) -> int:
        return len(self.top) + len(self.for_you) + len(self.matches)

    @property
    def is_empty(self) -> bool:
        return not self.papers


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[,\n]+", text.casefold()) if w.strip()]


@functools.lru_cache(maxsize=4096)
def _keyword_pattern(text: str) -> re.Pattern | None:
    words = [w.strip() for w in _words(text)]
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


class PeriodPool:
    """The featured papers of periods, read once each."""

    def __init__(self) -> None:
        self._featured: dict[tuple, list[Paper]] = {}
        self._searches: dict[tuple, list[Paper]] = {}
        self._texts: dict[int, str] = {}
        self._vectors: dict[tuple, dict] = {}

    def text(self, paper: Paper) -> str:
        """What keywords are looked for in: the title and abstract."""
        found = self._texts.get(paper.pk)
        if found is None:
            found = self._texts[paper.pk] = f"{paper.title}\n{paper.abstract}"
        return found

    def featured(self, period: DigestPeriod) -> list[Paper]:
        key = (period.starts_at, period.ends_at)
        if key not in self._featured:
            first = (
                Listing.objects.filter(
                    status=Listing.Status.FEATURED,
                    is_hidden=False,
                    submitted_at__gte=period.starts_at,
                    submitted_at__lt=period.ends_at,
                )
                .values("paper_id")
                .annotate(at=Min("submitted_at"))
                .values_list("paper_id", flat=True)
            )
            self._featured[key] = list(
                Paper.objects.filter(pk__in=first).order_by(
                    F("trending_key").desc(nulls_last=True), "-upvote_count", "pk"
                )
            )
        return self._featured[key]

    def vectors(self, period: DigestPeriod) -> dict:
        """The featured papers' vectors, for "For you" (read once a period)."""
        key = (period.starts_at, period.ends_at)
        if key not in self._vectors:
            ids = [p.pk for p in self.featured(period)]
            self._vectors[key] = search.paper_vectors(ids=ids)
        return self._vectors[key]

    def search(self, period: DigestPeriod, text: str) -> list[Paper]:
        key = (period.start, period.end, text.casefold())
        if key not in self._searches:
            query = search.SearchQuery(
                text=text, filters=search.Filters(date_from=period.start, date_to=period.end)
            )
            results = search.paper_search(
                query=query, page=1, page_size=settings.DIGEST_MAX_MATCHES
            )
            self._searches[key] = [hit.paper for hit in results.hits]
        return self._searches[key]


def compose(subscription, *, period: DigestPeriod, pool: PeriodPool | None = None) -> Digest:
    pool = pool or PeriodPool()
    digest = Digest(period=period)
    featured = pool.featured(period)
    exclude = _keyword_pattern(subscription.exclude_keywords)
    include = _keyword_pattern(subscription.include_keywords)
    categories = subscription.category_list

    haystack = pool.text
    signals = signals_of(subscription.user) if subscription.user_id else None

    def rejected(paper: Paper) -> bool:
        if signals and not signals.wanted(paper, haystack(paper)):
            return True
        return bool(exclude and exclude.search(haystack(paper)))

    allowed = [p for p in featured if not rejected(p)]
    digest.top = [Item(p, "trending") for p in allowed[: subscription.top_n]]
    seen = {item.paper.pk for item in digest.top}
    if signals and (signals.weights is not None or signals.authors or signals.categories):
        rest = [p for p in allowed if p.pk not in seen]
        picks = rank(signals, rest, pool.vectors(period))[: settings.DIGEST_FOR_YOU]
        digest.for_you = [Item(p.paper, p.reason or "for you") for p in picks]
        seen |= {item.paper.pk for item in digest.for_you}
    limit = settings.DIGEST_MAX_MATCHES

    def add(paper: Paper, reason: str) -> None:
        if paper.pk not in seen and len(digest.matches) < limit and not rejected(paper):
            seen.add(paper.pk)
            digest.matches.append(Item(paper, reason))

    for paper in allowed:
        if categories and (category := first_match(paper.category_list, categories)):
            add(paper, f"in {category}")
        elif include and (found := include.search(haystack(paper))):
            add(paper, f"mentions “{found.group(0)}”")
    # A member's followed searches count as the digest's saved searches.
    followed = signals.searches if signals else []
    for text in dict.fromkeys([*subscription.saved_searches, *followed]):
        for paper in pool.search(period, text):
            add(paper, f"matches your search “{text}”")

    if digest.is_empty:
        if not featured:
            digest.empty_reason = f"No papers were featured on the site during {period.label}."
        elif not allowed:
            digest.empty_reason = (
                f"{len(featured)} papers were featured during {period.label}, "
                "but your excluded keywords removed all of them."
            )
        else:
            digest.empty_reason = (
                "Your digest asks for no trending papers (top 0) and nothing matched "
                f"your filters during {period.label}."
            )
    return digest
