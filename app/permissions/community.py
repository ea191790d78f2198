"""Groups, topics and posts: who may read, write, flag, thank, pin and follow."""

from __future__ import annotations

from app.models import ContentStatus, Group, Member, Post, Role, Topic
from app.models.community import GroupVisibility
from app.permissions.common import (
    ALWAYS_POST_ROLES,
    RANK,
    RECOMMENDING_ROLES,
    Rule,
    moderates,
    staff_only,
    unconfirmed,
    would_moderate,
)
from app.permissions.filters import AUTHOR_SEES, is_public_group, is_public_topic
from app.permissions.refusals import (
    ARCHIVED,
    GUIDELINES_CHANGED,
    LOCKED,
    MEMBERS_ONLY,
    NOT_JOINED,
    OWN_POST_FLAG,
    SECOND_FACTOR_FIRST,
    SIGN_IN,
    SUSPENDED,
    TOPIC_UNAVAILABLE,
)
from app.text.lazy import lazy_text as _l


def join_group(member: Member | None, group: Group) -> str | None:
    if member is None:
        return SIGN_IN
    if group.archived:
        return ARCHIVED
    return None


def post_in_group(member: Member | None, group: Group, *, joined: bool) -> str | None:
    # Visitors cannot post.
    if member is None:
        return SIGN_IN
    # Suspended members keep read access only.
    if member.is_suspended:
        return SUSPENDED
    # Members whose address is not confirmed yet read only (when verification is on).
    if (reason := unconfirmed(member)) is not None:
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


def start_topic(member: Member | None, target: tuple[Group, bool]) -> str | None:
    group, joined = target
    return post_in_group(member, group, joined=joined)


def join_and_start_topic(member: Member | None, group: Group) -> str | None:
    # Offered in place of a refusal only when joining is all that stands between the member and a new topic.
    if (reason := join_group(member, group)) is not None:
        return reason
    return post_in_group(member, group, joined=True)


def reply(member: Member | None, target: tuple[Topic, bool]) -> str | None:
    topic, joined = target
    # Nobody replies to a topic they cannot see; a topic waiting for review takes no replies yet.
    if view_topic(member, topic) is not None:
        return TOPIC_UNAVAILABLE
    if topic.status != ContentStatus.VISIBLE:
        return _l("This topic is waiting for review, so it cannot take replies yet.")
    # Locked topics are closed, except to its moderators, who may still need to explain why.
    if topic.locked and not moderates(member, topic.group_id):
        return LOCKED
    return post_in_group(member, topic.group, joined=joined)


def view_group(member: Member | None, group: Group) -> str | None:
    # Members-only groups are closed to visitors (and so to feeds, crawlers and link previews); members read all.
    if member is None and group.visibility != GroupVisibility.PUBLIC:
        return MEMBERS_ONLY
    return None


def view_topic(member: Member | None, topic: Topic) -> str | None:
    # Nothing in a group is more visible than the group itself.
    if (reason := view_group(member, topic.group)) is not None:
        return reason
    # Published topics are for everyone.
    if topic.status == ContentStatus.VISIBLE:
        return None
    # The group's moderators see everything, to decide about it.
    if moderates(member, topic.group_id):
        return None
    # Authors still see their own topic while it waits for review, or after it was turned down.
    if member is not None and topic.author_id == member.id and topic.status in AUTHOR_SEES:
        return None
    # Its moderators by role, who have not set up the second factor their role requires, are sent to do so.
    if would_moderate(member, topic.group_id):
        return SECOND_FACTOR_FIRST
    return TOPIC_UNAVAILABLE


def view_post(member: Member | None, post: Post) -> str | None:
    # A post is no more visible than its topic.
    if (reason := view_topic(member, post.topic)) is not None:
        return reason
    # Published posts, and the "removed by its author" placeholders, are for everyone who sees the topic.
    if post.status in (ContentStatus.VISIBLE, ContentStatus.DELETED):
        return None
    if moderates(member, post.topic.group_id):
        return None
    # Authors see their own posts waiting for review, and the ones turned down (to edit and resubmit).
    if member is not None and post.author_id == member.id and post.status in AUTHOR_SEES:
        return None
    if would_moderate(member, post.topic.group_id):
        return SECOND_FACTOR_FIRST
    return _l("This post is not available.")


def edit_post(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    # Authors edit their words; the group's moderators may correct a published post of someone else's.
    if post.author_id != member.id:
        return _moderator_edit(member, post)
    if member.is_suspended:
        return SUSPENDED
    # A rejected post may be improved and sent back for review, once.
    if post.status == ContentStatus.REJECTED and post.resubmitted:
        return _l("This post was already resubmitted once and can no longer be edited.")
    if post.status not in (ContentStatus.VISIBLE, ContentStatus.PENDING, ContentStatus.REJECTED):
        return _l("This post can no longer be edited.")
    if post.topic.locked:
        return LOCKED
    if post.topic.group.archived:
        return ARCHIVED
    return None


def _moderator_edit(member: Member, post: Post) -> str | None:
    """The rungs for editing someone else's post (the service then asks for a reason and tells the author)."""
    if not moderates(member, post.topic.group_id):
        return _l("You can only edit your own posts.")
    # Nobody rewrites their betters (nor, admins apart, their equals).
    if post.author is not None and RANK[member.role] <= RANK[post.author.role] and member.role != Role.ADMIN:
        return _l("You cannot edit this member's posts.")
    # Held posts are edited in the review queue; hidden and deleted ones are out of view.
    if post.status != ContentStatus.VISIBLE:
        return _l("Only published posts can be edited by a moderator here; held posts are edited in the queue.")
    if post.topic.group.archived:
        return ARCHIVED
    return None


def delete_post(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    # Members can always take back their own words, even while suspended.
    if post.author_id != member.id:
        return _l("You can only delete your own posts.")
    if post.status == ContentStatus.DELETED:
        return _l("This post is already deleted.")
    return None


def flag_post(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    if member.is_suspended:
        return _l("Your account is suspended, so you cannot flag posts.")
    if (reason := unconfirmed(member)) is not None:
        return reason
    if post.author_id == member.id:
        return OWN_POST_FLAG
    if post.status != ContentStatus.VISIBLE:
        return _l("Only published posts can be flagged.")
    return None


def share_post(member: Member | None, post: Post) -> str | None:
    # A permalink is worth offering only for a published post in a published topic: others can open it.
    if post.status != ContentStatus.VISIBLE or post.topic.status != ContentStatus.VISIBLE:
        return _l("Only published posts can be shared.")
    return None


def index_topic(member: Member | None, topic: Topic) -> str | None:
    # Search engines and link previews get public topics only, whoever is looking at the page.
    return None if is_public_topic(topic) else _l("This topic is not public.")


def index_group(member: Member | None, group: Group) -> str | None:
    # Feeds and search engines get public groups only, whoever is looking at the page.
    return None if is_public_group(group) else _l("This group is not public.")


def published_reply(post: Post) -> str | None:
    """Helpful marks and recommendations are for replies that everyone can read."""
    if post.is_opening:
        return _l("Only replies can be marked helpful or recommended.")
    if post.status != ContentStatus.VISIBLE or post.topic.status != ContentStatus.VISIBLE:
        return _l("Only published replies can be marked helpful or recommended.")
    return None


def mark_helpful(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    if member.is_suspended:
        return _l("Your account is suspended, so you cannot mark posts helpful.")
    if (reason := unconfirmed(member)) is not None:
        return reason
    # Thanking yourself would inflate your own count.
    if post.author_id == member.id:
        return _l("You cannot mark your own post as helpful.")
    return published_reply(post)


def recommend_post(member: Member | None, post: Post) -> str | None:
    if member is None:
        return SIGN_IN
    # Staff and mentors speak for the team; moderators keep order instead.
    if member.role not in RECOMMENDING_ROLES:
        return _l("Only staff and mentors can recommend a reply.")
    if post.author_id == member.id:
        return _l("You cannot recommend your own reply.")
    return published_reply(post)


def pin_topic(member: Member | None, topic: Topic) -> str | None:
    if (reason := staff_only(member, topic)) is not None:
        return reason
    # Only what everyone can read is worth putting first.
    if topic.status != ContentStatus.VISIBLE:
        return _l("Only published topics can be pinned.")
    return None


def view_unanswered(member: Member | None, target: object) -> str | None:
    if member is None:
        return SIGN_IN
    # The people who can answer anywhere: mentors and the moderating team.
    if member.role not in ALWAYS_POST_ROLES:
        return _l("Only staff, moderators and mentors can see this list.")
    return None


def follow(member: Member | None, target: Topic | Group) -> str | None:
    if member is None:
        return SIGN_IN
    # Only what the member may read can be followed (and so tell them about itself).
    return view_topic(member, target) if isinstance(target, Topic) else view_group(member, target)


RULES: dict[str, Rule] = {
    "join_group": join_group,
    "start_topic": start_topic,
    "join_and_start_topic": join_and_start_topic,
    "reply": reply,
    "view_group": view_group,
    "view_topic": view_topic,
    "view_post": view_post,
    "edit_post": edit_post,
    "delete_post": delete_post,
    "flag_post": flag_post,
    "share_post": share_post,
    "index_topic": index_topic,
    "index_group": index_group,
    "follow": follow,
    "mark_helpful": mark_helpful,
    "recommend_post": recommend_post,
    "pin_topic": pin_topic,
    "manage_pins": staff_only,
    "manage_groups": staff_only,
    "view_unanswered": view_unanswered,
}
