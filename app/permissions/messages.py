"""Private conversations: participants only, and the reports that reach the team."""

from __future__ import annotations

from typing import Any

from app.models import Member
from app.models.member import MODERATING_ROLES
from app.models.messages import ConversationParticipant, Message
from app.permissions.common import Rule, moderated_group_ids, team_only, unconfirmed
from app.permissions.refusals import NOT_IN_CONVERSATION, SIGN_IN
from app.text.lazy import lazy_text as _l


def read_conversation(member: Member | None, place: ConversationParticipant | None) -> str | None:
    if member is None:
        return SIGN_IN
    # Participants only, and only while they stay: not moderators, not staff (views answer 404).
    if place is None or place.member_id != member.id or place.left_at is not None:
        return NOT_IN_CONVERSATION
    return None


def start_conversation(member: Member | None, target: Any) -> str | None:
    if member is None:
        return SIGN_IN
    # Suspension is about how someone treats others: private messages stop too.
    if member.is_suspended:
        return _l("Your account is suspended, so you cannot send private messages.")
    # An unconfirmed address could be anyone's: no private messages from it (when verification is on).
    if (reason := unconfirmed(member)) is not None:
        return reason
    return None


def write_message(member: Member | None, place: ConversationParticipant | None) -> str | None:
    if (reason := read_conversation(member, place)) is not None:
        return reason
    return start_conversation(member, None)


def report_message(member: Member | None, target: tuple[ConversationParticipant | None, Message]) -> str | None:
    place, message = target
    if (reason := read_conversation(member, place)) is not None:
        return reason
    if member is None or place is None or message.conversation_id != place.conversation_id:
        return NOT_IN_CONVERSATION
    if message.author_id == member.id:
        return _l("You cannot report your own message.")
    if message.removed_at is not None:
        return _l("This message was already removed by a moderator.")
    return None


def block_member(member: Member | None, target: Member) -> str | None:
    if member is None:
        return SIGN_IN
    if target.id == member.id:
        return _l("You cannot block yourself.")
    # The team must always be able to reach a member, about their posts or their safety.
    if target.role in MODERATING_ROLES:
        return _l("You cannot block moderators or staff: they need to be able to reach you.")
    return None


def review_message_reports(member: Member | None, target: Any) -> str | None:
    if (reason := team_only(member, target)) is not None:
        return reason
    # A private message belongs to no group: moderators of the whole community look at reports of one.
    if member is not None and moderated_group_ids(member) is not None:
        return _l("Reported private messages are reviewed by moderators of the whole community.")
    return None


RULES: dict[str, Rule] = {
    "read_conversation": read_conversation,
    "start_conversation": start_conversation,
    "write_message": write_message,
    "report_message": report_message,
    "block_member": block_member,
    "review_message_reports": review_message_reports,
}
