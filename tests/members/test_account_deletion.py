"""Deleting an account: password re-entered, personal data erased from every table, posts kept as "Former member"
unless removal was asked for, counters right, one audit event without personal data (SECURITY.md item 22)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AuditEvent,
    ContentStatus,
    Group,
    LoginSession,
    Member,
    MemberStatus,
    Post,
    ReviewItem,
    Role,
    Topic,
)
from app.models.messages import Message
from app.services.members.erasure import FORMER_MEMBER, KEPT_REFERENCES, member_references
from tests.factories import (
    BIO,
    BOOKMARK_NOTE,
    EMAIL,
    FLAG_DETAILS,
    MESSAGE,
    NAME,
    PASSWORD,
    REPLY_BODY,
    SUBJECT,
    TOPIC_BODY,
    Traces,
    make_member,
)
from tests.support import browser, counters_and_recounts, found, page_text, topic_url


def _delete(client, password: str = PASSWORD, remove_posts: bool = False, **extra: Any):  # noqa: ANN001, ANN202
    data = {"password": password, **({"remove_posts": "y"} if remove_posts else {}), **extra}
    return client.post_form("/account/delete", data)


def _everything() -> dict[str, list[str]]:
    """Every row of every table, as text: equal snapshots mean nothing was written."""
    db.session.rollback()
    return {t.name: sorted(map(repr, db.session.execute(select(t)))) for t in db.metadata.sorted_tables}


def _text_hits(needles: list[str]) -> list[str]:
    """Every string (or JSON) value in every table of the schema that contains one of the needles."""
    db.session.rollback()
    folded = [n.casefold() for n in needles]
    hits = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                if isinstance(value, dict | list):
                    value = json.dumps(value, ensure_ascii=False)
                if isinstance(value, str) and any(n in value.casefold() for n in folded):
                    hits.append(f"{table.name}.{column}: {value[:80]!r}")
    return hits


def _references_to(member_id: int) -> list[str]:
    """Rows outside the tombstone and the audit log that still point at the member."""
    db.session.rollback()
    return [
        f"{column.table.name}.{column.name}"
        for column in member_references()
        if column.table.name not in KEPT_REFERENCES
        and db.session.execute(select(column.table).where(column == member_id)).first() is not None
    ]


def test_wrong_password_is_refused_and_changes_nothing(app: Flask, traces: Traces) -> None:
    """A wrong password gets a clear message and not one row anywhere changes."""
    client = browser(app, traces.member)
    before = _everything()
    response = _delete(client, password="not my password at all")
    assert response.status_code == 422
    assert "That password is not right. Nothing was deleted." in page_text(response)
    assert _everything() == before


def test_empty_password_is_refused(app: Flask, traces: Traces) -> None:
    """Submitting without a password deletes nothing."""
    client = browser(app, traces.member)
    assert _delete(client, password="").status_code == 422
    assert db.session.get(Member, traces.member.id).status == MemberStatus.ACTIVE


@pytest.mark.parametrize("remove_posts", [False, True], ids=["posts kept", "posts removed"])
def test_nothing_personal_remains_in_any_table(app: Flask, traces: Traces, remove_posts: bool) -> None:
    """After deletion no table holds their e-mail, name, bio, message or flag text, nor a row pointing at them."""
    member_id = traces.member.id
    assert _text_hits([EMAIL, NAME, BIO, MESSAGE, FLAG_DETAILS, BOOKMARK_NOTE])  # the scan does see them beforehand
    assert _delete(browser(app, traces.member), remove_posts=remove_posts).status_code == 302
    needles = [EMAIL, "quill.new@example.org", NAME, BIO, MESSAGE, FLAG_DETAILS, SUBJECT, BOOKMARK_NOTE]
    if remove_posts:
        needles += [TOPIC_BODY, REPLY_BODY, "Nights are long"]
    assert _text_hits(needles) == []
    assert _references_to(member_id) == []


def test_deleted_member_becomes_a_tombstone(app: Flask, traces: Traces) -> None:
    """The row keeps only its id: placeholder address, "Former member", no password, no bio, status deleted."""
    _delete(browser(app, traces.member))
    member = db.session.get(Member, traces.member.id)
    assert member.display_name == FORMER_MEMBER
    assert member.email.endswith(".invalid") and member.bio == "" and member.pending_email is None
    assert member.status == MemberStatus.DELETED
    assert member.password_hash == "!"


def test_deletion_signs_out_everywhere(app: Flask, traces: Traces) -> None:
    """Every login session ends; the old cookie and the old password no longer work."""
    other_browser = browser(app, traces.member)
    _delete(browser(app, traces.member))
    assert db.session.scalars(select(LoginSession).where(LoginSession.member_id == traces.member.id)).all() == []
    assert other_browser.get("/account/profile").location.startswith("/login")
    response = browser(app).post_form("/login", {"email": EMAIL, "password": PASSWORD})
    assert response.status_code != 302


def test_kept_posts_show_former_member(app: Flask, traces: Traces) -> None:
    """Without removal their posts stay readable, credited to "Former member"; their profile is gone."""
    _delete(browser(app, traces.member))
    page = page_text(browser(app).get(topic_url(traces.topic)))
    assert "Opening words by Quill" in page and FORMER_MEMBER in page and NAME not in page
    assert browser(app).get(f"/u/{NAME}").status_code == 404
    assert browser(app).get(f"/u/{FORMER_MEMBER}").status_code == 404


def test_removed_posts_are_erased_and_counters_stay_right(app: Flask, traces: Traces) -> None:
    """With removal, bodies and titles are erased, posts are out of view and search, and every counter matches."""
    _delete(browser(app, traces.member), remove_posts=True)
    reply = db.session.get(Post, traces.reply.id)
    assert (reply.status, reply.raw, reply.cooked) == (ContentStatus.DELETED, "", "")
    assert db.session.get(Topic, traces.topic.id).title != "Nights are long"
    assert "replyword-topaz" not in page_text(browser(app).get(topic_url(traces.others_topic)))
    assert found(browser(app), "replyword") == set() and found(browser(app), "topicword") == set()
    stored, counted = counters_and_recounts()
    assert stored == counted


def test_helpful_and_membership_counts_follow_the_deletion(app: Flask, traces: Traces) -> None:
    """The marks they gave stop counting, and the group has one member fewer."""
    members_before = traces.group.member_count
    _delete(browser(app, traces.member))
    assert db.session.get(Post, traces.others_reply.id).helpful_count == 0
    assert db.session.get(Member, traces.other.id).helpful_received == 0
    assert db.session.get(Group, traces.group.id).member_count == members_before - 1


def test_flags_they_filed_stay_anonymous_without_their_words(app: Flask, traces: Traces) -> None:
    """The review item they opened stays open for moderators, without who filed it or what they wrote."""
    _delete(browser(app, traces.member))
    item = db.session.scalar(select(ReviewItem))
    assert item.status == "open"
    assert not any(FLAG_DETAILS in reason for reason in item.reasons)


def test_other_participant_still_reads_the_conversation(app: Flask, traces: Traces) -> None:
    """Their messages become empty placeholders; the other member's conversation page still opens."""
    _delete(browser(app, traces.member))
    message = db.session.scalar(select(Message).where(Message.raw == "").limit(1))
    assert message is not None and message.author_id is None
    assert browser(app, traces.other).get(f"/messages/{message.conversation_id}").status_code == 200


def test_deletion_is_audited_without_personal_data(app: Flask, traces: Traces) -> None:
    """One audit event names the account by id and says whether posts were removed, nothing else."""
    _delete(browser(app, traces.member), remove_posts=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "delete_account"))
    assert (event.target_type, event.target_id) == ("member", traces.member.id)
    assert event.after == {"posts_removed": True} and event.reason == "" and event.before is None


def test_visitor_cannot_delete(app: Flask, traces: Traces) -> None:
    """A visitor is sent to sign in and nothing changes."""
    client = browser(app)
    before = _everything()
    for response in (client.get("/account/delete"), _delete(client)):
        assert response.status_code == 302 and response.location.startswith("/login")
    assert _everything() == before


def test_delete_without_csrf_token_is_refused(app: Flask, traces: Traces) -> None:
    """A cross-site form with the right password still deletes nothing."""
    client = browser(app, traces.member)
    before = _everything()
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 400
    assert _everything() == before


def test_naming_another_member_deletes_only_yourself(app: Flask, traces: Traces) -> None:
    """Another member's id in the form is ignored: there is no way to delete someone else's account."""
    snoop = make_member(display_name="Sam Snoop")
    _delete(browser(app, snoop), member_id=traces.member.id, email=EMAIL)
    assert db.session.get(Member, traces.member.id).display_name == NAME
    assert db.session.get(Member, snoop.id).status == MemberStatus.DELETED


def test_second_submission_after_deletion_changes_nothing(app: Flask, traces: Traces) -> None:
    """Sending the form again (double click) finds the browser signed out; one audit event only."""
    client = browser(app, traces.member)
    token = client.csrf_token()
    client.post("/account/delete", data={"csrf_token": token, "password": PASSWORD})
    again = client.post("/account/delete", data={"csrf_token": token, "password": PASSWORD})
    assert again.status_code in (302, 400)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "delete_account")).all()
    assert len(events) == 1


def test_moderators_cannot_act_on_a_deleted_account(app: Flask, traces: Traces) -> None:
    """Suspending a tombstone is refused, so its status stays "deleted"."""
    _delete(browser(app, traces.member))
    admin = browser(app, make_member(role=Role.ADMIN))
    response = admin.post_form(f"/mod/members/{traces.member.id}/suspend", {"reason": "Testing"})
    assert response.status_code == 403
    assert db.session.get(Member, traces.member.id).status == MemberStatus.DELETED
