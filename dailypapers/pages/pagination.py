"""A page of a long ordered list without counting the list.

Django's Paginator counts every row to say "page k of n"; for lists that grow
with the site (trending) that count costs more than the page. This reads one
row more than it shows to know whether a next page exists.
"""

from __future__ import annotations


class OpenPage:
    paginator = None  # templates show "page k" without "of n"

    def __init__(self, queryset, size: int, number: str | int | None) -> None:
        try:
            self.number = max(1, int(number or 1))
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * size
        rows = list(queryset[start : start + size + 1])
        self.object_list = rows[:size]
        self._has_next = len(rows) > size

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1
