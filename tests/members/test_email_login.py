"""Signing in with a link sent by e-mail: off unless switched on; the same answer for every address; the link
signs in only through its button, once, within 15 minutes; throttled like password resets."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select, update

from app.auth.email_link import LINK_SENT
from app.extensions import db
from app.models import EmailLoginLink, Member, MemberStatus
from app.models.base import utcnow
from app.services.members import tokens
from app.services.members.account_mail import reset_token
from app.services.members.email_login import link_token
from app.services.members.erasure import delete_account
from tests.factories import PASSWORD, make_member
from tests.served import served
from tests.support import aged_token, browser, last_link, outbox, page, page_text, read_corpus, soup, tampered

ON = pytest.mark.parametrize("app_overrides", [{"EMAIL_LOGIN": True}], ids=["email-login"])
RATE_LIMITED = pytest.mark.parametrize(
    "app_overrides", [{"EMAIL_LOGIN": True, "RATELIMIT_ENABLED": True}], ids=["email-login-rate-limited"]
)


def _ask(client, email: str, **kwargs):  # noqa: ANN001, ANN003, ANN202
    return client.post_form("/login/email-link", {"email": email}, **kwargs)


def _link(client, member: Member) -> str:  # noqa: ANN001
    """Ask for a link for `member` and return the one in the newest mail, as a path."""
    assert _ask(client, member.email).status_code == 302
    return last_link(member.email)


def _signed_in(client) -> bool:  # noqa: ANN001
    return client.get("/account").status_code == 200


def _stored_nonce(member: Member) -> str:
    """A genuine link whose nonce is stored as the service stores it, made here so its age can be chosen."""
    nonce = secrets.token_urlsafe(24)
    db.session.add(EmailLoginLink(member_id=member.id, nonce_hash=hashlib.sha256(nonce.encode()).hexdigest()))
    db.session.commit()
    return nonce


def test_off_by_default_no_form_and_no_routes(app: Flask, client) -> None:
    """Without KINDRED_EMAIL_LOGIN the sign-in page has no link form and the link routes answer 404."""
    member = make_member()
    assert "/login/email-link" not in page(client.get("/login"))
    assert _ask(client, member.email).status_code == 404
    token = link_token(member, _stored_nonce(member))
    assert client.get(f"/login/email-link/{token}").status_code == 404
    assert client.post_form(f"/login/email-link/{token}").status_code == 404
    assert outbox() == [] and not _signed_in(client)


@ON
def test_login_page_has_a_separate_form_for_the_link(app: Flask, client) -> None:
    """The link form posts to its own address, and its `email` field has an id of its own (valid HTML)."""
    html = soup(client.get("/login"))
    forms = html.select("main form[method=post]") or html.select("form[method=post]")
    actions = [form.get("action") for form in forms]
    assert "/login" in actions and "/login/email-link" in actions
    link_form = next(form for form in forms if form.get("action") == "/login/email-link")
    field = link_form.select_one("input[name=email]")
    assert field["id"] == "link-email" and link_form.select_one("label[for=link-email]") is not None
    assert link_form.select_one("input[name=password]") is None
    ids = [element["id"] for element in html.select("[id]")]
    assert len(ids) == len(set(ids))


@ON
def test_known_and_unknown_addresses_get_the_same_answer(app: Flask, client) -> None:
    """Whether an account uses the address or not, the visitor sees the same page; only a real account gets mail."""
    member = make_member(email="known@example.org")
    answers = []
    for email in (member.email, "unknown@example.org", "not an address"):
        response = _ask(client, email)
        followed = client.get(response.location)
        answers.append((response.status_code, response.location, page_text(followed)))
    assert answers[0] == answers[1] == answers[2]
    assert LINK_SENT in answers[0][2]
    assert [m.to_address for m in outbox()] == ["known@example.org"]


@ON
def test_the_mail_says_when_never_from_where(app: Flask, client) -> None:
    """The mail has a plain and an HTML part with the link, says when it was asked for, and names no IP address."""
    member = make_member(timezone="Europe/Paris")
    _ask(client, member.email, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    mail = outbox(member.email)[-1]
    assert mail.subject.startswith("Your sign-in link")
    link = last_link(member.email)
    assert link.startswith("/login/email-link/")
    assert link in mail.body_text and link in (mail.body_html or "")
    asked_at = db.session.scalars(select(EmailLoginLink.created_at)).one().astimezone(ZoneInfo("Europe/Paris"))
    for body in (mail.body_text, mail.body_html or ""):
        assert f"{asked_at:%H:%M} {asked_at:%z}" in body  # the member's own time, its offset named
        assert "203.0.113.9" not in body and "127.0.0.1" not in body
        assert "15 minutes" in body


@ON
def test_opening_the_link_alone_does_not_sign_in(app: Flask, client) -> None:
    """A GET (as a mail scanner makes) shows a "Sign in" button and spends nothing; the button still works after."""
    member = make_member(display_name="Rosa Reader")
    link = _link(client, member)
    scanner = browser(app)
    for _ in range(2):
        response = scanner.get(link)
        assert response.status_code == 200
        assert "Rosa Reader" in page_text(response)
        assert soup(response).select_one(f'form[method=post][action="{link}"] button') is not None
    assert not _signed_in(scanner) and not _signed_in(client)
    assert client.post_form(link).status_code == 302
    assert _signed_in(client)


@ON
def test_the_button_signs_in(app: Flask, client, login_sessions) -> None:
    """The POST starts a real session for the member and goes to the home page."""
    member = make_member()
    response = client.post_form(_link(client, member))
    assert response.status_code == 302 and response.location == "/"
    assert _signed_in(client) and login_sessions(member) == 1


@ON
def test_the_link_leads_back_where_the_member_was_going(app: Flask, client) -> None:
    """A `next` path on the sign-in page survives the round trip through the mail; another site's never does."""
    member = make_member()
    client.post_form("/login/email-link?next=/account/profile", {"email": member.email})
    assert client.post_form(last_link(member.email)).location == "/account/profile"
    other = browser(app)
    other.post_form("/login/email-link?next=//evil.example/", {"email": member.email})
    assert other.post_form(last_link(member.email)).location == "/"


@ON
def test_a_link_works_once(app: Flask, client) -> None:
    """A second use answers 400 with a clear message and a way to ask for a new link, and signs nobody in."""
    member = make_member()
    link = _link(client, member)
    assert client.post_form(link).status_code == 302
    again = browser(app)
    for response in (again.get(link), again.post_form(link)):
        assert response.status_code == 400
        assert tokens.INVALID in page(response)
        assert soup(response).select_one('a[href="/login#email-link-heading"]') is not None
    assert not _signed_in(again)


@ON
def test_an_older_link_works_until_one_is_used(app: Flask, client) -> None:
    """Asking again leaves the first link usable (mail arrives out of order); using one spends them all."""
    member = make_member()
    first, second = _link(client, member), _link(client, member)
    assert first != second
    assert client.post_form(first).status_code == 302
    assert browser(app).post_form(second).status_code == 400


@ON
def test_a_link_expires_after_15_minutes_by_its_stored_time(app: Flask, client) -> None:
    """A link whose row says it was made 16 minutes ago answers 400 "expired", before and on the button."""
    member = make_member()
    link = _link(client, member)
    db.session.execute(update(EmailLoginLink).values(created_at=utcnow() - timedelta(minutes=16)))
    db.session.commit()
    for response in (client.get(link), client.post_form(link)):
        assert response.status_code == 400
        assert tokens.EXPIRED in page(response)
    assert not _signed_in(client)


@ON
def test_a_link_expires_after_15_minutes_by_its_signature(app: Flask, client) -> None:
    """A token signed 16 minutes ago is refused as expired even while its row is fresh; one a minute old works."""
    member = make_member()
    payload = {"m": member.id, "n": _stored_nonce(member), "e": tokens.fingerprint(member.email)}
    old = "/login/email-link/" + aged_token(tokens.EMAIL_LOGIN, payload, timedelta(minutes=16))
    response = client.post_form(old)
    assert response.status_code == 400 and tokens.EXPIRED in page(response)
    recent = "/login/email-link/" + aged_token(tokens.EMAIL_LOGIN, payload, timedelta(minutes=1))
    assert client.post_form(recent).status_code == 302 and _signed_in(client)


@ON
@pytest.mark.parametrize("how", ["tampered", "reset token", "no stored nonce", "unknown member", "garbage", "long"])
def test_a_forged_link_is_refused(app: Flask, client, how: str) -> None:
    """An altered link, a token of another purpose, an unstored nonce, a missing member or junk: refused."""
    member = make_member()
    real = link_token(member, _stored_nonce(member))
    path = (
        "/login/email-link/"
        + {
            "tampered": tampered(real),
            "reset token": reset_token(member),
            "no stored nonce": link_token(member, "never-stored"),
            "unknown member": tokens.make_token(tokens.EMAIL_LOGIN, {"m": 10**9, "n": "x", "e": "y"}),
            "garbage": "..%2F..%2Fetc",
            "long": "a" * 600,
        }[how]
    )
    for response in (client.get(path), client.post_form(path)):
        assert response.status_code in (400, 404)
    assert not _signed_in(client)


@ON
def test_a_link_sent_to_a_former_address_stops_working(app: Flask, client) -> None:
    """Once the account's address changes, a link mailed to the old one signs nobody in."""
    member = make_member()
    link = _link(client, member)
    db.session.get(Member, member.id).email = "new.address@example.org"
    db.session.commit()
    assert client.post_form(link).status_code == 400 and not _signed_in(client)


@ON
def test_the_link_confirms_a_pending_address(app: Flask, client, reloaded) -> None:
    """Signing in from the mail proves the member reads it: an unconfirmed address becomes confirmed."""
    member = make_member(email_verified_at=None)
    client.post_form(_link(client, member))
    assert reloaded(member).email_verified_at is not None


@ON
def test_a_suspended_member_may_sign_in_to_read(app: Flask, client) -> None:
    """Suspended members can still sign in and read, so their link works like anyone's."""
    member = make_member(status=MemberStatus.SUSPENDED, suspension_reason="Cooling off")
    assert client.post_form(_link(client, member)).status_code == 302
    assert _signed_in(client)


@ON
def test_a_deleted_account_cannot_sign_in(app: Flask, client) -> None:
    """A link for an account marked deleted answers 400; an erased account's link and address send nothing."""
    member = make_member()
    link = _link(client, member)
    db.session.get(Member, member.id).status = MemberStatus.DELETED
    db.session.commit()
    assert client.post_form(link).status_code == 400 and not _signed_in(client)
    erased = make_member(email="leaving@example.org")
    link = _link(client, erased)
    delete_account(erased, erased, password=PASSWORD, remove_posts=True)
    assert client.post_form(link).status_code == 400 and not _signed_in(client)
    assert db.session.scalars(select(EmailLoginLink).where(EmailLoginLink.member_id == erased.id)).all() == []
    _ask(client, "leaving@example.org")
    tombstone = db.session.get(Member, erased.id)
    _ask(client, tombstone.email)
    assert [m.to_address for m in outbox()] == [member.email]  # the first link's mail alone


@ON
def test_a_signed_in_member_opening_a_link_keeps_it(app: Flask, client) -> None:
    """Someone already signed in is sent on without the link being spent."""
    member, other = make_member(), make_member()
    link = _link(client, member)
    response = browser(app, other).post_form(link)
    assert response.status_code == 302
    assert client.post_form(link).status_code == 302 and _signed_in(client)


@ON
def test_the_forms_do_not_mix(app: Flask, client) -> None:
    """An empty link request is refused beside its own field; the password form shows nothing of it, and back."""
    response = _ask(client, "")
    assert response.status_code == 422
    html = soup(response)
    assert html.select_one("#link-email-error") is not None
    assert html.select_one("#email-error") is None and html.select_one("#password-error") is None
    response = client.post_form("/login", {"email": "typed@example.org", "password": ""})
    assert response.status_code == 422
    html = soup(response)
    assert html.select_one("#password-error") is not None and html.select_one("#link-email-error") is None
    assert html.select_one("#link-email").get("value") in (None, "")
    assert outbox() == []


@ON
def test_a_form_without_csrf_token_is_refused(app: Flask, client) -> None:
    """Both POSTs need their CSRF token: 400, no mail, nobody signed in."""
    member = make_member()
    assert client.post("/login/email-link", data={"email": member.email}).status_code == 400
    assert outbox() == []
    link = "/login/email-link/" + link_token(member, _stored_nonce(member))
    assert client.post(link).status_code == 400 and not _signed_in(client)
    assert client.post_form(link).status_code == 302


@RATE_LIMITED
def test_requests_are_limited_per_address(app: Flask, client) -> None:
    """Three requests an hour for one address; the fourth answers 429 and queues nothing, known address or not."""
    member = make_member()
    for email in (member.email, "nobody@example.org"):
        statuses = [_ask(client, email.upper()).status_code for _ in range(4)]
        assert statuses == [302, 302, 302, 429]
    assert len(outbox(member.email)) == 3


@RATE_LIMITED
def test_requests_are_limited_per_ip(app: Flask, client) -> None:
    """Ten requests an hour from one IP address, whatever addresses they name; another address is not held up."""
    statuses = [_ask(client, f"p{n}@example.org").status_code for n in range(11)]
    assert statuses == [302] * 10 + [429]
    elsewhere = _ask(client, "q@example.org", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert elsewhere.status_code == 302


def _corpus_as_address_and_link(client, findings, corpus: str) -> None:  # noqa: ANN001
    for line in read_corpus(corpus):
        response = _ask(client, line)
        answer = findings.page(line, response)
        if response.status_code == 422:
            findings.refused(line, response, answer, written=bool(outbox()))
        elif response.status_code != 302:
            findings.note(line, f"answered {response.status_code}, neither the neutral answer nor a refusal")
        opened = client.get("/login/email-link/" + quote(line, safe=""))
        findings.page(line, opened)
        if opened.status_code not in (400, 404):
            findings.note(line, f"as a link answered {opened.status_code}")
    assert outbox() == [] and not _signed_in(client)
    findings.assert_clean(something_stored=False)


@ON
def test_hostile_inputs_as_the_address_or_the_link(app: Flask, client, findings) -> None:  # noqa: ANN001
    """Every odd-Unicode line as the address gets the neutral answer (302) or a refusal beside the field (422), and
    as a link's token a 400 or 404: never a server error, never a mail."""
    _corpus_as_address_and_link(client, findings, "hostile-inputs.txt")


@ON
def test_xss_payloads_as_the_address_or_the_link(app: Flask, client, findings) -> None:  # noqa: ANN001
    """The XSS corpus in the same places: the address shown back on a refusal carries no executable markup."""
    _corpus_as_address_and_link(client, findings, "xss-payloads.txt")


@ON
def test_logs_hold_no_token_or_address(app: Flask, client, caplog: pytest.LogCaptureFixture) -> None:
    """Asking for and using a link logs neither the address nor the token."""
    caplog.set_level(logging.DEBUG)
    member = make_member(email="private.person@example.org")
    link = _link(client, member)
    client.get(link)
    client.post_form(link)
    for secret in ("private.person", link.rsplit("/", 1)[1]):
        assert secret not in caplog.text


@ON
def test_a_link_sent_several_times_at_once_signs_in_once(app: Flask, client, login_sessions) -> None:
    """Six simultaneous presses of the button (double clicks, two tabs): one signs in, the others are refused."""
    member = make_member()
    link = _link(client, member)
    with served(app) as server:
        statuses = server.post_at_once(browser(app), [link] * 6)
    assert server.errors == []
    assert sorted(statuses) == [302] + [400] * 5
    assert login_sessions(member) == 1
