"""Shared by the staff-tools tests (issue 4): roles, timestamps, and a check for executable markup."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.extensions import db
from app.models import Member, MemberStatus, Post, Role, Topic
from tests.factories import make_member, make_post

# Who is who in the role tables: factory arguments per role name.
ROLE_FIELDS: dict[str, dict] = {
    "member": {},
    "suspended": {"status": MemberStatus.SUSPENDED, "suspension_reason": "Testing"},
    "mentor": {"role": Role.MENTOR},
    "moderator": {"role": Role.MODERATOR},
    "staff": {"role": Role.STAFF},
    "admin": {"role": Role.ADMIN},
}
STAFF_ONLY = {"visitor": False, "member": False, "mentor": False, "moderator": False, "staff": True, "admin": True}

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "style", "math", "base", "frame", "frameset", "applet", "img"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcdoc"}
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)


def member_for(role: str, **fields: object) -> Member | None:
    """A member of the named role (None for "visitor")."""
    return None if role == "visitor" else make_member(**{**ROLE_FIELDS[role], **fields})


def executable_markup(html: str) -> list[str]:
    """Elements and attributes a browser could run. The layout's only SVG is the dashboard's charts (class
    chart-svg or rank-bar), so any other <svg>, script or event handler came from the input."""
    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        classes = set(element.get("class") or [])
        our_script = element.name == "script" and element.get("src", "").startswith("/static/")
        if (element.name in FORBIDDEN_TAGS and not our_script) or (
            element.name == "svg" and not {"chart-svg", "rank-bar"} & classes
        ):
            found.append(f"<{element.name}>")
        if element.name == "meta" and element.has_attr("http-equiv"):
            found.append("<meta http-equiv>")
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            scheme_text = re.sub(r"[\t\n\r]", "", text).lstrip("".join(map(chr, range(33))))
            if name.lower().startswith("on") or (name.lower() in URL_ATTRIBUTES and BAD_SCHEME.match(scheme_text)):
                found.append(f"<{element.name} {name}={text[:60]!r}>")
    return found


def at(moment: datetime, obj: object) -> object:
    """Set an object's created_at and store it: the dashboard counts by the time things happened."""
    obj.created_at = moment  # type: ignore[attr-defined]
    db.session.commit()
    return obj


def reply_at(topic: Topic, author: Member, moment: datetime, **fields: object) -> Post:
    """A reply written at `moment` (counted as the factory counts it)."""
    return at(moment, make_post(topic=topic, author=author, **fields))  # type: ignore[return-value]


def opening(topic: Topic) -> Post:
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.is_opening))


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
