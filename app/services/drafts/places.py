"""The places a draft belongs to, and what the owner's list of drafts says about each.

A place is a kind and a target id: a new topic in a group ("topic", group id), a reply to a topic ("reply", topic
id), an edit of a post ("edit", post id), a new private message ("message", 0) or a reply in a conversation
("conversation", conversation id). A place the member can no longer reach keeps its draft (the words are theirs)
but is described without its title, and links to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import permissions
from app.extensions import db
from app.models import Draft, Group, Member, Post, Topic
from app.models.messages import Conversation, ConversationParticipant

KINDS = ("topic", "reply", "edit", "message", "conversation")
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Place:
    kind: str
    target_id: int = 0

    @property
    def key(self) -> str:
        """How a page names the place in a URL: `reply-12`."""
        return f"{self.kind}-{self.target_id}"


def parse(key: str | None) -> Place | None:
    """The place a URL names, or None for anything we never issue."""
    kind, _sep, number = (key or "").partition("-")
    if kind not in KINDS or not (number.isascii() and number.isdigit()) or len(number) > 10:
        return None
    target_id = int(number)
    if target_id > MAX_ID or (kind == "message") != (target_id == 0):
        return None
    return Place(kind, target_id)


def of(draft: Draft) -> Place:
    return Place(draft.kind, draft.target_id)


def may_write(member: Member, place: Place) -> bool:
    """May the member keep a draft for this place: they can see it and write there (or edit the post)?"""
    if place.kind == "message":
        return True
    target = _target(place)
    if target is None:
        return False
    if place.kind == "conversation":
        return _takes_part(member, place.target_id)
    action = {"topic": "view_group", "reply": "view_topic", "edit": "edit_post"}[place.kind]
    return permissions.can(member, action, target)


@dataclass(frozen=True)
class Described:
    """A draft as its owner's list shows it: where it belongs and the way back to its composer (None: gone)."""

    draft: Draft
    place: Place
    label: str
    url: str | None


def describe(member: Member, draft: Draft) -> Described:
    place = of(draft)
    if not may_write(member, place):
        return Described(draft, place, _("A place you can no longer reach"), None)
    label, url = _label_and_url(place)
    return Described(draft, place, label, url)


def composer_url(place: Place) -> str | None:
    """The page holding the composer of this place."""
    return _label_and_url(place)[1] if (place.kind == "message" or _target(place) is not None) else None


def _label_and_url(place: Place) -> tuple[str, str | None]:
    if place.kind == "message":
        return _("A new private message"), url_for("messages.new")
    target = _target(place)
    if isinstance(target, Group):
        return _("A new topic in %(group)s", group=target.name), url_for("community.new_topic", slug=target.slug)
    if isinstance(target, Topic):
        url = url_for("community.topic", topic_id=target.id, slug=target.slug, _anchor="reply-heading")
        return _("A reply to %(title)s", title=target.title), url
    if isinstance(target, Post):
        return _("An edit of your post in %(title)s", title=target.topic.title), url_for(
            "community.edit", post_id=target.id
        )
    if isinstance(target, Conversation):
        label = (
            _("A reply in %(subject)s", subject=target.subject) if target.subject else _("A reply in a conversation")
        )
        return label, url_for("messages.conversation", conversation_id=target.id)
    return _("A place you can no longer reach"), None


def _target(place: Place) -> Group | Topic | Post | Conversation | None:
    if place.kind == "topic":
        return db.session.get(Group, place.target_id)
    if place.kind == "reply":
        return db.session.get(Topic, place.target_id)
    if place.kind == "edit":
        return db.session.get(Post, place.target_id)
    if place.kind == "conversation":
        return db.session.get(Conversation, place.target_id)
    return None


def _takes_part(member: Member, conversation_id: int) -> bool:
    place = db.session.get(ConversationParticipant, (conversation_id, member.id))
    return place is not None and place.left_at is None


def describe_all(member: Member, drafts: list[Draft]) -> list[Described]:
    """`describe()` for a list of drafts, in a fixed number of statements however many there are."""
    loaded = _preload(member, drafts)  # held while describing: the session keeps loaded rows only while in use
    described = [describe(member, draft) for draft in drafts]
    del loaded
    return described


def _preload(member: Member, drafts: list[Draft]) -> list[object]:
    """Load the places of many drafts in one statement per kind, so describing each finds them in the session
    (Session.get asks the database only for what it has not loaded)."""
    ids = {kind: [draft.target_id for draft in drafts if draft.kind == kind] for kind in KINDS}
    queries = {
        "topic": select(Group).where(Group.id.in_(ids["topic"])),
        "reply": select(Topic).options(joinedload(Topic.group)).where(Topic.id.in_(ids["reply"])),
        "edit": select(Post).options(joinedload(Post.topic).joinedload(Topic.group)).where(Post.id.in_(ids["edit"])),
        "conversation": select(ConversationParticipant)
        .options(joinedload(ConversationParticipant.conversation))
        .where(
            ConversationParticipant.member_id == member.id,
            ConversationParticipant.conversation_id.in_(ids["conversation"]),
        ),
    }
    return [row for kind, query in queries.items() if ids[kind] for row in db.session.scalars(query).unique()]
