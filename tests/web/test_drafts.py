"""A member's words survive an expired form or session, in every composer: a bad or missing CSRF token shows the
form again with the text and a fresh token; a signed-out POST keeps the text until the member has signed in again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote

import pytest
from flask import Flask
from sqlalchemy import delete

from app.extensions import db
from app.models import LoginSession, Member, Role
from app.web.drafts import DRAFT_KEY
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_conversation, make_group, make_member, make_topic
from tests.support import opening_post, page_text, soup, stored_state

WORDS = "I have been writing this for twenty minutes, about how the new treatment changed my mornings."
KIND = "For your safety this form had expired, so nothing was sent."


@dataclass
class Composer:
    role: Role
    # (member) -> (address of the page with the form, address it posts to, the other fields it needs)
    setup: Callable[[Member], tuple[str, str, dict[str, str]]]
    field: str = "body"


def _new_topic(me: Member) -> tuple[str, str, dict[str, str]]:
    group = make_group(members=(me,))
    return f"/g/{group.slug}/new", f"/g/{group.slug}/new", {"title": "My mornings lately"}


def _reply(me: Member) -> tuple[str, str, dict[str, str]]:
    topic = make_topic(group=make_group(members=(me,)))
    return f"/t/{topic.id}/{topic.slug}", f"/t/{topic.id}/reply", {}


def _edit(me: Member) -> tuple[str, str, dict[str, str]]:
    topic = make_topic(group=make_group(members=(me,)), author=me, title="My mornings lately")
    post = opening_post(topic)
    return f"/p/{post.id}/edit", f"/p/{post.id}/edit", {"title": "My mornings lately"}


def _message(me: Member) -> tuple[str, str, dict[str, str]]:
    make_member(display_name="Bob")
    return "/messages/new", "/messages/new", {"to": "Bob", "subject": "Mornings"}


def _message_reply(me: Member) -> tuple[str, str, dict[str, str]]:
    conversation = make_conversation(me, make_member())
    return f"/messages/{conversation.id}", f"/messages/{conversation.id}/reply", {}


def _resource(me: Member) -> tuple[str, str, dict[str, str]]:
    return "/staff/resources/new", "/staff/resources/new", {"title": "Mornings", "kind": "article"}


def _announcement(me: Member) -> tuple[str, str, dict[str, str]]:
    return "/staff/announcements", "/staff/announcements", {}


def _guidelines(me: Member) -> tuple[str, str, dict[str, str]]:
    return "/guidelines/edit", "/guidelines/edit", {"note": "Mornings"}


COMPOSERS = {
    "new-topic": Composer(Role.MEMBER, _new_topic),
    "reply": Composer(Role.MEMBER, _reply),
    "edit": Composer(Role.MEMBER, _edit),
    "private-message": Composer(Role.MEMBER, _message),
    "message-reply": Composer(Role.MEMBER, _message_reply),
    "resource": Composer(Role.STAFF, _resource),
    "announcement": Composer(Role.STAFF, _announcement),
    "guidelines": Composer(Role.STAFF, _guidelines),
}


def _signed_in(app: Flask, member: Member) -> FormClient:
    client: FormClient = app.test_client()  # type: ignore[assignment]
    _sign_in_through_form(client, member)
    return client


def _sign_in_through_form(client: FormClient, member: Member, next_page: str | None = None):  # noqa: ANN202
    url = f"/login?next={quote(next_page)}" if next_page else "/login"
    response = client.post_form(url, {"email": member.email, "password": PASSWORD})
    assert response.status_code == 302, page_text(response)
    return response


def _text_in_form(response, field: str = "body") -> str:  # noqa: ANN001
    element = soup(response).select_one(f"[name={field}]")
    return element.get_text() if element.name == "textarea" else element.get("value", "")


def _fresh_token(response) -> str:  # noqa: ANN001
    return soup(response).select_one("form[method=post] input[name=csrf_token]")["value"]


@pytest.fixture(params=sorted(COMPOSERS))
def composer(request: pytest.FixtureRequest) -> Composer:
    return COMPOSERS[request.param]


@pytest.mark.parametrize("token", [None, "not-a-token"], ids=["missing-token", "bad-token"])
def test_an_expired_form_comes_back_with_the_text(app: Flask, composer: Composer, token: str | None) -> None:
    """A POST with a missing or bad CSRF token: 400, nothing stored, the form again with the text and a kind word."""
    me = make_member(role=composer.role)
    client = _signed_in(app, me)
    _page, target, extra = composer.setup(me)
    before = stored_state()
    data = {**extra, composer.field: WORDS, **({"csrf_token": token} if token else {})}
    response = client.post(target, data=data)
    assert response.status_code == 400
    assert stored_state() == before
    assert _text_in_form(response, composer.field).strip() == WORDS
    assert KIND in page_text(response)


def test_the_fresh_token_sends_the_reply(app: Flask) -> None:
    """The form shown again carries a fresh token that works: sending it posts the reply, once."""
    me = make_member()
    client = _signed_in(app, me)
    topic = make_topic(group=make_group(members=(me,)))
    again = client.post(f"/t/{topic.id}/reply", data={"body": WORDS, "csrf_token": "stale"})
    response = client.post(f"/t/{topic.id}/reply", data={"body": WORDS, "csrf_token": _fresh_token(again)})
    assert response.status_code == 302
    assert WORDS in page_text(client.get(response.headers["Location"]))


def test_after_signing_in_again_the_text_is_in_the_form(app: Flask, composer: Composer) -> None:
    """A session that expired while writing: the POST goes to sign-in, and after it the form holds the text."""
    me = make_member(role=composer.role)
    client = _signed_in(app, me)
    page, target, extra = composer.setup(me)
    token = _fresh_token(client.get(page))
    client.delete_cookie("session")  # the browser's session ran out meanwhile
    before = stored_state()
    response = client.post(target, data={**extra, composer.field: WORDS, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert stored_state() == before
    assert "You were signed out, so what you wrote has not been sent yet." in page_text(
        client.get(response.headers["Location"])
    )
    next_page = response.headers["Location"].split("next=", 1)[1]
    back = _sign_in_through_form(client, me, next_page=unquote(next_page))
    form_page = client.get(back.headers["Location"], follow_redirects=True)
    assert _text_in_form(form_page, composer.field).strip() == WORDS
    assert _text_in_form(client.get(page), composer.field).strip() != WORDS  # used once, then forgotten
    with client.session_transaction() as session:
        assert DRAFT_KEY not in session


def test_a_session_ended_elsewhere_keeps_the_reply_too(app: Flask) -> None:
    """Signed out from another device (the token still valid): the reply waits for the member all the same."""
    me = make_member()
    client = _signed_in(app, me)
    topic = make_topic(group=make_group(members=(me,)))
    token = _fresh_token(client.get(f"/t/{topic.id}/{topic.slug}"))
    db.session.execute(delete(LoginSession))  # as "sign out everywhere" or the idle limit would
    db.session.commit()
    response = client.post(f"/t/{topic.id}/reply", data={"body": WORDS, "csrf_token": token})
    assert response.headers["Location"].startswith("/login?next=")
    back = _sign_in_through_form(client, me, next_page=f"/t/{topic.id}#reply-heading")
    assert _text_in_form(client.get(back.headers["Location"], follow_redirects=True)).strip() == WORDS


def test_a_draft_fills_only_its_own_form(app: Flask) -> None:
    """A reply kept for one topic does not appear in another topic's reply form."""
    me = make_member()
    client = _signed_in(app, me)
    group = make_group(members=(me,))
    first, second = make_topic(group=group), make_topic(group=group)
    client.delete_cookie("session")
    client.post(f"/t/{first.id}/reply", data={"body": WORDS})
    _sign_in_through_form(client, me)
    assert _text_in_form(client.get(f"/t/{second.id}/{second.slug}")).strip() == ""
    assert _text_in_form(client.get(f"/t/{first.id}/{first.slug}")).strip() == WORDS


def test_another_site_cannot_plant_a_draft(app: Flask) -> None:
    """A cross-site POST keeps nothing: no text can be slipped into a member's form from elsewhere."""
    me = make_member()
    topic = make_topic(group=make_group(members=(me,)))
    client: FormClient = app.test_client()  # type: ignore[assignment]
    response = client.post(
        f"/t/{topic.id}/reply", data={"body": "Planted words"}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert DRAFT_KEY not in session
    _sign_in_through_form(client, me)
    assert "Planted words" not in page_text(client.get(f"/t/{topic.id}/{topic.slug}"))


def test_a_draft_too_long_for_the_session_is_shown_to_copy(app: Flask) -> None:
    """Text too long to keep while signing in is shown on the page to copy, not lost and not stored."""
    me = make_member()
    topic = make_topic(group=make_group(members=(me,)))
    long_text = " ".join(f"word{n}" for n in range(3000))
    client: FormClient = app.test_client()  # type: ignore[assignment]
    response = client.post(f"/t/{topic.id}/reply", data={"body": long_text})
    assert response.status_code == 200
    assert soup(response).select_one("textarea#unsent-text").get_text() == long_text
    assert soup(response).select_one(".narrow a.button")["href"].startswith("/login?next=")
    with client.session_transaction() as session:
        assert DRAFT_KEY not in session
