"""Every "may this member do that?" answer lives here: views and templates ask, they never check roles.

Each rule returns None when the action is allowed, or a sentence explaining why not, so a refusal can
always tell the member what to do about it. Rules read as a ladder of early returns. ROUTE_ACCESS says who may
reach each page at all; a test walks the URL map and fails for a route without an entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from flask import abort, current_app
from sqlalchemy import ColumnElement, or_, select, true

from app.extensions import db
from app.models import ContentStatus, Group, Member, ModeratorScope, Post, Role, Topic
from app.models.community import GroupVisibility
from app.models.member import MODERATING_ROLES, STAFF_ROLES, MemberStatus, ProfileVisibility
from app.models.messages import ConversationParticipant, Message

Actor = Member | None
Rule = Callable[[Actor, Any], str | None]

SIGN_IN = "Please sign in first."
SUSPENDED = "Your account is suspended, so you can read but not post."
ARCHIVED = "This group is archived: it can be read but takes no new posts."
LOCKED = "This topic is locked, so it takes no new replies."
NOT_JOINED = "Join this group to post in it."
NOT_MODERATOR = "Only the moderation team can do this."
NOT_YOUR_GROUP = "You moderate other groups, not this one."
ALWAYS_POST_ROLES = frozenset({Role.MENTOR, *MODERATING_ROLES})
RECOMMENDING_ROLES = frozenset({Role.MENTOR, *STAFF_ROLES})
MEMBERS_ONLY = "This group is for signed-in members. Please sign in to read it."
MEMBERS_ONLY_PROFILE = "This member shares their profile with signed-in members only. Please sign in to see it."
GUIDELINES_CHANGED = "Our community guidelines have changed. Please read and accept them before posting again."
UNCONFIRMED = (
    "Please confirm your e-mail address first: open the link we sent you, or ask for a new one on your account page."
)
# Who outranks whom: nobody acts on their betters, nor (admins apart) on their equals, nor on themselves.
RANK = {Role.MEMBER: 0, Role.MENTOR: 0, Role.MODERATOR: 1, Role.STAFF: 2, Role.ADMIN: 3}


def _member(actor: Any) -> Member | None:
    """Flask-Login's anonymous user and None both mean a visitor."""
    return actor if isinstance(actor, Member) else None


def _is_moderator(member: Member | None) -> bool:
    """On the moderation team at all (in some or every group)."""
    return member is not None and member.role in MODERATING_ROLES


def moderated_group_ids(member: Member) -> frozenset[int] | None:
    """The groups a moderator is limited to, or None when they moderate every group. Cached per request."""
    if member.role in STAFF_ROLES:
        return None
    cached = member.__dict__.get("_moderated_group_ids", False)
    if cached is False:
        ids = frozenset(
            db.session.scalars(select(ModeratorScope.group_id).where(ModeratorScope.member_id == member.id))
        )
        cached = ids or None
        member.__dict__["_moderated_group_ids"] = cached
    return cached


def _moderates(member: Member | None, group_id: int) -> bool:
    """Moderator of this particular group."""
    if not _is_moderator(member):
        return False
    assert member is not None
    scope = moderated_group_ids(member)
    return scope is None or group_id in scope


def _moderate(member: Member | None, group: Group) -> str | None:
    if member is None:
        return SIGN_IN
    if not _is_moderator(member):
        return NOT_MODERATOR
    # Scoped moderators look after their own groups only.
    if not _moderates(member, group.id):
        return NOT_YOUR_GROUP
    return None


def _team_only(member: Member | None, target: Any) -> str | None:
    if member is None:
        return SIGN_IN
    return None if _is_moderator(member) else NOT_MODERATOR


def _staff_only(member: Member | None, target: Any) -> str | None:
    if member is None:
        return SIGN_IN
    return None if member.role in STAFF_ROLES else "Only staff can do this."


def _act_on_member(member: Member | None, target: Member) -> str | None:
    if member is None:
        return SIGN_IN
    if not _is_moderator(member):
        return NOT_MODERATOR
    # A deleted account is a tombstone: there is nobody left to act on.
    if target.status == MemberStatus.DELETED:
        return "This account was deleted."
    # Nobody suspends themselves by accident.
    if member.id == target.id:
        return "You cannot take moderation actions on your own account."
    # Moderators cannot act on staff or admins, nor on each other; admins may act on anyone else.
    if RANK[member.role] <= RANK[target.role] and member.role != Role.ADMIN:
        return "You cannot take moderation actions on this account."
    return None


def _join_group(member: Member | None, group: Group) -> str | None:
    if member is None:
        return SIGN_IN
    if group.archived:
        return ARCHIVED
    return None


def _unconfirmed(member: Member) -> str | None:
    """The e-mail rung, shared by posting, flagging, helpful marks and messages: with KINDRED_VERIFY_EMAIL on,
    new members read everything but take part only once they have confirmed their address."""
    if member.email_verified_at is None and current_app.config.get("VERIFY_EMAIL"):
        return UNCONFIRMED
    return None


def _post_in_group(member: Member | None, group: Group, *, joined: bool) -> str | None:
    # Visitors cannot post.
    if member is None:
        return SIGN_IN
    # Suspended members keep read access only.
    if member.is_suspended:
        return SUSPENDED
    # Members whose address is not confirmed yet read only (when verification is on).
    if (reason := _unconfirmed(member)) is not None:
        return reason
    # A material change to the guidelines is accepted before posting again.
    if member.guidelines_outdated:
        return GUIDELINES_CHANGED
    # Archived groups are read-only for everyone.
    if group.archived:
        return ARCHIVED
    # Mentors and the moderating team can answer anywhere; members post where they joined.
    if member.role in ALWAYS_POST_ROLES or joined:
        return None
    return NOT_JOINED


def _start_topic(member: Member | None, target: tuple[Group, bool]) -> str | None:
    group, joined = target
    return _post_in_group(member, group, joined=joined)


def _reply(member: Member | None, target: tuple[Topic, bool]) -> str | None:
    topic, joined = target
    # Nobody replies to a topic they cannot see; a topic waiting for review takes no replies yet.
    if _view_topic(member, topic) is not None:
        return "This topic is not available."
    if topic.status != ContentStatus.VISIBLE:
        return "This topic is waiting for review, so it cannot take replies yet."
    # Locked topics are closed, except to its moderators, who may still need to explain why.
    if topic.locked and not _moderates(member, topic.group_id):
        return LOCKED
    return _post_in_group(member, topic.group, joined=joined)


def _view_group(member: Member | None, group: Group) -> str | None:
    # Members-only groups are closed to visitors (and so to feeds, crawlers and link previews); members read all.
    if member is None and group.visibility != GroupVisibility.PUBLIC:
        return MEMBERS_ONLY
    return None


def _view_topic(member: Member | None, topic: Topic) -> str | None:
    # Nothing in a group is more visible than the group itself.
    if (reason := _view_group(member, topic.group)) is not None:
        return reason
    # Published topics are for everyone.
    if topic.status == ContentStatus.VISIBLE:
        return None
    # The group's moderators see everything, to decide about it.
    if _moderates(member, topic.group_id):
        return None
    # Authors still see their own topic while it waits for review, or after it was turned down.
    if member is not None and topic.author_id == member.id and topic.status in AUTHOR_SEES:
        return None
    return "This topic is not available."


AUTHOR_SEES = (ContentStatus.PENDING, ContentStatus.REJECTED)


def _view_post(member: Member | None, post: Post) -> str | None:
    # A post is no more visible than its topic.
    if (reason := _view_topic(member, post.topic)) is not None:
        return reason
    # Published posts, and the "removed by its author" placeholders, are for everyone who sees the topic.
    if post.status in (ContentStatus.VISIBLE, ContentStatus.DELETED):
        return None
    if _moderates(member, post.topic.group_id):
        return None
    # Authors see their own posts waiting for review, and the ones turned down (to edit and resubmit).
    if member is not None and post.author_id == member.id and post.status in AUTHOR_SEES:
        return None
    return "This post is not available."


def _edit_post(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    # Only the author edits their words; moderators edit through the review queue.
    if post.author_id != member.id:
        return "You can only edit your own posts."
    if member.is_suspended:
        return SUSPENDED
    # A rejected post may be improved and sent back for review, once.
    if post.status == ContentStatus.REJECTED and post.resubmitted:
        return "This post was already resubmitted once and can no longer be edited."
    if post.status not in (ContentStatus.VISIBLE, ContentStatus.PENDING, ContentStatus.REJECTED):
        return "This post can no longer be edited."
    if post.topic.locked:
        return LOCKED
    if post.topic.group.archived:
        return ARCHIVED
    return None


def _delete_post(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    # Members can always take back their own words, even while suspended.
    if post.author_id != member.id:
        return "You can only delete your own posts."
    if post.status == ContentStatus.DELETED:
        return "This post is already deleted."
    return None


def _flag_post(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    if member.is_suspended:
        return "Your account is suspended, so you cannot flag posts."
    if (reason := _unconfirmed(member)) is not None:
        return reason
    if post.author_id == member.id:
        return "You cannot flag your own post. You can edit or delete it instead."
    if post.status != ContentStatus.VISIBLE:
        return "Only published posts can be flagged."
    return None


def _share_post(member: Member | None, post: Post) -> str | None:
    # A permalink is worth offering only for a published post in a published topic: others can open it.
    if post.status != ContentStatus.VISIBLE or post.topic.status != ContentStatus.VISIBLE:
        return "Only published posts can be shared."
    return None


def _index_topic(member: Member | None, topic: Topic) -> str | None:
    # Search engines and link previews get public topics only, whoever is looking at the page.
    return None if is_public_topic(topic) else "This topic is not public."


def _index_group(member: Member | None, group: Group) -> str | None:
    # Feeds and search engines get public groups only, whoever is looking at the page.
    return None if is_public_group(group) else "This group is not public."


def _signed_in(member: Member | None, target: Any) -> str | None:
    return SIGN_IN if member is None else None


def _resend_verification(member: Member | None, target: Any) -> str | None:
    if member is None:
        return SIGN_IN
    # Only while the address still needs confirming, and only when confirmation is asked for at all.
    if _unconfirmed(member) is None:
        return "Your e-mail address needs no confirmation."
    return None


def _view_profile(member: Member | None, target: Member) -> str | None:
    # An erased account has no profile left to show.
    if target.status == MemberStatus.DELETED:
        return "This profile is not available."
    # Members may keep their profile among signed-in members.
    if member is None and target.profile_visibility != ProfileVisibility.EVERYONE:
        return MEMBERS_ONLY_PROFILE
    return None


def _own_account(member: Member | None, target: Member) -> str | None:
    """Profile settings, export and deletion: only ever for the signed-in member's own account."""
    if member is None:
        return SIGN_IN
    if target is None or target.id != member.id:
        return "You can only do this for your own account."
    return None


def _published_reply(post: Post) -> str | None:
    """Helpful marks and recommendations are for replies that everyone can read."""
    if post.is_opening:
        return "Only replies can be marked helpful or recommended."
    if post.status != ContentStatus.VISIBLE or post.topic.status != ContentStatus.VISIBLE:
        return "Only published replies can be marked helpful or recommended."
    return None


def _mark_helpful(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    if member.is_suspended:
        return "Your account is suspended, so you cannot mark posts helpful."
    if (reason := _unconfirmed(member)) is not None:
        return reason
    # Thanking yourself would inflate your own count.
    if post.author_id == member.id:
        return "You cannot mark your own post as helpful."
    return _published_reply(post)


def _recommend_post(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    # Staff and mentors speak for the team; moderators keep order instead.
    if member.role not in RECOMMENDING_ROLES:
        return "Only staff and mentors can recommend a reply."
    if post.author_id == member.id:
        return "You cannot recommend your own reply."
    return _published_reply(post)


def _pin_topic(member: Member | None, topic: Topic) -> str | None:
    if (reason := _staff_only(member, topic)) is not None:
        return reason
    # Only what everyone can read is worth putting first.
    if topic.status != ContentStatus.VISIBLE:
        return "Only published topics can be pinned."
    return None


def _feature_post(member: Member | None, post: Post) -> str | None:
    if (reason := _staff_only(member, post)) is not None:
        return reason
    if post.status != ContentStatus.VISIBLE or post.topic.status != ContentStatus.VISIBLE:
        return "Only published posts can be featured."
    return None


def _view_unanswered(member: Member | None, target: Any) -> str | None:
    if member is None:
        return SIGN_IN
    # The people who can answer anywhere: mentors and the moderating team.
    if member.role not in ALWAYS_POST_ROLES:
        return "Only staff, moderators and mentors can see this list."
    return None


def _follow(member: Member | None, target: Topic | Group) -> str | None:
    if member is None:
        return SIGN_IN
    # Only what the member may read can be followed (and so tell them about itself).
    return _view_topic(member, target) if isinstance(target, Topic) else _view_group(member, target)


NOT_IN_CONVERSATION = "Only the people in this conversation can read it."


def _read_conversation(member: Member | None, place: ConversationParticipant | None) -> str | None:
    if member is None:
        return SIGN_IN
    # Participants only, and only while they stay: not moderators, not staff (views answer 404).
    if place is None or place.member_id != member.id or place.left_at is not None:
        return NOT_IN_CONVERSATION
    return None


def _start_conversation(member: Member | None, target: Any) -> str | None:
    if member is None:
        return SIGN_IN
    # Suspension is about how someone treats others: private messages stop too.
    if member.is_suspended:
        return "Your account is suspended, so you cannot send private messages."
    # An unconfirmed address could be anyone's: no private messages from it (when verification is on).
    if (reason := _unconfirmed(member)) is not None:
        return reason
    return None


def _write_message(member: Member | None, place: ConversationParticipant | None) -> str | None:
    if (reason := _read_conversation(member, place)) is not None:
        return reason
    return _start_conversation(member, None)


def _report_message(member: Member | None, target: tuple[ConversationParticipant | None, Message]) -> str | None:
    place, message = target
    if (reason := _read_conversation(member, place)) is not None:
        return reason
    assert member is not None
    if place is None or message.conversation_id != place.conversation_id:
        return NOT_IN_CONVERSATION
    if message.author_id == member.id:
        return "You cannot report your own message."
    if message.removed_at is not None:
        return "This message was already removed by a moderator."
    return None


def _block_member(member: Member | None, target: Member) -> str | None:
    if member is None:
        return SIGN_IN
    if target.id == member.id:
        return "You cannot block yourself."
    # The team must always be able to reach a member, about their posts or their safety.
    if target.role in MODERATING_ROLES:
        return "You cannot block moderators or staff: they need to be able to reach you."
    return None


def _review_message_reports(member: Member | None, target: Any) -> str | None:
    if (reason := _team_only(member, target)) is not None:
        return reason
    assert member is not None
    # A private message belongs to no group: moderators of the whole community look at reports of one.
    if moderated_group_ids(member) is not None:
        return "Reported private messages are reviewed by moderators of the whole community."
    return None


RULES: dict[str, Rule] = {
    "join_group": _join_group,
    "start_topic": _start_topic,
    "reply": _reply,
    "view_group": _view_group,
    "follow": _follow,
    "view_topic": _view_topic,
    "view_post": _view_post,
    "edit_post": _edit_post,
    "delete_post": _delete_post,
    "flag_post": _flag_post,
    "share_post": _share_post,
    "index_topic": _index_topic,
    "index_group": _index_group,
    "moderate": _moderate,
    "act_on_member": _act_on_member,
    "view_queue": _team_only,
    "view_audit_log": _team_only,
    "manage_watched_words": _team_only,
    "edit_settings": _staff_only,
    "manage_groups": _staff_only,
    "mark_helpful": _mark_helpful,
    "recommend_post": _recommend_post,
    "pin_topic": _pin_topic,
    "manage_pins": _staff_only,
    "feature_post": _feature_post,
    "manage_resources": _staff_only,
    "manage_announcements": _staff_only,
    "dismiss_announcement": _signed_in,
    "edit_guidelines": _staff_only,
    "accept_guidelines": _signed_in,
    "resend_verification": _resend_verification,
    "view_dashboard": _staff_only,
    "view_unanswered": _view_unanswered,
    "read_conversation": _read_conversation,
    "start_conversation": _start_conversation,
    "write_message": _write_message,
    "report_message": _report_message,
    "block_member": _block_member,
    "review_message_reports": _review_message_reports,
    "view_profile": _view_profile,
    "edit_profile": _own_account,
    "export_account": _own_account,
    "delete_account": _own_account,
}


def why_not(actor: Any, action: str, target: Any) -> str | None:
    """The reason `actor` may not do `action` to `target`, or None when they may."""
    return RULES[action](_member(actor), target)


def can(actor: Any, action: str, target: Any) -> bool:
    """True when `actor` (a Member, or a visitor) may do `action` to `target`."""
    return why_not(actor, action, target) is None


def ensure(actor: Any, action: str, target: Any) -> None:
    """Abort with 403 and the reason when the action is not allowed."""
    reason = why_not(actor, action, target)
    if reason is not None:
        deny(reason)


def ensure_visible(actor: Any, target: Topic | Post) -> None:
    """Things the actor may not see answer 404, so their existence is not revealed; a visitor in a members-only
    group is asked to sign in instead (403 with the reason, which the error page turns into a sign-in prompt)."""
    action = "view_topic" if isinstance(target, Topic) else "view_post"
    reason = why_not(actor, action, target)
    if reason == MEMBERS_ONLY:
        deny(reason)
    if reason is not None:
        abort(404)


def deny(reason: str) -> NoReturn:
    abort(403, description=reason)


def visible_topic_filter(actor: Any) -> ColumnElement[bool]:
    """WHERE clause for topics that `actor` may see in lists."""
    return Topic.status == ContentStatus.VISIBLE


def readable_post_filter(actor: Any, topic: Topic) -> ColumnElement[bool]:
    """WHERE clause for the posts shown in a topic's stream: published ones, placeholders for
    deleted ones, and the reader's own posts waiting for review or turned down."""
    member = _member(actor)
    if _moderates(member, topic.group_id):
        return true()
    shown = Post.status.in_([ContentStatus.VISIBLE, ContentStatus.DELETED])
    if member is None:
        return shown
    own = (Post.author_id == member.id) & Post.status.in_(AUTHOR_SEES)
    return or_(shown, own)


def readable_group_filter(actor: Any) -> ColumnElement[bool]:
    """WHERE clause for the groups `actor` may read (lists, search, profiles); the same ladder as _view_group."""
    # Signed-in members read every group; visitors (and so feeds and crawlers) the public ones only.
    if _member(actor) is not None:
        return true()
    return Group.visibility == GroupVisibility.PUBLIC


def searchable_post_filter(actor: Any) -> ColumnElement[bool]:
    """WHERE clause (over posts joined to their topic and group) for what `actor` may find by searching:
    published posts in published topics only, never pending, rejected, hidden or deleted ones, not even for
    their author or a moderator, who see those in the topic itself and in the review queue."""
    published = (Post.status == ContentStatus.VISIBLE) & (Topic.status == ContentStatus.VISIBLE)
    return published & readable_group_filter(actor)


def public_post_filter() -> ColumnElement[bool]:
    """WHERE clause for posts that may leave the site: feeds, the sitemap and link previews are what a visitor
    could find, whoever asks."""
    return searchable_post_filter(None)


def is_public_group(group: Group) -> bool:
    """May the group's content be syndicated (feeds, sitemap) and indexed by search engines?"""
    return group.visibility == GroupVisibility.PUBLIC


def is_public_topic(topic: Topic) -> bool:
    """May the topic be indexed, previewed (Open Graph) and syndicated? Anything else carries `noindex`."""
    return topic.status == ContentStatus.VISIBLE and is_public_group(topic.group)


# Who may reach each endpoint at all. Finer rules (whose post, which group) are checked in the view.
PUBLIC, SIGNED_IN, TEAM, STAFF = "public", "signed_in", "team", "staff"
ROUTE_ACCESS: dict[str, str] = {
    "static": PUBLIC,
    "main.index": PUBLIC,
    "main.guidelines": PUBLIC,
    "main.healthz": PUBLIC,
    "auth.register": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": SIGNED_IN,
    "account.index": SIGNED_IN,
    "account.password": SIGNED_IN,
    "account.email": SIGNED_IN,
    "account.confirm_email": PUBLIC,  # the token names the account; often opened on another device
    "account.resend_verification": SIGNED_IN,
    "account.verify_email": PUBLIC,  # the token names the account
    "account.forgot_password": PUBLIC,
    "account.reset_password": PUBLIC,
    "community.group": PUBLIC,
    "community.topic": PUBLIC,
    "community.post": PUBLIC,
    "community.join": SIGNED_IN,
    "community.leave": SIGNED_IN,
    "community.new_topic": SIGNED_IN,
    "community.reply_to": SIGNED_IN,
    "community.edit": SIGNED_IN,
    "community.delete": SIGNED_IN,
    "community.flag": SIGNED_IN,
    "members.profile": PUBLIC,  # the view asks "view_profile": some profiles are for signed-in members only
    "privacy.edit_profile": SIGNED_IN,
    "privacy.export": SIGNED_IN,
    "privacy.delete_account": SIGNED_IN,
    "members.notifications": SIGNED_IN,
    "members.open_notification": SIGNED_IN,
    "members.read_notification": SIGNED_IN,
    "members.read_all_notifications": SIGNED_IN,
    "notify.topic_follow": SIGNED_IN,
    "notify.group_follow": SIGNED_IN,
    "notify.preferences": SIGNED_IN,
    "notify.unsubscribe": PUBLIC,  # the signed token in the link says whose e-mails stop
    "mod.queue": TEAM,
    "mod.decide_item": TEAM,
    "mod.edit_item": TEAM,
    "mod.bulk": TEAM,
    "mod.log": TEAM,
    "mod.lock_topic": TEAM,
    "mod.move": TEAM,
    "mod.topic_visibility": TEAM,
    "mod.post_visibility": TEAM,
    "mod.member": TEAM,
    "mod.suspend_member": TEAM,
    "mod.unsuspend_member": TEAM,
    "mod.watched_words": TEAM,
    "mod.delete_watched_word": TEAM,
    "mod.settings": STAFF,
    "mod.groups": STAFF,
    "mod.edit_group": STAFF,
    "mod.moderator_groups": STAFF,
    "search.search": PUBLIC,
    "feeds.latest": PUBLIC,
    "feeds.group": PUBLIC,
    "feeds.topic": PUBLIC,
    "feeds.sitemap": PUBLIC,
    "feeds.robots": PUBLIC,
    "guidelines.history": PUBLIC,
    "guidelines.diff": PUBLIC,
    "guidelines.edit": STAFF,
    "guidelines.accept": SIGNED_IN,
    "resources.index": PUBLIC,
    "resources.show": PUBLIC,
    "helpful.mark": SIGNED_IN,
    "helpful.unmark": SIGNED_IN,
    "helpful.recommend": SIGNED_IN,
    "helpful.unrecommend": SIGNED_IN,
    "announcements.dismiss": SIGNED_IN,
    "staff.dashboard": STAFF,
    "staff.export": STAFF,
    "staff.unanswered": SIGNED_IN,  # mentors too: the view asks "view_unanswered"
    "staff.unanswered_setting": STAFF,
    "staff.pins": STAFF,
    "staff.pin": STAFF,
    "staff.unpin": STAFF,
    "staff.move_pin": STAFF,
    "staff.resources": STAFF,
    "staff.new_resource": STAFF,
    "staff.edit_resource": STAFF,
    "staff.move_resource": STAFF,
    "staff.archive_resource": STAFF,
    "staff.feature_post": STAFF,
    "staff.announcements": STAFF,
    "staff.end_announcement": STAFF,
    "messages.index": SIGNED_IN,
    "messages.new": SIGNED_IN,
    "messages.conversation": SIGNED_IN,
    "messages.reply": SIGNED_IN,
    "messages.leave": SIGNED_IN,
    "messages.report": SIGNED_IN,
    "messages.block": SIGNED_IN,
    "messages.unblock": SIGNED_IN,
    "messages.decide_report": TEAM,  # the view asks "review_message_reports": unscoped moderators and staff
}


def route_refusal(actor: Any, endpoint: str | None) -> str | None:
    """Why `actor` may not reach `endpoint` at all (None: go on to the view's own checks).
    Unknown endpoints are refused, so a new route without an entry cannot be reached by accident."""
    if endpoint is None:
        return None  # no route matched: the 404 handler answers
    level = ROUTE_ACCESS.get(endpoint)
    member = _member(actor)
    if level is None:
        return "This page is not available."
    if level == PUBLIC:
        return None
    if member is None:
        return SIGN_IN
    if level == TEAM and not _is_moderator(member):
        return NOT_MODERATOR
    if level == STAFF and member.role not in STAFF_ROLES:
        return "Only staff can do this."
    return None
