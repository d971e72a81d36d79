from django import template

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
