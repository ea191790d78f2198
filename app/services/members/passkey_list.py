"""A member's passkeys as they manage them: the list, a name of their choosing, passwordless or not, removal."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from app import permissions
from app.extensions import db
from app.models import Member, Passkey
from app.models.passkeys import PASSKEY_NAME_MAX
from app.services import ServiceError
from app.services.common.cleaning import visible_length


def clean_name(name: str) -> str:
    """A passkey's name as stored: one line, trimmed, no NUL, at most PASSKEY_NAME_MAX characters ("" for none)."""
    if "\x00" in name:
        raise ServiceError(_("This contains a character that cannot be stored (NUL)."), "name")
    name = " ".join(name.split())
    if not visible_length(name):
        return ""
    if len(name) > PASSKEY_NAME_MAX:
        raise ServiceError(_("Names can be at most %(limit)d characters.", limit=PASSKEY_NAME_MAX), "name")
    return name


def member_passkeys(member: Member) -> list[Passkey]:
    """The member's passkeys, oldest first (the order they were added in)."""
    query = select(Passkey).where(Passkey.member_id == member.id).order_by(Passkey.created_at, Passkey.id)
    return list(db.session.scalars(query))


def member_passkey_or_none(member: Member, passkey_id: int) -> Passkey | None:
    """The member's own passkey by id: someone else's is as absent as a missing one."""
    return db.session.scalar(select(Passkey).where(Passkey.id == passkey_id, Passkey.member_id == member.id))


def update_passkey(member: Member, passkey: Passkey, *, name: str, passwordless: bool) -> None:
    """Rename the passkey and choose whether it signs the member in without their password."""
    permissions.ensure(member, "manage_passkey", passkey)
    cleaned = clean_name(name)
    if not cleaned:
        raise ServiceError(_("Please give this passkey a name, such as the device it is on."), "name")
    passkey.name, passkey.passwordless = cleaned, passwordless
    db.session.commit()


def remove_passkey(member: Member, passkey: Passkey) -> None:
    """Forget the passkey: it signs nobody in here any more. Removing it twice is no error."""
    permissions.ensure(member, "manage_passkey", passkey)
    db.session.execute(delete(Passkey).where(Passkey.id == passkey.id, Passkey.member_id == member.id))
    db.session.commit()
