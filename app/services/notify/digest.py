"""The daily digest: one e-mail a day for members who chose it for some kind, with what waited for it and the
most helpful new posts in their groups. Topic titles and counts only, never what anyone wrote."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from app import permissions
from app.extensions import db
from app.models import (
    Delivery,
    DigestSent,
    GroupMembership,
    Member,
    MemberStatus,
    Notification,
    NotificationPreference,
    Post,
    Topic,
)
from app.models.base import utcnow
from app.services.notify.notifications import link_for, may_email, queue_member_mail
from app.services.notify.preferences import DIGEST_KIND, KINDS, preference_kind
from app.text.lazy import lazy_text as _l

HELPFUL_POSTS = 5
FIRST_DIGEST_LOOKBACK = timedelta(days=1)


def digest_members() -> list[int]:
    """Members with at least one kind on the digest (by their choice, or by a kind's default)."""
    if any(kind.default == Delivery.DIGEST for kind in KINDS.values()):
        query = select(Member.id).where(Member.status != MemberStatus.DELETED)
    else:
        query = select(NotificationPreference.member_id).where(NotificationPreference.delivery == Delivery.DIGEST)
    return sorted(set(db.session.scalars(query)))


def send_digests(day: date | None = None) -> int:
    """Queue today's digest for everyone who wants one; running it again the same day sends nothing twice."""
    day = day or utcnow().date()
    sent = 0
    for member_id in digest_members():
        member = db.session.get(Member, member_id)
        if member is not None and send_digest(member, day):
            sent += 1
    return sent


def _since(member: Member) -> datetime:
    """New posts count from the member's last digest (or the last day, for their first)."""
    last = db.session.scalar(select(func.max(DigestSent.sent_at)).where(DigestSent.member_id == member.id))
    return last or utcnow() - FIRST_DIGEST_LOOKBACK


def helpful_new_posts(member: Member, since: datetime) -> list[Post]:
    """The most helpful posts written since `since` in groups the member joined, that they may read, not theirs."""
    joined = and_(GroupMembership.group_id == Topic.group_id, GroupMembership.member_id == member.id)
    posts = db.session.scalars(
        select(Post)
        .join(Post.topic)
        .join(Topic.group)
        .join(GroupMembership, joined)
        .options(contains_eager(Post.topic).contains_eager(Topic.group))
        .where(
            permissions.searchable_post_filter(member),
            Post.created_at >= since,
            Post.helpful_count > 0,
            Post.author_id != member.id,
        )
        .order_by(Post.helpful_count.desc(), Post.id)
        .limit(HELPFUL_POSTS)
    )
    return [post for post in posts if permissions.can(member, "view_post", post)]


def send_digest(member: Member, day: date) -> bool:
    """Queue one member's digest for `day`, at most once; False when already sent or nothing to say."""
    if member.status == MemberStatus.DELETED or not may_email(member):
        return False
    if db.session.get(DigestSent, (member.id, day)) is not None:
        return False
    due = list(
        db.session.scalars(select(Notification).where(Notification.member_id == member.id, Notification.digest_due))
    )
    posts = helpful_new_posts(member, _since(member))
    if not due and not posts:
        return False
    db.session.add(DigestSent(member_id=member.id, day=day))
    try:
        db.session.flush()
    except IntegrityError:  # another run got there first
        db.session.rollback()
        return False
    db.session.execute(update(Notification).where(Notification.id.in_([n.id for n in due])).values(digest_due=False))
    _queue_digest_mail(member, Counter(preference_kind(n.kind).name for n in due), posts)
    db.session.commit()
    return True


def _queue_digest_mail(member: Member, counts: Counter[str], posts: list[Post]) -> None:
    queue_member_mail(
        member,
        DIGEST_KIND,
        _l("Your daily digest"),
        "notify/mail/digest",
        counts=[(KINDS[name], count) for name, count in counts.items()],
        posts=[(post, link_for("community.post", post_id=post.id)) for post in posts],
        notifications_link=link_for("members.notifications"),
    )
