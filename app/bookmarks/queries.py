"""The member's bookmark list: one page in one query, with what each points at loaded alongside."""

from __future__ import annotations

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.community.queries import MAX_ID
from app.extensions import db
from app.models import Bookmark, Member, Post, Topic
from app.services.bookmarks.bookmarks import member_bookmark_or_none


def count_bookmarks(member: Member) -> int:
    return db.session.scalar(select(func.count()).select_from(Bookmark).where(Bookmark.member_id == member.id)) or 0


def member_bookmarks(member: Member, offset: int, limit: int) -> list[Bookmark]:
    """Newest first, each with its topic (and group) and its post (and author): deciding what may be shown asks
    no more queries."""
    return list(
        db.session.scalars(
            select(Bookmark)
            .where(Bookmark.member_id == member.id)
            .options(
                joinedload(Bookmark.topic).joinedload(Topic.group),
                joinedload(Bookmark.post).joinedload(Post.author),
            )
            .order_by(Bookmark.created_at.desc(), Bookmark.id.desc())
            .offset(offset)
            .limit(limit)
        ).unique()
    )


def own_bookmark_or_404(member: Member, bookmark_id: int) -> Bookmark:
    """Someone else's bookmark answers exactly as a missing one: its existence is private too."""
    if not 0 < bookmark_id <= MAX_ID:
        abort(404)
    bookmark = member_bookmark_or_none(member, bookmark_id)
    if bookmark is None:
        abort(404)
    return bookmark
