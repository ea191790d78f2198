"""Page numbers from the query string, and the arithmetic of a paginated list."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request


def requested_page() -> int:
    """The `page` query argument: a positive integer, else 404 (a wrong page is a page that doesn't exist)."""
    raw = request.args.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 7:
        abort(404)
    page = int(raw)
    if page < 1:
        abort(404)
    return page


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def ensure_exists(self) -> Page:
        """404 for a page past the end; page 1 of an empty list still exists."""
        if self.number > self.pages:
            abort(404)
        return self


def make_page(total: int, per_page: int) -> Page:
    return Page(requested_page(), per_page, total).ensure_exists()
