"""Who is trusted: staff roles always, members once enough of their posts were published."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_

from app.models import Member, Role
from app.services.moderation.settings import get_int


def is_trusted(member: Member) -> bool:
    """Trusted members post links directly and their flags count towards hiding a post."""
    return member.role != Role.MEMBER or member.approved_posts >= get_int("trusted_after_posts")


def trusted_filter() -> ColumnElement[bool]:
    """The same rule as is_trusted(), as a WHERE clause over members."""
    return or_(Member.role != Role.MEMBER, Member.approved_posts >= get_int("trusted_after_posts"))
