"""Condition groups, their topics and the posts in them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from app.extensions import Model
from app.models.base import CookedText, UTCDateTime, utcnow
from app.models.member import Member, enum_column
from app.models.pictures import Picture, PicturePolicy


class ContentStatus(enum.StrEnum):
    VISIBLE = "visible"
    PENDING = "pending"
    REJECTED = "rejected"
    HIDDEN = "hidden"
    DELETED = "deleted"


class GroupVisibility(enum.StrEnum):
    PUBLIC = "public"  # readable by visitors, indexed, syndicated
    MEMBERS = "members"  # signed-in members only: hidden from visitors, feeds, search engines and link previews


class Group(Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Sensitive groups hold every post for a moderator before it is published.
    review_all_posts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Who may attach pictures to posts here: everyone, trusted members only, or nobody.
    picture_policy: Mapped[PicturePolicy] = mapped_column(
        enum_column(PicturePolicy, "group_picture_policy"),
        default=PicturePolicy.EVERYONE,
        server_default=PicturePolicy.EVERYONE.value,
    )
    visibility: Mapped[GroupVisibility] = mapped_column(
        enum_column(GroupVisibility, "group_visibility"),
        default=GroupVisibility.PUBLIC,
        server_default=GroupVisibility.PUBLIC.value,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Denormalised counters, changed only in the transaction of the write that changes them.
    topic_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    member_count: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Group {self.slug}>"


SEARCH_VISIBILITY_INDEX = "ix_posts_search_visibility"


class Topic(Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reply_count: Mapped[int] = mapped_column(default=0)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Pinned topics show highest rank first; a site-wide pin also lists the topic on the home page.
    pin_rank: Mapped[int] = mapped_column(default=0, server_default="0")
    pinned_site_wide: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[ContentStatus] = mapped_column(
        enum_column(ContentStatus, "topic_status"), default=ContentStatus.VISIBLE
    )
    # Loaded on request only (app.services.bookmarks.bookmarks.topic_bookmark_id): the reader's bookmark on it.
    viewer_bookmark_id: Mapped[int | None] = query_expression()

    # Loaded on request only (app.community.reading.with_read_state), for a signed-in reader: whether they ever
    # opened the topic, and how many published posts by others came after the last one they were shown.
    opened_by_viewer: Mapped[bool | None] = query_expression()
    new_for_viewer: Mapped[int | None] = query_expression()

    group: Mapped[Group] = relationship()
    author: Mapped[Member | None] = relationship()

    __table_args__ = (
        # The group page order: pinned first (highest rank first), then most recent activity.
        Index("ix_topics_group_listing", "group_id", "status", "pinned", "pin_rank", "last_activity_at", "id"),
        # The home page: each group's most recently active visible topic, found without scanning the group.
        Index("ix_topics_group_latest", "group_id", "status", "last_activity_at", "id"),
        Index("ix_topics_created_at", "created_at"),  # the staff dashboard counts topics by day
        # The home page's site-wide pins in staff's order, without reading every topic.
        Index("ix_topics_site_wide_pins", "pinned_site_wide", "status", "pin_rank", "id"),
        # Search checks each match's topic from this index alone, without reading topic rows.
        Index("ix_topics_search_visibility", "id", "status", "group_id"),
    )

    def __repr__(self) -> str:
        return f"<Topic {self.id}>"


class Post(CookedText, Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    is_opening: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    raw: Mapped[str] = mapped_column(Text)
    cooked: Mapped[str] = mapped_column(Text)
    status: Mapped[ContentStatus] = mapped_column(
        enum_column(ContentStatus, "post_status"), default=ContentStatus.VISIBLE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A rejected post may be edited and sent for review once more.
    resubmitted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Members who marked this reply helpful (denormalised from helpful_marks), and staff's pick of the topic.
    helpful_count: Mapped[int] = mapped_column(default=0, server_default="0")
    recommended: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Loaded on request only (app.services.community.helpful.viewer_marks): whether the reader marked this post helpful.
    marked_by_viewer: Mapped[bool | None] = query_expression()
    # Loaded on request only (app.services.bookmarks.bookmarks.post_bookmark_id): the reader's bookmark on it.
    viewer_bookmark_id: Mapped[int | None] = query_expression()

    topic: Mapped[Topic] = relationship()
    author: Mapped[Member | None] = relationship()
    # Pages load them with the posts (app.community.queries); rows are written by app.services.pictures only.
    pictures: Mapped[list[Picture]] = relationship(order_by=Picture.position, viewonly=True)

    __table_args__ = (
        # Topic pages read posts in id order; status in the index filters without touching rows.
        Index("ix_posts_topic_order", "topic_id", "id", "status"),
        # The same for a signed-in reader, who also sees their own held posts: the count and the page's ids come
        # from the index alone (no visit to 2,000 rows of a long topic on PostgreSQL).
        Index("ix_posts_topic_reading", "topic_id", "id", "status", "author_id"),
        Index("ix_posts_created_at", "created_at"),  # the staff dashboard counts replies by day
        # Search checks each of thousands of matches from this index alone: a post's row holds its whole text.
        # SQLite looks rows up by rowid unless told (app/search/queries.py names it), then runs a third faster.
        Index(SEARCH_VISIBILITY_INDEX, "id", "status", "topic_id", "is_opening"),
        # At most one reply per topic is "recommended by staff".
        Index(
            "uq_posts_recommended_topic",
            "topic_id",
            unique=True,
            sqlite_where=text("recommended"),
            postgresql_where=text("recommended"),
        ),
    )

    def __repr__(self) -> str:
        return f"<Post {self.id}>"
