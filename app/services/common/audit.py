"""Writing the append-only audit log and in-app notices, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.models.member import Member
from app.models.moderation import AuditEvent


def audit(
    actor: Member | None,
    action: str,
    target: Any,
    *,
    reason: str = "",
    group_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Record who did what to which target and why; committed with the action it describes."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        target_type="site" if target is None else type(target).__name__.lower(),
        target_id=getattr(target, "id", None),
        group_id=group_id,
        reason=reason,
        before=before,
        after=after,
    )
    db.session.add(event)
    return event


def notify(
    member_id: int | None,
    kind: str,
    message: str,
    link: str = "",
    *,
    post_id: int | None = None,
    conversation_id: int | None = None,
) -> None:
    """Tell a member, as they chose for this kind (services.notifications.deliver); nothing for posts whose author
    has left. `message` is shown to them only: it may name what they can read, never a post's text."""
    from app.services.notify.notifications import (
        deliver,  # notifications needs permissions, which need the models first
    )

    deliver(member_id, kind, message, link, post_id, conversation_id)
