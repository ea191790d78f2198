"""Staff reposting a member's post on another channel: allowed only with consent, and always written down."""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _

from app import permissions
from app.extensions import db
from app.models import Member, Post
from app.models.moderation import AuditEvent
from app.services import ServiceError
from app.services.common.audit import audit

CHANNEL_MAX = 100


def clean_channel(channel: str) -> str:
    """Where the post goes ("Facebook page"), as stored: NFC, one line, trimmed, required and short."""
    channel = " ".join(unicodedata.normalize("NFC", channel).split())
    if not channel:
        raise ServiceError(_("Say where you are reposting it, for example “Facebook page”."), "channel")
    if len(channel) > CHANNEL_MAX:
        raise ServiceError(
            _("Keep the channel to %(limit)d characters (it has %(length)d).", limit=CHANNEL_MAX, length=len(channel)),
            "channel",
        )
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in channel):
        raise ServiceError(_("The channel contains an invisible or control character. Please remove it."), "channel")
    return channel


def record_repost(actor: Member, post: Post, channel: str) -> AuditEvent:
    """Write down that `actor` reposted `post` on `channel`, once consent and visibility allow it."""
    permissions.ensure(actor, "repost_post", post)
    channel = clean_channel(channel)
    credited = permissions.can(actor, "credit_author", post)
    event = audit(
        actor, "repost_post", post, group_id=post.topic.group_id, after={"channel": channel, "with_name": credited}
    )
    db.session.commit()
    return event
