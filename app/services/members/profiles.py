"""What members tell others about themselves: a short plain-text bio, and who may see their profile."""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.extensions import db
from app.models import Group, GroupMembership, Member, ProfileVisibility
from app.permissions import readable_group_filter
from app.services import ServiceError

BIO_MAX = 300
# Line breaks are kept (the page shows them); other control characters draw nothing or break layouts.
_ALLOWED_CONTROLS = frozenset("\n")


def clean_bio(bio: str) -> str:
    """The bio as stored: NFC, CRLF as LF, trimmed; raises ServiceError when it is too long or unprintable."""
    bio = unicodedata.normalize("NFC", bio.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(bio) > BIO_MAX:
        raise ServiceError(
            _("Keep your bio to %(limit)d characters (it has %(length)d).", limit=BIO_MAX, length=len(bio)), "bio"
        )
    for char in bio:
        if unicodedata.category(char) in ("Cc", "Cs") and char not in _ALLOWED_CONTROLS:
            raise ServiceError(
                _("Your bio contains a control character that cannot be shown. Please remove it."), "bio"
            )
    return bio


def update_profile(
    member: Member,
    target: Member,
    *,
    bio: str,
    visibility: str,
    repost: bool | None = None,
    repost_name: bool | None = None,
) -> None:
    """Save a member's own bio, profile visibility and (when given) their consent to reposting."""
    permissions.ensure(member, "edit_profile", target)
    if visibility not in {v.value for v in ProfileVisibility}:
        raise ServiceError(_("Choose who can see your profile."), "visibility")
    if repost_name and not (target.repost_consent if repost is None else repost):
        raise ServiceError(
            _("Your name can go with your posts only if staff may repost them: tick both, or neither."),
            "repost_name",
        )
    target.bio = clean_bio(bio)
    target.profile_visibility = ProfileVisibility(visibility)
    if repost is not None:
        target.repost_consent = repost
    if repost_name is not None:
        target.repost_name_consent = repost_name
    db.session.commit()


def profile_groups(member: Member, viewer: object) -> list[Group]:
    """The groups a member joined that the viewer may read, in the site's order (one query)."""
    return list(
        db.session.scalars(
            select(Group)
            .join(GroupMembership, GroupMembership.group_id == Group.id)
            .where(GroupMembership.member_id == member.id, readable_group_filter(viewer))
            .order_by(Group.position, Group.name)
        )
    )
