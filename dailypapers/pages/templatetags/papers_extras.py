from django import template
from django.conf import settings
from django.template.loader import get_template

from dailypapers.core.cache import RecentValues
from dailypapers.pages.page_cache import current_version, placeholder
from dailypapers.papers.text import excerpt as _excerpt

register = template.Library()


@register.filter
def first_authors(paper, count: int = 3) -> list[str]:
    return paper.author_names[: int(count)]


@register.filter
def excerpt(text: str, limit: int = 280) -> str:
    return _excerpt(text or "", int(limit))


@register.filter
def in_set(value, values) -> bool:
    """``paper.pk|in_set:voted_ids``: membership, for flags computed once per page."""
    return bool(values) and value in values


# Cards and other parts of pages rendered in this process, by what they
# show: the version of public pages (core/page_version.py), the paper, its
# listing and the reader's buttons. The same card appears on a day, its week,
# its month, trending and for every member, and rendering one costs more than
# the rest of a page.
_fragments: RecentValues[tuple, str] = RecentValues(max_bytes=48 * 2**20)


def _keeping(request) -> bool:
    """Parts are kept only inside GET pages (rendered with the page cache's
    placeholders rather than a reader's token and path) while the cache is on."""
    return (
        request is not None
        and getattr(request, "_page_placeholder", False)
        and settings.PAGE_CACHE_SECONDS > 0
    )


@register.simple_tag(takes_context=True)
def paper_card(context, paper, listing=None, hit=None, reason="", dismissable=False):
    """A paper's card (papers/_card.html), from the cards of this process
    when it has shown the same one since the data last changed.

    For you picks (the reader's reasons) are rendered each time; search hits
    are kept by their highlighted title and snippet too. Inside a GET page the card
    holds the page cache's placeholders for the token and the page's path,
    which the page cache fills in (pages/page_cache.py)."""
    request = context.get("request")
    user = context.get("user")
    values = {
        "paper": paper,
        "listing": listing,
        "hit": hit,
        "reason": reason,
        "dismissable": dismissable,
        "voted": paper.pk in (context.get("voted_ids") or ()),
        "saved": paper.pk in (context.get("saved_ids") or ()),
        "signed_in": bool(user and user.is_authenticated),
        "new_since": context.get("new_since"),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
    template = get_template("papers/_card.html")
    placeholders = request is not None and getattr(request, "_page_placeholder", False)
    values["next"] = placeholder("next") if placeholders else ""
    if not _keeping(request) or reason:
        return template.render(values)
    key = (
        current_version(request),
        paper.pk,
        listing.pk if listing else None,
        values["signed_in"],
        values["voted"],
        values["saved"],
        bool(dismissable),
        (hit.title, hit.snippet, hit.exact, hit.by_author) if hit else None,
    )
    return _kept(key, lambda: template.render(values))


def _kept(key: tuple, render) -> str:
    """The part kept under ``key`` (which starts with the version), or ``render()``'s, kept."""
    html = _fragments.get(key)
    if html is None:
        html = render()
        _fragments.keep(key, html)
    return html


class KeptNode(template.Node):
    def __init__(self, name: str, keys: list, nodelist) -> None:
        self.name, self.keys, self.nodelist = name, keys, nodelist

    def render(self, context) -> str:
        request = context.get("request")
        if not _keeping(request):
            return self.nodelist.render(context)
        key = (current_version(request), self.name, *(k.resolve(context) for k in self.keys))
        return _kept(key, lambda: self.nodelist.render(context))


@register.tag
def kept(parser, token):
    """``{% kept "name" value... %}...{% endkept %}``: a part of a page the same
    for every reader, rendered once per value(s) in this process until the
    data changes (as cards are). What it holds must not read the reader's
    state (their votes, roles, token or path)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("kept needs a name and the values the part shows")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
