"""Deleting an account: every piece of personal data is erased; the member row stays as a tombstone.

What happens to each kind of row (README "Export and deletion" documents the same):
- The member row keeps its id (audit events and moderators' past decisions point at it) but nothing personal:
  placeholder e-mail, "Former member" (a reserved name), an unusable password, no bio, status DELETED.
- Their posts and topics stay, shown as by "Former member" (authorship removed), unless they asked for removal:
  then published posts leave an empty "removed by its author" placeholder and posts nobody but moderators saw go
  altogether (erasure_posts.py), counters kept correct.
- Questions they sent to events follow their posts: kept by "Former member", or gone when they asked for their posts
  to be removed; their "I want to know too" votes go, with the counts they added (questions/members_data.py).
- Pictures they attached go, rows and files, whether or not their posts stay: a picture may show who they are.
- Messages they wrote are erased (a placeholder stays, so the other participants' conversation still reads).
- Flags and message reports they filed stay, anonymously and without the details they typed: the post or message
  they reported may still need a moderator's look, and the review item keeps its count.
- Everything else that points at them (sessions, memberships, follows, bookmarks, blocks, notifications, preferences,
  marks they gave, queued mail to them) goes, following each model's declared ON DELETE rule (CASCADE: the row goes;
  SET NULL: the link goes), so tables added later are covered without a change here.
- The audit log gets one event naming only the member's id and whether posts were removed.
"""

from __future__ import annotations

from sqlalchemy import Column, delete, func, select, update

from app import permissions
from app.extensions import db
from app.models import (
    Flag,
    Group,
    GroupMembership,
    HelpfulMark,
    Member,
    MemberStatus,
    Notification,
    OutboxMessage,
    Post,
    ProfileVisibility,
    ReviewEvent,
    ReviewItem,
    Role,
    Topic,
)
from app.models.base import utcnow
from app.models.messages import Conversation, Message, MessageReport
from app.models.safeguards import LoginThrottle
from app.services import ServiceError
from app.services.common.audit import audit
from app.services.common.counters import count_helpful
from app.services.community.mentions import cook_with_mentions
from app.services.events.places import release_member
from app.services.members import passwords
from app.services.members.erasure_posts import remove_posts
from app.services.members.identity import display_name_key
from app.services.members.login_throttle import account_key
from app.services.pictures.files import owned_keys, release_files
from app.services.questions.members_data import erase_questions
from app.text.lazy import lazy_text as _l
from app.text.rendering import mention_names

FORMER_MEMBER = "Former member"
WRONG_PASSWORD = _l("That password is not right. Nothing was deleted.")  # noqa: S105 - a message, not a password
# Rows that stay pointing at the tombstone, on purpose: the tombstone itself, and the append-only audit log.
KEPT_REFERENCES = frozenset({"members", "audit_events"})


def delete_account(member: Member, target: Member, *, password: str, remove_posts: bool) -> None:
    """Erase the member's personal data after checking their password; one transaction, one audit event."""
    permissions.ensure(member, "delete_account", target)
    if not passwords.verify(target.password_hash, password):
        raise ServiceError(str(WRONG_PASSWORD), "password")
    name, addresses = target.display_name, {address for address in (target.email, target.pending_email) if address}
    picture_keys = owned_keys(target.id)  # their rows go by the declared rule; the files after the commit
    _posts(target, remove_posts)
    erase_questions(target, remove=remove_posts)
    _helpful_marks_given(target)
    _memberships(target)
    _messages(target)
    _reports_filed(target)
    release_member(target.id)  # their places go to the waiting lists, counts kept right
    _mentions_of(name)
    _mentions_in_posts(target.id, name)
    _mail_and_throttles(addresses)
    _declared_rules(target.id)
    _tombstone(target)
    audit(target, "delete_account", target, after={"posts_removed": remove_posts})
    db.session.commit()
    release_files(picture_keys)


def _posts(member: Member, remove: bool) -> None:
    """Authorship goes from every post and topic; with `remove`, their words and titles go too (erasure_posts)."""
    if remove:
        remove_posts(member)
    db.session.flush()
    db.session.execute(update(Post).where(Post.author_id == member.id).values(author_id=None))
    db.session.execute(update(Topic).where(Topic.author_id == member.id).values(author_id=None))


def _helpful_marks_given(member: Member) -> None:
    """What they found helpful is theirs: the marks go, and the counts they added with them."""
    marks = db.session.scalars(select(HelpfulMark).where(HelpfulMark.member_id == member.id)).all()
    for mark in marks:
        post = db.session.get(Post, mark.post_id)
        if post is not None:
            count_helpful(post, -1)
        db.session.delete(mark)


def _memberships(member: Member) -> None:
    memberships = db.session.scalars(select(GroupMembership).where(GroupMembership.member_id == member.id)).all()
    for membership in memberships:
        db.session.execute(
            update(Group).where(Group.id == membership.group_id).values(member_count=Group.member_count - 1)
        )
        db.session.delete(membership)


def _messages(member: Member) -> None:
    """Their words go (with the subject of conversations they started); an empty, removed placeholder keeps the
    others' conversation in order."""
    first = (
        select(Message.conversation_id, func.min(Message.id).label("first_id"))
        .group_by(Message.conversation_id)
        .subquery()
    )
    started = select(first.c.conversation_id).join(Message, Message.id == first.c.first_id)
    started = started.where(Message.author_id == member.id)
    db.session.execute(update(Conversation).where(Conversation.id.in_(started)).values(subject=""))
    db.session.execute(
        update(Message)
        .where(Message.author_id == member.id)
        .values(raw="", cooked="", author_id=None, removed_at=func.coalesce(Message.removed_at, utcnow()))
    )


def _reports_filed(member: Member) -> None:
    """Flags and reports stay (the content may still need a look), without who filed them or what they typed."""
    for flag in db.session.scalars(select(Flag).where(Flag.member_id == member.id, Flag.details != "")):
        quoted = f" — {flag.details}"  # how services.flags quotes the details in the review item and its history
        for item in db.session.scalars(select(ReviewItem).where(ReviewItem.post_id == flag.post_id)):
            item.reasons = [reason.replace(quoted, "") for reason in item.reasons]
            db.session.execute(
                update(ReviewEvent)
                .where(ReviewEvent.item_id == item.id, ReviewEvent.note.contains(quoted, autoescape=True))
                .values(note=func.replace(ReviewEvent.note, quoted, ""))
            )
        flag.details = ""
    db.session.execute(update(Flag).where(Flag.member_id == member.id).values(member_id=None))
    db.session.execute(
        update(MessageReport).where(MessageReport.reporter_id == member.id).values(details="", reporter_id=None)
    )


def _mentions_of(name: str) -> None:
    """Other members' notifications and mail that name them ("Ann replied…") name a former member instead."""
    db.session.execute(
        update(Notification)
        .where(Notification.message.contains(name, autoescape=True))
        .values(message=func.replace(Notification.message, name, FORMER_MEMBER))
    )
    for column in (OutboxMessage.subject, OutboxMessage.body_text, OutboxMessage.body_html):
        db.session.execute(
            update(OutboxMessage)
            .where(column.contains(name, autoescape=True))
            .values({column.key: func.replace(column, name, FORMER_MEMBER)})
        )


def _mentions_in_posts(member_id: int, name: str) -> None:
    """Others' @mentions of them point at nobody: they now read "@[Former member]" and are cooked again."""
    key = display_name_key(name)
    candidates = select(Post).where(
        func.lower(Post.raw).contains(name.lower(), autoescape=True), Post.author_id.is_distinct_from(member_id)
    )
    for post in db.session.scalars(candidates):
        raw = post.raw
        for written in mention_names(raw):
            if display_name_key(written) == key:
                raw = raw.replace(f"@[{written}]", f"@[{FORMER_MEMBER}]").replace(f"@{written}", f"@[{FORMER_MEMBER}]")
        if raw != post.raw:
            post.raw, post.cooked = raw, cook_with_mentions(raw)


def _mail_and_throttles(addresses: set[str]) -> None:
    """Mail waiting for (or already sent to) their address, and sign-in bookkeeping keyed by it."""
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address.in_(addresses)))
    keys = [account_key(address) for address in addresses]
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.account_key.in_(keys)))


def member_references() -> list[Column]:
    """Every column of every table that points at members.id (introspected, so new tables are included)."""
    return [
        column
        for table in db.metadata.sorted_tables
        for column in table.columns
        for fk in column.foreign_keys
        if fk.column.table.name == "members" and fk.column.name == "id"
    ]


def _declared_rules(member_id: int) -> None:
    """Whatever still points at them follows its declared ON DELETE rule: SET NULL unlinks, anything else deletes."""
    db.session.flush()
    for column in member_references():
        if column.table.name in KEPT_REFERENCES:
            continue
        ondelete = next(iter(column.foreign_keys)).ondelete
        where = column == member_id
        if ondelete and ondelete.upper() == "SET NULL" and column.nullable:
            db.session.execute(update(column.table).where(where).values({column.name: None}))
        else:
            db.session.execute(delete(column.table).where(where))
    db.session.expire_all()


def _tombstone(member: Member) -> None:
    """The row stays for the ids that point at it; nothing in it says who they were."""
    db.session.refresh(member)
    member.email = f"deleted-{member.id}@former-member.invalid"
    member.pending_email = None
    member.display_name = FORMER_MEMBER
    member.display_name_key = f"former member #{member.id}"  # "#" is never in a chosen name: no clash possible
    member.password_hash = "!"  # noqa: S105 - not an argon2 hash, so every password check fails
    member.bio = ""
    member.profile_visibility = ProfileVisibility.MEMBERS
    member.repost_consent = member.repost_name_consent = False  # kept posts of a former member never leave the site
    member.role = Role.MEMBER
    member.status = MemberStatus.DELETED
    member.suspended_until = member.last_seen_at = member.email_verified_at = None
    member.suspension_reason = None
    member.post_count = member.approved_posts = member.helpful_received = 0
