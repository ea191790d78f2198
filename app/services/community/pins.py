"""Pinning topics first in their group, or also on the home page (site-wide), in an order staff choose."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import permissions
from app.extensions import db
from app.models import ContentStatus, Member, Topic
from app.services import ServiceError
from app.services.common.audit import audit


def pin_topic(actor: Member, topic: Topic, *, site_wide: bool) -> None:
    """Pin a topic (newest pin on top), or change an existing pin between group-only and site-wide."""
    permissions.ensure(actor, "pin_topic", topic)
    if topic.pinned and topic.pinned_site_wide == site_wide:
        raise ServiceError(
            _("This topic is already pinned site-wide.") if site_wide else _("This topic is already pinned.")
        )
    if not topic.pinned:
        topic.pin_rank = (db.session.scalar(select(func.max(Topic.pin_rank))) or 0) + 1
    topic.pinned, topic.pinned_site_wide = True, site_wide
    audit(actor, "pin_topic", topic, group_id=topic.group_id, after={"site_wide": site_wide})
    db.session.commit()


def unpin_topic(actor: Member, topic: Topic) -> None:
    """Return the topic to its place by latest activity."""
    permissions.ensure(actor, "manage_pins", topic)
    if not topic.pinned:
        raise ServiceError(_("This topic is not pinned."))
    topic.pinned, topic.pinned_site_wide, topic.pin_rank = False, False, 0
    audit(actor, "unpin_topic", topic, group_id=topic.group_id)
    db.session.commit()


def move_pin(actor: Member, topic: Topic, direction: str, *, site_wide: bool) -> None:
    """Swap places with the neighbouring pin above or below, in the group's list or the home page's."""
    permissions.ensure(actor, "manage_pins", topic)
    if not topic.pinned or (site_wide and not topic.pinned_site_wide):
        raise ServiceError(_("This topic is not pinned there."))
    neighbour = db.session.scalar(_neighbour_query(topic, direction, site_wide))
    if neighbour is None:
        raise ServiceError(
            _("This pin is already at the top.") if direction == "up" else _("This pin is already last.")
        )
    topic.pin_rank, neighbour.pin_rank = neighbour.pin_rank, topic.pin_rank
    audit(actor, "move_pin", topic, group_id=topic.group_id, after={"direction": direction, "site_wide": site_wide})
    db.session.commit()


def _neighbour_query(topic: Topic, direction: str, site_wide: bool):  # noqa: ANN202
    """The pin just above (higher rank) or below (lower rank) in the same list."""
    same_list = Topic.pinned_site_wide if site_wide else (Topic.pinned & (Topic.group_id == topic.group_id))
    query = select(Topic).where(same_list, Topic.status == ContentStatus.VISIBLE, Topic.id != topic.id)
    if direction == "up":
        return query.where(Topic.pin_rank > topic.pin_rank).order_by(Topic.pin_rank).limit(1)
    return query.where(Topic.pin_rank < topic.pin_rank).order_by(Topic.pin_rank.desc()).limit(1)
