"""The resource library: staff-curated links, internal pages and featured member posts, by group."""

from __future__ import annotations

import enum
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import Boolean, Column, ForeignKey, Index, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model, db
from app.models.base import CookedText, UTCDateTime, utcnow
from app.models.community import Group, Post
from app.models.member import Member, enum_column
from app.models.pictures import Picture
from app.text.lazy import lazy_text as _l


class ResourceKind(enum.StrEnum):
    ARTICLE = "article"
    VIDEO = "video"
    GUIDE = "guide"
    SUPPORT_LINE = "support_line"
    EVENT = "event"


RESOURCE_KIND_LABELS = {
    ResourceKind.ARTICLE: _l("Article"),
    ResourceKind.VIDEO: _l("Video"),
    ResourceKind.GUIDE: _l("Guide"),
    ResourceKind.SUPPORT_LINE: _l("Support line"),
    ResourceKind.EVENT: _l("Event"),
}

resource_groups = Table(
    "resource_groups",
    db.metadata,
    Column("resource_id", ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_resource_groups_group_id", "group_id"),
)


class Resource(CookedText, Model):
    """One library entry: an external link (`url`), an internal page (`raw`/`cooked`), or a featured post."""

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[ResourceKind] = mapped_column(enum_column(ResourceKind, "resource_kind"))
    url: Mapped[str | None] = mapped_column(String(2000))
    raw: Mapped[str | None] = mapped_column(Text)
    cooked: Mapped[str | None] = mapped_column(Text)
    # "Feature this post": the entry shows the post itself, so it follows the author's edits and deletion.
    source_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    groups: Mapped[list[Group]] = relationship(secondary=resource_groups, order_by="Group.position, Group.name")
    source_post: Mapped[Post | None] = relationship()
    created_by: Mapped[Member | None] = relationship()
    # Shown beneath the page text; loaded on the entry's own page only (app.resources.queries.resource_or_404).
    pictures: Mapped[list[Picture]] = relationship(order_by=Picture.position, viewonly=True)

    __table_args__ = (Index("ix_resources_listing", "archived", "position", "id"),)

    @property
    def site(self) -> str:
        """The host a link leads to, so readers know where they are going before they click."""
        return (urlsplit(self.url).hostname or "") if self.url else ""

    @property
    def kind_label(self) -> str:
        return RESOURCE_KIND_LABELS[self.kind]
