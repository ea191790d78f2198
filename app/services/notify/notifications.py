"""Delivering notifications as each member prefers, and announcing newly published posts to those who follow them.

`app.services.common.audit.notify()` hands every notification to `deliver()`, so one place applies the member's choice
(none / in-app / e-mail straight away / daily digest). Whatever the choice, notifications never carry a post's
text, and only name what the recipient may read; e-mails say even less (see notify_prefs.KINDS).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, render_template
from flask_babel import lazy_gettext
from sqlalchemy import select, update

from app import permissions
from app.extensions import db
from app.models import ContentStatus, Delivery, GroupFollow, Member, MemberStatus, Notification, Post, TopicFollow
from app.models.base import utcnow
from app.services.community.mentions import mentioned_members
from app.services.mail.queue import queue_mail
from app.services.mailin.tokens import reply_address
from app.services.members import tokens
from app.services.members.language import in_recipients_language
from app.services.notify.preferences import Kind, deliveries, preference_kind, unsubscribe_token


def may_receive(member: Member | None) -> bool:
    """Erased accounts hear nothing."""
    return member is not None and member.status != MemberStatus.DELETED


def may_email(member: Member) -> bool:
    """Mail goes only to confirmed addresses where confirmation is required."""
    return not current_app.config.get("VERIFY_EMAIL") or getattr(member, "email_verified_at", None) is not None


def deliver(
    member_id: int | None,
    kind: str,
    message: str,
    link: str = "",
    post_id: int | None = None,
    conversation_id: int | None = None,
) -> None:
    """Leave a notification as the member chose for its kind, e-mailing it now if they asked (caller commits).

    `message` is best a lazy string: it is written down in the recipient's language (their own sentence, which
    nobody else reads), as is the e-mail. A `conversation_id` lets the e-mail be answered into that conversation."""
    member = db.session.get(Member, member_id) if member_id is not None else None
    if not may_receive(member):
        return
    assert member is not None
    governing = preference_kind(kind)
    delivery = deliveries(member.id)[governing.name]
    if delivery == Delivery.NONE:
        return
    with in_recipients_language(member):
        notification = Notification(
            member_id=member.id, kind=kind, message=str(message), link=link, post_id=post_id,
            digest_due=delivery == Delivery.DIGEST,
        )  # fmt: skip
        db.session.add(notification)
        if delivery == Delivery.EMAIL and may_email(member):
            db.session.flush()  # the e-mail links to the notification by its id
            queue_notification_mail(member, governing, notification, conversation_id)


def link_for(endpoint: str, **values: Any) -> str:
    """An absolute link for an e-mail, also outside a request (the digest command, services called from tests)."""
    if has_request_context():
        return tokens.external_url(endpoint, **values)
    # url_for needs a request; external_url still prefers BASE_URL (required in production) to this one's host.
    with current_app.test_request_context("/", base_url=current_app.config.get("BASE_URL") or "http://localhost"):
        return tokens.external_url(endpoint, **values)


def unsubscribe_headers(member_id: int, token_kind: str) -> tuple[str, dict[str, str]]:
    """The unsubscribe link for a mail's body, and the List-Unsubscribe headers (RFC 2369 and RFC 8058)."""
    link = link_for("notify.unsubscribe", token=unsubscribe_token(member_id, token_kind))
    return link, {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _reply_address(member: Member, kind: Kind, notification: Notification, conversation_id: int | None) -> str | None:
    """Where answering this e-mail goes (replies by e-mail): the post's topic for replies and mentions, the
    conversation for messages; None for every other kind, or when the feature is off."""
    if kind.name in ("reply", "mention") and notification.post_id is not None:
        post = db.session.get(Post, notification.post_id)
        return reply_address(member.id, "t", post.topic_id) if post is not None else None
    if kind.name == "message" and conversation_id is not None:
        return reply_address(member.id, "c", conversation_id)
    return None


def queue_notification_mail(
    member: Member, kind: Kind, notification: Notification, conversation_id: int | None = None
) -> None:
    """One notification by e-mail: a fixed sentence and a link that asks for sign-in, never the post or the title."""
    queue_member_mail(
        member,
        kind.name,
        kind.subject,
        "notify/mail/notification",
        reply_to=_reply_address(member, kind, notification, conversation_id),
        kind=kind,
        open_link=link_for("members.open_notification", notification_id=notification.id),
    )


def queue_member_mail(
    member: Member, token_kind: str, subject: str, template: str, reply_to: str | None = None, **context: Any
) -> None:
    """A notification-type e-mail (`template`.txt and .html): every one carries the settings link, a one-click
    unsubscribe from `token_kind` and the List-Unsubscribe headers; with `reply_to`, answering it posts the answer.
    Written in the member's language, dated in their time zone."""
    with in_recipients_language(member):
        _queue_member_mail(member, token_kind, subject, template, reply_to, **context)


def _queue_member_mail(
    member: Member, token_kind: str, subject: str, template: str, reply_to: str | None, **context: Any
) -> None:
    site_name = current_app.config["SITE_NAME"]
    unsubscribe_link, headers = unsubscribe_headers(member.id, token_kind)
    if reply_to is not None:
        headers["Reply-To"] = reply_to
    context |= {
        "reply_by_mail": reply_to is not None,
        "member": member,
        "site_name": site_name,
        "settings_link": link_for("notify.preferences"),
        "unsubscribe_link": unsubscribe_link,
    }
    queue_mail(
        to=member.email,
        subject=f"{str(subject)} · {site_name}",
        text=render_template(f"{template}.txt", **context),
        html=render_template(f"{template}.html", **context),
        headers=headers,
    )


def _already_told(post: Post) -> set[int]:
    """Members who already heard about this post (it can be published twice: held again after an edit)."""
    return set(db.session.scalars(select(Notification.member_id).where(Notification.post_id == post.id)))


def _muted(post: Post) -> set[int]:
    return set(
        db.session.scalars(
            select(TopicFollow.member_id).where(TopicFollow.topic_id == post.topic_id, TopicFollow.muted)
        )
    )


def _not_to_tell(post: Post) -> set[int]:
    """Who hears nothing more of this post: its author (while the account exists), those told already, those who
    muted its topic."""
    skip = _already_told(post) | _muted(post)
    if post.author_id is not None:
        skip.add(post.author_id)
    return skip


def _followers(post: Post) -> list[Member]:
    """Who follows the post's topic (a reply) or group (a new topic), muted topics left out."""
    if post.is_opening:
        query = select(Member).join(GroupFollow, GroupFollow.member_id == Member.id)
        query = query.where(GroupFollow.group_id == post.topic.group_id)
    else:
        query = select(Member).join(TopicFollow, TopicFollow.member_id == Member.id)
        query = query.where(TopicFollow.topic_id == post.topic_id, TopicFollow.muted.is_(False))
    return list(db.session.scalars(query.order_by(Member.id)))


def _may_hear_about(member: Member, post: Post, skip: set[int]) -> bool:
    """Never the author, nobody twice, and nobody who could not open the post."""
    return member.id not in skip and may_receive(member) and permissions.can(member, "view_post", post)


def _author_name(post: Post) -> str:
    """The author as notifications name them: a departed author's posts are by "Former member", in each
    recipient's language."""
    return post.author.display_name if post.author else lazy_gettext("Former member")


def _tell_mentioned(post: Post, author: str, skip: set[int]) -> None:
    """Each member the post mentions, once, if they may read it; those told join `skip`."""
    for member in mentioned_members(post.raw).values():
        if _may_hear_about(member, post, skip):
            message = lazy_gettext('%(author)s mentioned you in "%(title)s".', author=author, title=post.topic.title)
            deliver(member.id, "mention", message, f"/p/{post.id}", post.id)
            skip.add(member.id)


def announce_published(post: Post) -> None:
    """A post was published for the first time: tell the members it mentions, then its topic's (or, for a new
    topic, its group's) followers. Called in the publishing transaction; the caller commits."""
    topic = post.topic
    author = _author_name(post)
    skip = _not_to_tell(post)
    _tell_mentioned(post, author, skip)
    kind, message = (
        (
            "new_topic",
            lazy_gettext(
                '%(author)s started "%(title)s" in %(group)s.', author=author, title=topic.title, group=topic.group.name
            ),
        )
        if post.is_opening
        else ("reply", lazy_gettext('%(author)s replied in "%(title)s".', author=author, title=topic.title))
    )
    for member in _followers(post):
        if _may_hear_about(member, post, skip):
            deliver(member.id, kind, message, f"/p/{post.id}", post.id)
            skip.add(member.id)


def announce_edited(post: Post) -> None:
    """A published post was edited: members newly mentioned in it hear about it (nobody hears twice)."""
    if post.status != ContentStatus.VISIBLE or post.topic.status != ContentStatus.VISIBLE:
        return
    author = _author_name(post)
    _tell_mentioned(post, author, _not_to_tell(post))


def mark_read(notification: Notification) -> None:
    """The member has seen this notification (opening it, or the "mark read" button)."""
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()


def mark_all_read(member: Member) -> None:
    """Clear the member's unread count in one statement."""
    db.session.execute(
        update(Notification)
        .where(Notification.member_id == member.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
