"""@mentions: `@[Display Name]` or `@Name` (see app/text/rendering.py) become links to existing members' profiles."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import select

from app.extensions import db
from app.models import Member, MemberStatus
from app.services.members.identity import display_name_key
from app.text.rendering import cook, mention_names

MAX_MENTIONS = 20  # a post naming more people than this is a roll call, not a conversation


def mentioned_members(raw: str) -> dict[str, Member]:
    """The existing members a text mentions, by the name as written (one query, none without mentions)."""
    names = mention_names(raw)[:MAX_MENTIONS]
    if not names:
        return {}
    keys = {display_name_key(name)[:160]: name for name in names}
    members = db.session.scalars(
        select(Member).where(Member.display_name_key.in_(keys), Member.status != MemberStatus.DELETED)
    )
    return {keys[member.display_name_key]: member for member in members}


def cook_with_mentions(raw: str) -> str:
    """Cook a member's Markdown with mentions of existing members linked to their profiles."""
    found = mentioned_members(raw)
    links = {name: (m.display_name, f"/u/{quote(m.display_name, safe='')}") for name, m in found.items()}
    return cook(raw, links)
