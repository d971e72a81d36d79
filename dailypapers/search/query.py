"""What a reader asked for: the query text, filters and sort, read defensively.

Nothing a user types reaches SQL or an FTS parser as syntax: the text is cut
to a sane length and split into plain word tokens here; backends quote them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace

from dailypapers.core import categories as categories_

# arXiv caps an abstract at 1,920 characters: a pasted abstract fits whole.
MAX_QUERY_CHARS = 2000
SORT_RELEVANCE, SORT_DATE, SORT_UPVOTES = "relevance", "date", "upvotes"
SORTS = (SORT_RELEVANCE, SORT_DATE, SORT_UPVOTES)
MODE_HYBRID, MODE_LEXICAL, MODE_VECTOR = "hybrid", "lexical", "vector"
MODES = (MODE_HYBRID, MODE_LEXICAL, MODE_VECTOR)
# What ran for filters without words: never asked for by name.
MODE_NEWEST = "newest"

_WORD = re.compile(r"\w+", re.UNICODE)
# Categories are read from a query this long at most: one typed, not pasted.
_TYPED_CHARS = 200
# author:lecun, author:"Yann LeCun" (straight or typographic quotes).
_AUTHOR = re.compile(r"""\bauthor:\s*(?:["“”]([^"“”]*)["“”]?|(\S+))""", re.IGNORECASE)
# Function words: they match nearly every abstract, cost time and add noise
# to BM25 (measured on CACM's natural-language queries, docs/search-quality.md).
# PostgreSQL's english configuration drops the same kind of words.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn doing
    don down during each few for from further had hadn has hasn have haven having he her here
    hers herself him himself his how i if in into is isn it its itself just let me more most
    mustn my myself no nor not of off on once only or other ought our ours ourselves out over
    own same shan she should shouldn so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was wasn we were weren
    what when where which while who whom why will with won would wouldn you your yours yourself
    yourselves also may might must shall via using used use based within without whether
    s t d ll m re ve y""".split()
)


@dataclass(frozen=True)
class Filters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    categories: tuple[str, ...] = ()
    has_code: bool = False
    # Words of one author's name (``author:``), case folded.
    author: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(
            self.date_from or self.date_to or self.categories or self.has_code or self.author
        )


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = SORT_RELEVANCE
    mode: str = MODE_HYBRID

    def __post_init__(self) -> None:
        # ``author:`` is part of what was typed, wherever the query came from.
        if not self.filters.author:
            author = author_words(self.text)[:8]
            if author:
                object.__setattr__(self, "filters", replace(self.filters, author=author))
        # So is a category: "cs.CL" filters rather than asking for "cs" and "cl".
        named = self.named_categories
        if named and not set(named) <= set(self.filters.categories):
            both = tuple(dict.fromkeys((*self.filters.categories, *named)))[:20]
            object.__setattr__(self, "filters", replace(self.filters, categories=both))

    @property
    def terms(self) -> list[str]:
        """Lower-case word tokens, stopwords dropped (unless nothing else is left).

        A repeated word is kept repeated: BM25 sums over query terms, and a
        word a long query says twice matters more (measured on CACM).
        """
        words = [w.casefold() for w in _WORD.findall(self.words_text)]
        return [w for w in words if w not in STOPWORDS] or words

    @property
    def words_text(self) -> str:
        """The text that asks for words: without ``author:`` and the
        categories it names."""
        text = _AUTHOR.sub(" ", self.text)
        return categories_.without_named(text) if self.is_typed else text

    @property
    def named_categories(self) -> tuple[str, ...]:
        """The categories a typed text names ("cs.CL summarization")."""
        return categories_.named_in(self.text) if self.is_typed else ()

    @property
    def is_typed(self) -> bool:
        """Short enough to have been typed. A pasted abstract, or a paper's
        own text asking for related papers, may mention a category without
        asking for it, and is read for its words as written."""
        return len(self.text) <= _TYPED_CHARS

    @property
    def is_empty(self) -> bool:
        """Nothing asked: no words and no filter (filters alone list the
        newest papers that pass them)."""
        return not self.terms and not self.filters.active


def _folded(name: str) -> tuple[str, ...]:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return tuple(_WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c))))


def names_match(words: tuple[str, ...], name: str) -> bool:
    """Whether every word is a word of ``name``, case and accents folded:
    "lecun" matches "Yann LeCun", "scholkopf" matches "Bernhard Schölkopf"."""
    return bool(words) and set(_folded(" ".join(words))) <= set(_folded(name))


def name_words(text: str) -> tuple[str, ...]:
    """A name's words, case folded (accents kept: PostgreSQL's index of names
    keeps them)."""
    return tuple(w.casefold() for w in _WORD.findall(text))


def author_words(text: str) -> tuple[str, ...]:
    """The name an ``author:`` in ``text`` asks for, as name_words."""
    match = _AUTHOR.search(text)
    return name_words(match.group(1) or match.group(2)) if match else ()


def clean_text(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw or "")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return None


def from_params(params) -> SearchQuery:
    """A SearchQuery from request parameters (a QueryDict or a plain dict of lists/strings)."""

    def get(name: str) -> str:
        value = params.get(name, "")
        return value if isinstance(value, str) else ""

    def get_list(name: str) -> list[str]:
        if hasattr(params, "getlist"):
            values = params.getlist(name)
        else:
            value = params.get(name, [])
            values = value if isinstance(value, list) else [value]
        out = []
        for value in values:
            out += [v.strip() for v in str(value).split(",") if v.strip()]
        return out

    categories = tuple(
        dict.fromkeys(c for c in get_list("category") if categories_.is_category(c))
    )[:20]
    sort = get("sort")
    mode = get("mode")
    return SearchQuery(
        text=clean_text(get("q")),
        filters=Filters(
            date_from=_date(get("from")),
            date_to=_date(get("to")),
            categories=categories,
            has_code=get("code") in ("1", "on", "true", "yes"),
        ),
        sort=sort if sort in SORTS else SORT_RELEVANCE,
        mode=mode if mode in MODES else MODE_HYBRID,
    )


def to_params(query: SearchQuery, *, page: int = 1) -> dict[str, str]:
    """The shortest parameters that give ``query`` back: shareable URLs."""
    params = {"q": query.text}
    filters = query.filters
    if filters.date_from:
        params["from"] = filters.date_from.isoformat()
    if filters.date_to:
        params["to"] = filters.date_to.isoformat()
    # Categories the text names come back with the text.
    chosen = [c for c in filters.categories if c not in query.named_categories]
    if chosen:
        params["category"] = ",".join(chosen)
    if filters.has_code:
        params["code"] = "1"
    if query.sort != SORT_RELEVANCE:
        params["sort"] = query.sort
    if query.mode != MODE_HYBRID:
        params["mode"] = query.mode
    if page > 1:
        params["page"] = str(page)
    return params
