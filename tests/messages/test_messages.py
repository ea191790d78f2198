"""Private messages: starting conversations, replying, unread state, leaving, blocking, and refusals of bad input."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import MemberStatus, Notification, Role
from app.models.messages import Block, Conversation, ConversationParticipant, Message
from tests.factories import make_conversation, make_member
from tests.support import browser, page_text, soup


@pytest.fixture
def cat():  # noqa: ANN201
    return make_member(display_name="Cat")


def _participants(conversation_id: int) -> dict[int, ConversationParticipant]:
    db.session.rollback()
    rows = db.session.scalars(
        select(ConversationParticipant).where(ConversationParticipant.conversation_id == conversation_id)
    )
    return {row.member_id: row for row in rows}


def _notices(member_id: int) -> list[Notification]:
    db.session.rollback()
    return list(db.session.scalars(select(Notification).where(Notification.member_id == member_id)))


def test_starting_a_conversation_stores_it_with_the_first_message(
    app: Flask, ann, bob, latest_conversation, start
) -> None:
    """A member writes to another by display name: one conversation, both taking part, the message cooked."""
    response = start(browser(app, ann), "bob", body="**Hello** Bob")
    conversation = latest_conversation()
    assert response.status_code == 302
    assert response.location == f"/messages/{conversation.id}"
    assert set(_participants(conversation.id)) == {ann.id, bob.id}
    message = db.session.scalar(select(Message))
    assert (message.author_id, message.raw, message.cooked) == (
        ann.id,
        "**Hello** Bob",
        "<p><strong>Hello</strong> Bob</p>\n",
    )


def test_recipient_is_notified_without_the_message_body(app: Flask, ann, bob, latest_conversation, start) -> None:
    """The recipient gets a "message" notice naming the sender and linking the conversation, never the words."""
    start(browser(app, ann), "Bob", body="My private worry about my scan")
    [notice] = _notices(bob.id)
    conversation = latest_conversation()
    assert (notice.kind, notice.message) == ("message", "Ann sent you a private message")
    assert notice.link.startswith(f"/messages/{conversation.id}#m")
    assert "worry" not in notice.message and _notices(ann.id) == []


def test_several_recipients_all_take_part_and_are_notified(
    app: Flask, ann, bob, cat, latest_conversation, start
) -> None:
    """Names separated by commas start one conversation between all of them."""
    assert start(browser(app, ann), "Bob, cat").status_code == 302
    assert set(_participants(latest_conversation().id)) == {ann.id, bob.id, cat.id}
    assert len(_notices(bob.id)) == len(_notices(cat.id)) == 1


def test_names_may_be_separated_by_an_arabic_comma(app: Flask, ann, bob, cat, latest_conversation, start) -> None:
    """An Arabic keyboard's comma separates names as well."""
    assert start(browser(app, ann), "Bob، cat").status_code == 302
    assert set(_participants(latest_conversation().id)) == {ann.id, bob.id, cat.id}


def test_subject_is_optional(app: Flask, ann, bob, latest_conversation, start) -> None:
    """Without a subject the conversation is stored and listed as "No subject"."""
    assert start(browser(app, ann), "Bob", subject="  ").status_code == 302
    assert latest_conversation().subject == ""
    assert "No subject" in page_text(browser(app, bob).get("/messages"))


def test_list_shows_latest_activity_first_and_marks_unread(app: Flask, ann, bob, cat, send) -> None:
    """The list puts the conversation with the newest message first and marks the ones with unread messages."""
    older = make_conversation(ann, bob, subject="Older")
    newer = make_conversation(cat, bob, subject="Newer")
    reader = browser(app, bob)
    rows = soup(reader.get("/messages")).select("li.conversation-row")
    assert [row.a.get_text() for row in rows] == ["Newer", "Older"]
    assert all("card-unread" in row["class"] for row in rows)
    assert send(browser(app, ann), older.id).status_code == 302  # new activity moves it to the top
    reader.get(f"/messages/{newer.id}")
    rows = soup(reader.get("/messages")).select("li.conversation-row")
    assert [(row.a.get_text(), "card-unread" in row["class"]) for row in rows] == [("Older", True), ("Newer", False)]


def test_opening_a_conversation_marks_it_read_for_that_member_only(app: Flask, ann, bob, cat) -> None:
    """Reading a conversation moves the reader's own unread marker, not the other participants'."""
    conversation = make_conversation(ann, bob, cat)
    assert browser(app, bob).get(f"/messages/{conversation.id}").status_code == 200
    places = _participants(conversation.id)
    assert places[bob.id].last_read_message_id == conversation.last_message_id
    assert places[cat.id].last_read_message_id == 0


def test_conversation_page_shows_messages_and_participants(app: Flask, ann, bob) -> None:
    """Participants read every message with its author, and the names of those taking part."""
    conversation = make_conversation(ann, bob, bodies=("First words", "Second words"))
    text = page_text(browser(app, bob).get(f"/messages/{conversation.id}"))
    assert "First words" in text and "Second words" in text and "Ann" in text


def test_long_conversation_opens_at_its_latest_messages(app: Flask, ann, bob) -> None:
    """With more messages than a page holds, the conversation opens on its last page; ?page=1 shows the first."""
    conversation = make_conversation(ann, bob, bodies=tuple(f"Message number {n}" for n in range(1, 56)))
    reader = browser(app, bob)
    latest = soup(reader.get(f"/messages/{conversation.id}")).select("li.message")
    assert len(latest) == 5 and "Message number 55" in latest[-1].get_text()
    first = soup(reader.get(f"/messages/{conversation.id}?page=1")).select("li.message")
    assert len(first) == 50 and "Message number 1" in first[0].get_text()


def test_reply_notifies_the_others_who_have_not_left(app: Flask, ann, bob, cat, count, send) -> None:
    """A reply is stored and each other participant still in the conversation is told; one who left is not."""
    conversation = make_conversation(ann, bob, cat)
    assert browser(app, cat).post_form(f"/messages/{conversation.id}/leave").status_code == 302
    response = send(browser(app, bob), conversation.id, "Glad to hear from you")
    assert response.status_code == 302
    assert count(Message) == 2
    assert [n.message for n in _notices(ann.id)] == ["Bob sent you a private message"]
    assert _notices(cat.id) == []


def test_leaving_removes_the_conversation_from_the_list(app: Flask, ann, bob) -> None:
    """After leaving, the conversation is no longer listed for the member who left."""
    conversation = make_conversation(ann, bob, subject="Goodbye soon")
    client = browser(app, bob)
    assert client.post_form(f"/messages/{conversation.id}/leave").location == "/messages"
    assert "Goodbye soon" not in page_text(client.get("/messages"))
    assert _participants(conversation.id)[bob.id].left_at is not None


def test_replying_to_a_conversation_you_left_is_refused(app: Flask, ann, bob, count, send) -> None:
    """A member who left gets a clear 403 when replying or reading, and nothing is stored."""
    conversation = make_conversation(ann, bob)
    client = browser(app, bob)
    client.post_form(f"/messages/{conversation.id}/leave")
    response = send(client, conversation.id, "Am I still here?")
    assert response.status_code == 403
    assert "You left this conversation" in page_text(response)
    assert client.get(f"/messages/{conversation.id}").status_code == 403
    assert count(Message) == 1


def test_reply_when_everyone_else_left_is_refused(app: Flask, ann, bob, count, send) -> None:
    """Writing into a conversation nobody else is in any more says so, and stores nothing."""
    conversation = make_conversation(ann, bob)
    browser(app, bob).post_form(f"/messages/{conversation.id}/leave")
    response = send(browser(app, ann), conversation.id, "Hello?")
    assert response.status_code == 422
    assert "Everyone else has left" in page_text(response)
    assert count(Message) == 1


@pytest.mark.parametrize(
    ("to", "body", "problem"),
    [
        ("Ann", "Hello", "You cannot send a message to yourself."),
        ("Nobody Here", "Hello", "There is no member called “Nobody Here”."),
        ("Bob, bob", "Hello", "You named “bob” more than once."),
        ("", "Hello", "Please name at least one member to write to."),
        (" , ,", "Hello", "Please name at least one member to write to."),
        (", ".join(f"Name {n}" for n in range(11)), "Hello", "at most 10 other members"),
        ("Bob", "   \n ", "Please write your message."),
        ("Bob", "x" * 10_001, "Messages can be at most 10,000 characters."),
        ("Bob", "nul \x00 here", "cannot be stored (NUL)"),
    ],
    ids=["self", "unknown", "duplicate", "nobody", "only-commas", "too-many", "empty", "too-long", "nul"],
)
def test_bad_new_conversation_is_refused_with_a_clear_error(
    app: Flask, ann, bob, to, body, problem, count, start
) -> None:
    """Each bad recipient list or body gets the form back (422) with a message, and nothing is stored or sent."""
    response = start(browser(app, ann), to, body=body)
    assert response.status_code == 422
    assert problem in page_text(response)
    assert count(Conversation) == count(Message) == count(Notification) == 0


def test_too_long_subject_is_refused(app: Flask, ann, bob, count, start) -> None:
    """A subject over 200 characters is refused next to the field."""
    response = start(browser(app, ann), "Bob", subject="s" * 201)
    assert response.status_code == 422
    assert "Subjects can be at most 200 characters." in page_text(response)
    assert count(Conversation) == 0


def test_deleted_member_cannot_be_messaged(app: Flask, ann, count, start) -> None:
    """An erased account is refused as a recipient, and nothing is stored."""
    make_member(display_name="Gone Person", status=MemberStatus.DELETED)
    response = start(browser(app, ann), "Gone Person")
    assert response.status_code == 422
    assert "no longer a member" in page_text(response)
    assert count(Conversation) == 0


def test_empty_reply_is_refused(app: Flask, ann, bob, count, send) -> None:
    """An empty reply shows the conversation again with the error, and stores nothing."""
    conversation = make_conversation(ann, bob)
    response = send(browser(app, bob), conversation.id, "  ")
    assert response.status_code == 422
    assert "Please write your message." in page_text(response)
    assert count(Message) == 1


def test_suspended_member_cannot_start_or_send(app: Flask, bob, count, send) -> None:
    """Suspension stops private messages: both the form and a reply answer 403 with the reason."""
    suspended = make_member(status=MemberStatus.SUSPENDED, suspension_reason="Testing")
    conversation = make_conversation(bob, suspended)
    client = browser(app, suspended)
    assert client.get("/messages/new").status_code == 403
    response = send(client, conversation.id)
    assert response.status_code == 403
    assert "cannot send private messages" in page_text(response)
    assert count(Message) == 1


def test_profile_message_button_prefills_the_recipient(app: Flask, ann, bob) -> None:
    """The "Message" button on a profile opens the form with that member's name filled in."""
    client = browser(app, ann)
    button = soup(client.get("/u/Bob")).find("a", string="Message")
    assert button["href"] == f"/messages/new?to={bob.id}"
    assert soup(client.get(button["href"])).find("input", attrs={"name": "to"})["value"] == "Bob"


def test_header_links_messages_for_members_only(app: Flask, ann) -> None:
    """Signed-in members see a "Messages" link in the header; visitors do not."""
    assert soup(browser(app, ann).get("/")).select_one("header nav a[href='/messages']") is not None
    assert soup(browser(app).get("/")).select_one("header nav a[href='/messages']") is None


def test_message_bodies_are_never_logged(
    app: Flask, ann, bob, caplog: pytest.LogCaptureFixture, count, latest_conversation, send, start
) -> None:
    """Sending and replying log nothing of what was written, at any level."""
    caplog.set_level(logging.DEBUG)
    client = browser(app, ann)
    start(client, "Bob", body="secret-body-words", subject="secret-subject")
    send(client, latest_conversation().id, "secret-reply-words")
    assert count(Message) == 2
    assert "secret-" not in caplog.text


# --- blocking ------------------------------------------------------------------------------------------------------


def _block(blocker, blocked) -> None:  # noqa: ANN001
    db.session.add(Block(blocker_id=blocker.id, blocked_id=blocked.id))
    db.session.commit()


def test_blocked_member_cannot_start_a_conversation_with_you(app: Flask, ann, bob, count, start) -> None:
    """A member Bob blocked is told Bob is not accepting their messages; nothing is stored or sent."""
    _block(bob, ann)
    response = start(browser(app, ann), "Bob")
    assert response.status_code == 422
    assert "Bob is not accepting messages from you." in page_text(response)
    assert count(Conversation) == count(Notification) == 0


def test_blocked_member_cannot_add_you_to_a_group_conversation(app: Flask, ann, bob, cat, count, start) -> None:
    """Naming a member who blocked you among others is refused, so the conversation is not started at all."""
    _block(bob, ann)
    response = start(browser(app, ann), "Cat, Bob")
    assert response.status_code == 422
    assert count(Conversation) == 0


def test_blocked_member_cannot_reply_in_an_existing_conversation(app: Flask, ann, bob, count, send) -> None:
    """A block also closes conversations that already existed, to the blocked member."""
    conversation = make_conversation(bob, ann)
    _block(bob, ann)
    response = send(browser(app, ann), conversation.id, "Please answer")
    assert response.status_code == 422
    assert "Bob is not accepting messages from you." in page_text(response)
    assert count(Message) == 1


def test_blocker_is_told_to_unblock_before_writing(app: Flask, ann, bob, start) -> None:
    """Writing to someone you blocked says so, rather than leaving them unable to answer."""
    _block(ann, bob)
    response = start(browser(app, ann), "Bob")
    assert response.status_code == 422
    assert "You blocked Bob." in page_text(response)


def test_block_and_unblock_from_the_profile(app: Flask, ann, bob, count) -> None:
    """The profile's Block button blocks and comes back to the profile, which then offers Unblock."""
    client = browser(app, ann)
    response = client.post_form(f"/messages/block/{bob.id}", {"back": "profile"})
    assert response.location == "/u/Bob"
    assert count(Block) == 1
    assert soup(client.get("/u/Bob")).find("button", string="Unblock") is not None
    assert client.post_form(f"/messages/unblock/{bob.id}", {"back": "profile"}).location == "/u/Bob"
    assert count(Block) == 0


def test_block_from_a_conversation_returns_to_it(app: Flask, ann, bob, count) -> None:
    """Blocking from the conversation page comes back to the conversation, whose reply box then explains why not."""
    conversation = make_conversation(bob, ann)
    client = browser(app, ann)
    response = client.post_form(f"/messages/block/{bob.id}", {"back": str(conversation.id)})
    assert response.location == f"/messages/{conversation.id}"
    assert count(Block) == 1
    assert "Unblock" in page_text(client.get(f"/messages/{conversation.id}"))


def test_blocking_twice_keeps_one_row(app: Flask, ann, bob, count) -> None:
    """A double submit of Block stores a single block."""
    client = browser(app, ann)
    client.post_form(f"/messages/block/{bob.id}")
    client.post_form(f"/messages/block/{bob.id}")
    assert count(Block) == 1


def test_blocked_members_are_listed_with_unblock(app: Flask, ann, bob, count) -> None:
    """The messages page lists the members you blocked, each with an Unblock button back to the list."""
    _block(ann, bob)
    client = browser(app, ann)
    section = soup(client.get("/messages")).find("section", attrs={"aria-labelledby": "blocked-heading"})
    assert "Bob" in section.get_text()
    assert client.post_form(f"/messages/unblock/{bob.id}", {"back": "index"}).location == "/messages"
    assert count(Block) == 0


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.STAFF, Role.ADMIN])
def test_the_team_cannot_be_blocked(app: Flask, ann, role: Role, count) -> None:
    """Moderators and staff cannot be blocked, so they can always reach a member; the refusal says why."""
    helper = make_member(role=role)
    response = browser(app, ann).post_form(f"/messages/block/{helper.id}")
    assert response.status_code == 403
    assert "they need to be able to reach you" in page_text(response)
    assert count(Block) == 0


def test_you_cannot_block_yourself(app: Flask, ann, count) -> None:
    """Blocking yourself is refused."""
    assert browser(app, ann).post_form(f"/messages/block/{ann.id}").status_code == 403
    assert count(Block) == 0


def test_blocking_an_unknown_member_is_not_found(app: Flask, ann) -> None:
    """A member id that does not exist answers 404."""
    assert browser(app, ann).post_form("/messages/block/999999").status_code == 404
    assert browser(app, ann).post_form("/messages/block/99999999999").status_code == 404


def test_double_submit_of_a_new_conversation_stores_one(app: Flask, ann, bob, count, start) -> None:
    """The same new-conversation form sent twice in a row gives one conversation, one message, one notice."""
    client = browser(app, ann)
    first, second = start(client, "Bob", body="Just once"), start(client, "Bob", body="Just once")
    assert second.location.startswith(first.location + "#m")  # the conversation, at the message already there
    assert count(Conversation) == count(Message) == count(Notification) == 1


def test_double_submit_of_a_reply_stores_one(app: Flask, ann, bob, count, send) -> None:
    """The same reply sent twice in a row is stored once; the same words later in other replies still go out."""
    conversation = make_conversation(ann, bob)
    client = browser(app, bob)
    assert send(client, conversation.id, "Thank you").location == send(client, conversation.id, "Thank you").location
    assert count(Message) == 2
    send(client, conversation.id, "Something else")
    send(client, conversation.id, "Thank you")
    assert count(Message) == 4


def test_same_words_to_other_people_start_a_new_conversation(app: Flask, ann, bob, cat, count, start) -> None:
    """Sending the same first message to someone else is no double submit: it starts a conversation of its own."""
    client = browser(app, ann)
    start(client, "Bob", body="Hello")
    start(client, "Cat", body="Hello")
    assert count(Conversation) == 2
