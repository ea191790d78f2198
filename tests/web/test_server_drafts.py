"""Server-side drafts: saved from a composer, filled in again, listed at /drafts, discarded, removed by posting,
seen by their owner only, expired after KINDRED_DRAFT_DAYS, exported and deleted with the account."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from app.extensions import db
from app.models import Draft, Member, Role
from app.models.base import utcnow
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_conversation, make_group, make_member, make_topic
from tests.support import browser, count_rows, opening_post, page_text, read_corpus, soup

WORDS = "I have been writing this for twenty minutes, about how the new treatment changed my mornings."


def _save(client: FormClient, place: str, **fields: str):  # noqa: ANN202
    """What drafts.js sends: the composer's fields, with its CSRF token, to the save address."""
    return client.post_form(f"/drafts/save?place={place}", fields, headers={"Accept": "application/json"})


def _in_form(response, field: str = "body") -> str:  # noqa: ANN001
    element = soup(response).select_one(f"form [name={field}]")
    return element.get_text() if element.name == "textarea" else element.get("value", "")


def _new_topic(me: Member) -> tuple[str, str, str, dict[str, str]]:
    group = make_group(members=(me,))
    return f"topic-{group.id}", f"/g/{group.slug}/new", f"/g/{group.slug}/new", {"title": "My mornings lately"}


def _reply(me: Member) -> tuple[str, str, str, dict[str, str]]:
    topic = make_topic(group=make_group(members=(me,)))
    return f"reply-{topic.id}", f"/t/{topic.id}/{topic.slug}", f"/t/{topic.id}/reply", {}


def _edit(me: Member) -> tuple[str, str, str, dict[str, str]]:
    post = opening_post(make_topic(group=make_group(members=(me,)), author=me, title="My mornings lately"))
    return f"edit-{post.id}", f"/p/{post.id}/edit", f"/p/{post.id}/edit", {"title": "My mornings lately"}


def _message(me: Member) -> tuple[str, str, str, dict[str, str]]:
    make_member(display_name="Bob")
    return "message-0", "/messages/new", "/messages/new", {"to": "Bob", "subject": "Mornings"}


def _conversation(me: Member) -> tuple[str, str, str, dict[str, str]]:
    conversation = make_conversation(me, make_member())
    return f"conversation-{conversation.id}", f"/messages/{conversation.id}", f"/messages/{conversation.id}/reply", {}


PLACES: dict[str, Callable[[Member], tuple[str, str, str, dict[str, str]]]] = {
    "new-topic": _new_topic,
    "reply": _reply,
    "edit": _edit,
    "private-message": _message,
    "message-reply": _conversation,
}


@pytest.fixture(params=sorted(PLACES))
def place(request: pytest.FixtureRequest) -> Callable:
    return PLACES[request.param]


def test_a_saved_draft_fills_the_composer_again(app: Flask, place: Callable) -> None:
    """Saved from a composer, the text is in that composer the next time it opens, with "Discard draft"."""
    me = make_member()
    client = browser(app, me)
    key, page, _target, extra = place(me)
    answer = _save(client, key, **extra, body=WORDS)
    assert answer.status_code == 200
    assert answer.get_json()["saved"] is True
    shown = client.get(page)
    assert _in_form(shown).strip() == WORDS
    assert soup(shown).find("button", string="Discard draft").get("hidden") is None


def test_posting_removes_the_draft(app: Flask, place: Callable) -> None:
    """Sending the composer deletes its draft."""
    me = make_member()
    client = browser(app, me)
    key, _page, target, extra = place(me)
    _save(client, key, **extra, body=WORDS)
    response = client.post_form(target, {**extra, "body": WORDS, "then": "new"})
    assert response.status_code == 302, page_text(response)
    assert count_rows(Draft) == 0


def test_a_save_arriving_after_its_form_was_sent_keeps_nothing(app: Flask) -> None:
    """drafts.js sends the form's submission_key: a save landing after its reply was posted is ignored."""
    me = make_member()
    client = browser(app, me)
    key, page, target, _extra = _reply(me)
    form_key = soup(client.get(page)).select_one("form [name=submission_key]")["value"]
    posted = client.post_form(target, {"body": WORDS, "submission_key": form_key})
    assert posted.status_code == 302, page_text(posted)
    late = _save(client, key, body=WORDS, submission_key=form_key)
    assert (late.status_code, late.get_json()["saved"], count_rows(Draft)) == (200, False, 0)
    assert _save(client, key, body=WORDS, submission_key="a-key-never-sent").get_json()["saved"] is True


def test_the_status_line_is_announced_politely(app: Flask) -> None:
    """The composer carries a polite live region for "Draft saved", and the save answer says it."""
    me = make_member()
    client = browser(app, me)
    key, page, _target, _extra = _reply(me)
    status = soup(client.get(page)).select_one("form .draft-status")
    assert status["aria-live"] == "polite"
    assert _save(client, key, body=WORDS).get_json()["message"].startswith("Draft saved at ")


def test_an_empty_composer_keeps_no_draft(app: Flask) -> None:
    """Saving an emptied composer removes the draft instead of keeping blank text."""
    me = make_member()
    client = browser(app, me)
    key, *_rest = _reply(me)
    _save(client, key, body=WORDS)
    assert _save(client, key, body="  ").get_json()["saved"] is False
    assert count_rows(Draft) == 0


def test_saving_twice_keeps_one_draft(app: Flask) -> None:
    """Each save replaces the member's draft for that place: one row, the latest text."""
    me = make_member()
    client = browser(app, me)
    key, *_rest = _reply(me)
    _save(client, key, body="First words")
    _save(client, key, body=WORDS)
    assert [draft.body for draft in db.session.scalars(select(Draft))] == [WORDS]


def test_saving_needs_the_csrf_token(app: Flask) -> None:
    """A save without the form's token is refused and keeps nothing."""
    me = make_member()
    client = browser(app, me)
    key, *_rest = _reply(me)
    assert client.post(f"/drafts/save?place={key}", data={"body": WORDS}).status_code == 400
    assert count_rows(Draft) == 0


@pytest.mark.parametrize("key", ["reply-999999", "nothing-1", "message-4", "reply-x"])
def test_no_draft_for_a_place_the_member_cannot_write(app: Flask, key: str) -> None:
    """A place that does not exist or is not ours to write in keeps no draft."""
    client = browser(app, make_member())
    assert _save(client, key, body=WORDS).status_code in (404, 422)
    assert count_rows(Draft) == 0


def test_no_draft_for_someone_elses_conversation(app: Flask) -> None:
    """A conversation the member is not in keeps no draft for them."""
    conversation = make_conversation(make_member(), make_member())
    client = browser(app, make_member())
    assert _save(client, f"conversation-{conversation.id}", body=WORDS).status_code == 422
    assert count_rows(Draft) == 0


def test_discard_removes_the_draft_without_javascript(app: Flask) -> None:
    """The "Discard draft" button (a plain submit button in the composer) removes it and shows the empty composer."""
    me = make_member()
    client = browser(app, me)
    key, page, _target, _extra = _reply(me)
    _save(client, key, body=WORDS)
    button = soup(client.get(page)).find("button", string="Discard draft")
    response = client.post_form(button["formaction"], {"body": WORDS}, follow_redirects=True)
    assert count_rows(Draft) == 0
    assert _in_form(response).strip() == ""
    assert "Your draft is discarded." in page_text(response)


def test_the_drafts_page_lists_place_words_and_the_way_back(app: Flask) -> None:
    """/drafts shows where each draft belongs, its first words, when it was saved, and links back to the composer."""
    me = make_member()
    client = browser(app, me)
    topic = make_topic(group=make_group(members=(me,)), title="Mornings on the new dose")
    _save(client, f"reply-{topic.id}", body=WORDS)
    listing = client.get("/drafts")
    text = page_text(listing)
    assert "A reply to Mornings on the new dose" in text
    assert "I have been writing this for twenty minutes" in text
    assert soup(listing).select_one(".draft-item time") is not None
    assert soup(listing).find("a", string="Go on writing")["href"] == f"/t/{topic.id}/{topic.slug}#reply-heading"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.STAFF])
def test_drafts_are_seen_by_their_owner_only(app: Flask, role: Role) -> None:
    """Another member, a moderator or staff never see someone's draft: not at /drafts, not in the composer."""
    me = make_member()
    other = make_member(role=role)
    topic = make_topic(group=make_group(members=(me, other)))
    _save(browser(app, me), f"reply-{topic.id}", body=WORDS)
    theirs = browser(app, other)
    assert WORDS not in page_text(theirs.get("/drafts"))
    assert WORDS not in page_text(theirs.get(f"/t/{topic.id}/{topic.slug}"))


def test_discarding_touches_only_ones_own_draft(app: Flask) -> None:
    """A discard for the same place by someone else leaves the owner's draft in place."""
    me, other = make_member(), make_member(role=Role.MODERATOR)
    topic = make_topic(group=make_group(members=(me, other)))
    _save(browser(app, me), f"reply-{topic.id}", body=WORDS)
    browser(app, other).post_form(f"/drafts/discard?place=reply-{topic.id}")
    assert count_rows(Draft) == 1


def _age_drafts(days: int) -> None:
    db.session.execute(update(Draft).values(saved_at=utcnow() - timedelta(days=days)))
    db.session.commit()


def test_an_expired_draft_is_never_shown(app: Flask) -> None:
    """After KINDRED_DRAFT_DAYS a draft no longer fills the composer, and reading the list removes it."""
    me = make_member()
    client = browser(app, me)
    key, page, _target, _extra = _reply(me)
    _save(client, key, body=WORDS)
    _age_drafts(app.config["DRAFT_DAYS"] + 1)
    assert _in_form(client.get(page)).strip() == ""
    assert WORDS not in page_text(client.get("/drafts"))
    assert count_rows(Draft) == 0


@pytest.mark.parametrize("app_overrides", [{"DRAFT_DAYS": 2}], ids=["two-days"])
def test_the_expiry_follows_the_setting(app: Flask) -> None:
    """KINDRED_DRAFT_DAYS sets the expiry: a one-day-old draft stays with two days."""
    me = make_member()
    client = browser(app, me)
    key, page, _target, _extra = _reply(me)
    _save(client, key, body=WORDS)
    _age_drafts(1)
    assert _in_form(client.get(page)).strip() == WORDS


def test_the_purge_command_removes_only_expired_drafts(app: Flask, runner) -> None:  # noqa: ANN001
    """`flask purge-drafts` removes expired drafts and keeps the fresh ones."""
    me = make_member()
    client = browser(app, me)
    old_key, *_rest = _reply(me)
    _save(client, old_key, body="Old words")
    _age_drafts(app.config["DRAFT_DAYS"] + 1)
    new_key, *_rest = _reply(me)
    _save(client, new_key, body=WORDS)
    result = runner.invoke(args=["purge-drafts"])
    assert "Removed 1 expired draft." in result.output
    assert [draft.body for draft in db.session.scalars(select(Draft))] == [WORDS]


def test_drafts_are_in_the_export(app: Flask) -> None:
    """The account export holds the member's drafts, text and place."""
    me = make_member()
    client = browser(app, me)
    key, *_rest = _reply(me)
    _save(client, key, body=WORDS)
    response = client.post_form("/account/export", {"password": PASSWORD})
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        exported = json.loads(archive.read("kindred-export.json"))
    assert [(d["kind"], d["body"]) for d in exported["drafts"]] == [("reply", WORDS)]


def test_drafts_go_with_the_account(app: Flask) -> None:
    """Deleting the account deletes its drafts."""
    me = make_member()
    client = browser(app, me)
    key, *_rest = _reply(me)
    _save(client, key, body=WORDS)
    client.post_form("/account/delete", {"password": PASSWORD})
    assert count_rows(Draft) == 0


@pytest.mark.parametrize("corpus", ["xss-payloads.txt", "hostile-inputs.txt"])
def test_hostile_text_survives_a_draft(app: Flask, corpus: str) -> None:
    """Every corpus entry saved as a draft comes back into the composer as typed (NUL aside), never as markup."""
    me = make_member()
    client = browser(app, me)
    key, page, _target, _extra = _reply(me)
    for text in read_corpus(corpus):
        assert _save(client, key, body=text).status_code == 200, text
        shown = client.get(page)
        if text.strip():
            assert _in_form(shown).strip() == text.replace("\x00", "").replace("\r\n", "\n").strip(), text
        assert not soup(shown).select("form script, form iframe, form [onerror]"), text


def _drafts_everywhere(client: FormClient, me: Member, copies: int) -> None:
    """`copies` drafts of each kind with a target for `me` (a new private message has none: it costs no statement)."""
    for name, setup in PLACES.items():
        for _ in range(0 if name == "private-message" else copies):
            key, _page, _target, extra = setup(me)
            _save(client, key, **extra, body=WORDS)


def test_the_drafts_page_runs_fixed_statements(app: Flask, count_queries: Callable) -> None:
    """/drafts runs as many SQL statements for ten drafts of each kind as for one."""
    counts = []
    for copies in (1, 10):
        me = make_member()
        client = browser(app, me)
        _drafts_everywhere(client, me, copies)
        with client.application.app_context(), count_queries() as counter:
            assert page_text(client.get("/drafts")).count("Go on writing") == 4 * copies
        counts.append(len(counter))
    assert counts[0] == counts[1]
