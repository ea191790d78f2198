"""Seeding the browser tests' server through the app's own services (the same code the forms call).

Every test makes its own members and group with unique names, so tests do not depend on each other's order.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from app.extensions import db
from app.models import Bookmark, Group, Member, Post, Role, Topic
from app.services.bookmarks.bookmarks import add_bookmark, update_bookmark
from app.services.community.group_admin import save_group
from app.services.community.groups import join_group
from app.services.community.posting import reply, start_topic
from app.services.members.accounts import create_member

PASSWORD = "calm river lantern 42"  # noqa: S105 - test accounts on a throwaway database
_sequence = itertools.count(1)


def unique(prefix: str) -> str:
    """A name no other test of this run uses."""
    return f"{prefix} {next(_sequence)}"


def member(name: str | None = None, *, role: Role = Role.MEMBER, established: bool = True) -> Member:
    """A member who accepted the guidelines; established members' posts publish without review."""
    name = name or unique("Member")
    slug = "".join(c for c in name.lower() if c.isalnum())
    person = create_member(
        email=f"{slug}@example.org", display_name=name, password=PASSWORD, role=role, accepted_guidelines=True
    )
    if established:
        person.approved_posts = 20
        db.session.commit()
    return person


def staff(name: str | None = None) -> Member:
    return member(name or unique("Staff"), role=Role.STAFF)


def group(name: str | None = None, *, members: tuple[Member, ...] = ()) -> Group:
    """A public group, created by an admin as the staff tools do, with these members joined."""
    admin = member(unique("Admin"), role=Role.ADMIN)
    name = name or unique("Group")
    created = save_group(
        admin,
        None,
        name=name,
        slug="-".join(name.lower().split()),
        description=f"Peer support for {name.lower()}.",
        position=next(_sequence),
        archived=False,
        review_all_posts=False,
    )
    db.session.commit()
    for person in members:
        join_group(person, created)
    return created


def topic(
    author: Member, in_group: Group, title: str, body: str, replies: tuple[tuple[Member, str], ...] = ()
) -> Topic:
    """A published topic with replies, posted through the posting service."""
    started = start_topic(author, in_group, title, body).topic
    for replier, text in replies:
        reply(replier, started, text)
    return started


@dataclass(frozen=True)
class Person:
    """Who to sign in as: plain values, usable after the seeding session has closed."""

    email: str
    display_name: str


@dataclass(frozen=True)
class Community:
    """A small group with a conversation, and a member of each role, for the page-by-page checks."""

    group_slug: str
    group_name: str
    topic_id: int
    topic_title: str
    member: Person
    moderator: Person
    staff: Person


def person(someone: Member) -> Person:
    return Person(someone.email, someone.display_name)


def keep(someone: Member, conversation: Topic) -> None:
    """The member bookmarked the topic and its first reply, with a note on the reply."""
    add_bookmark(someone, conversation)
    first_reply = db.session.query(Post).filter_by(topic_id=conversation.id, is_opening=False).order_by(Post.id).first()
    add_bookmark(someone, first_reply)
    bookmark = db.session.query(Bookmark).filter_by(member_id=someone.id, post_id=first_reply.id).one()
    update_bookmark(someone, bookmark, note="Ask my nurse about the wedge pillow.\nSecond line.", remind_local=None)


def community() -> Community:
    """One group with a conversation in it, a held post in the queue, and a member, a moderator and a staff member."""
    people = (member(), member(unique("Moderator"), role=Role.MODERATOR), staff())
    mentor = member(unique("Mentor"), role=Role.MENTOR)
    newcomer = member(unique("Newcomer"), established=False)
    place = group(unique("Heart health"), members=(*people, mentor, newcomer))
    conversation = topic(
        people[0],
        place,
        "Sleeping better after surgery",
        "What helped you sleep in the **first weeks** after your operation?",
        ((mentor, "A wedge pillow and a short walk after dinner helped me a lot."), (people[2], "Ask your nurse.")),
    )
    start_topic(newcomer, place, "My first question", "Hello everyone, is it normal to feel anxious?")
    keep(people[0], conversation)
    return Community(place.slug, place.name, conversation.id, conversation.title, *map(person, people))
