"""Shared column types and pieces for the models."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask import current_app, has_app_context
from markupsafe import Markup
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Timezone-aware now; stored as UTC everywhere."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, also on SQLite (which stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use app.models.base.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def community_locale() -> str:
    """The community's default language (KINDRED_DEFAULT_LOCALE): what staff text is written in unless they say."""
    return current_app.config["DEFAULT_LOCALE"] if has_app_context() else "en"


class CookedText:
    """For a model whose `cooked` column holds what rendering.cook() wrote, the only writer of it: HTML already
    passed through rendering.sanitize_html, safe to place in a page as it is."""

    if TYPE_CHECKING:
        cooked: Any  # each model declares the column itself

    @property
    def cooked_html(self) -> Markup:
        return Markup(self.cooked or "")  # noqa: S704 - cooked passed through rendering.sanitize_html
