"""The main pages of the demo community, per role: the pages the pseudo-locale and the HTML checks render.

A page list is a URL template filled from `demo_world()` (the demo community's first group, topic, post, ...)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Conversation, Event, Group, Member, Passkey, Post, Resource, ReviewItem, Topic


def demo_world() -> dict[str, str]:
    """Seed the demo community and name what the page lists refer to."""
    from app.ops.demo import seed_demo

    seed_demo()
    first = {model: db.session.scalars(select(model).order_by(model.id)).first() for model in (Group, Topic)}
    conversation = db.session.scalars(select(Conversation)).first()
    resource = db.session.scalars(select(Resource)).first()
    item = db.session.scalars(select(ReviewItem)).first()
    event = db.session.scalars(select(Event).where(Event.group_id.is_not(None)).order_by(Event.id)).first()
    member = db.session.scalars(select(Member).where(Member.email == "member@example.org")).one()
    others_post = db.session.scalars(select(Post).where(Post.author_id != member.id).order_by(Post.id)).first()
    passkey = Passkey(
        member_id=member.id, credential_id=b"demo", public_key=b"demo", user_handle=b"demo", name="Demo phone"
    )
    db.session.add(passkey)
    # Its author lets staff repost it, with their name: its embed and repost page have something to show.
    others_post.author.repost_consent = others_post.author.repost_name_consent = True
    db.session.commit()
    return {
        "group": first[Group].slug,
        "topic": f"{first[Topic].id}/{first[Topic].slug}",
        "post": str(others_post.id),
        "conversation": str(conversation.id) if conversation else "",
        "resource": str(resource.id) if resource else "",
        "item": str(item.id) if item else "",
        "member_id": str(member.id),
        "member_name": member.display_name,
        "topic_id": str(first[Topic].id),
        "passkey": str(passkey.id),
        "event": str(event.id) if event else "",
    }


EVERYONE = [
    "/",
    "/g/{group}",
    "/t/{topic}",
    "/guidelines",
    "/guidelines/history",
    "/resources",
    "/resources/{resource}",
    "/events",
    "/events?when=past",
    "/events/{event}",
    "/search?q=tired",
    "/search?q=zzzzqqq",
    "/u/{member_name}",
    "/embed/p/{post}",
    "/no-such-page",
]
VISITOR = ["/login", "/register", "/password-reset"]
MEMBER = [
    "/account",
    "/account/password",
    "/account/two-factor",
    "/account/email",
    "/account/language",
    "/account/profile",
    "/account/notifications",
    "/account/export",
    "/account/delete",
    "/account/sessions",
    "/account/confirm?next=/account/password",
    "/account/passkeys",
    "/account/passkeys/{passkey}",
    "/notifications",
    "/unread",
    "/bookmarks",
    "/events/calendar",
    "/drafts",
    "/messages",
    "/messages/new",
    "/g/{group}/new",
    "/p/{post}/flag",
]
MODERATOR = [
    "/mod/queue",
    "/mod/log",
    "/mod/members/{member_id}",
    "/mod/watched-words",
    "/mod/topics/{topic_id}/move",
    "/mod/posts/{post}/hide",
    "/p/{post}/revisions",
    "/mentor",
]
STAFF = [
    "/staff",
    "/staff/unanswered",
    "/staff/pins",
    "/staff/resources",
    "/staff/resources/new",
    "/staff/announcements",
    "/staff/events",
    "/staff/events/new",
    "/staff/events/{event}/edit",
    "/staff/events/{event}/cancel",
    "/staff/repost/{post}",
    "/staff/webhooks",
    "/guidelines/edit",
    "/mod/settings",
    "/mod/groups",
]
AS = {
    "visitor": (None, EVERYONE + VISITOR),
    "member": ("member@example.org", EVERYONE + MEMBER),
    "moderator": ("moderator@example.org", EVERYONE + MODERATOR),
    "staff": ("staff@example.org", EVERYONE + STAFF),
}
