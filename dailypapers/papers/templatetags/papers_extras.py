from django import template

from dailypapers.papers.text import excerpt as _excerpt

register = template.Library()


@register.filter
def first_authors(paper, count: int = 3) -> list[str]:
    return paper.author_names[: int(count)]


@register.filter
def excerpt(text: str, limit: int = 280) -> str:
    return _excerpt(text or "", int(limit))
