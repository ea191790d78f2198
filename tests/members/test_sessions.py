"""The member's signed-in browsers: listing them across browsers, signing one or all others out, the notice of a
sign-in from a new browser, and what is kept about a browser."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import LoginSession, Member
from app.services.members.browsers import describe
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_member
from tests.support import browser, outbox

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Safari/537.36 Edg/131.0.0.0"
)
CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
SAMSUNG = (
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 "
    "Chrome/122.0.0.0 Mobile Safari/537.36"
)
OPERA_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
    "Safari/537.36 OPR/115.0.0.0"
)


def _sign_in(app: Flask, member: Member, user_agent: str = FIREFOX_ANDROID, client: FormClient | None = None):  # noqa: ANN202
    """A browser that signed in through the login form, announcing itself as `user_agent`."""
    client = client or browser(app)
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    response = client.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def _listed(client: FormClient) -> list[tuple[str, bool]]:
    """(what the list says of each browser, whether it is marked as this one)."""
    page = client.get("/account/sessions")
    assert page.status_code == 200
    items = BeautifulSoup(page.get_data(as_text=True), "html.parser").select(".session-item")
    return [(" ".join(item.h2.get_text().split()), "This browser" in item.h2.get_text()) for item in items]


def _session_ids(member: Member) -> list[int]:
    db.session.rollback()
    return list(db.session.scalars(select(LoginSession.id).where(LoginSession.member_id == member.id)))


@pytest.fixture
def member(app: Flask) -> Member:
    """A member who has signed in before, so every browser of theirs after that counts."""
    member = make_member(display_name="Rosa Reader")
    _sign_in(app, member, CHROME_LINUX)
    db.session.execute(db.delete(LoginSession).where(LoginSession.member_id == member.id))
    db.session.commit()
    return member


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX_ANDROID, ("firefox", "android")),
        (SAFARI_IPHONE, ("safari", "ios")),
        (EDGE_WINDOWS, ("edge", "windows")),
        (CHROME_LINUX, ("chrome", "linux")),
        (SAMSUNG, ("samsung", "android")),
        (OPERA_MAC, ("opera", "macos")),
        ("curl/8.5.0", ("other", "other")),
        ("", ("other", "other")),
    ],
)
def test_browser_family_and_platform_from_the_user_agent(user_agent: str, expected: tuple[str, str]) -> None:
    """Browsers that also call themselves Chrome or Safari are told apart; anything else is "other"."""
    assert describe(user_agent) == expected


def test_each_browser_lists_both_and_marks_itself(app: Flask, member: Member) -> None:
    """Two browsers signed in as the same member each see both sessions, and only their own is marked."""
    phone = _sign_in(app, member, FIREFOX_ANDROID)
    laptop = _sign_in(app, member, EDGE_WINDOWS)
    assert sorted(_listed(phone)) == [("Edge on Windows", False), ("Firefox on Android This browser", True)]
    assert sorted(_listed(laptop)) == [("Edge on Windows This browser", True), ("Firefox on Android", False)]


def test_only_family_and_platform_are_kept(app: Flask, member: Member) -> None:
    """The session row holds the browser family and platform, never the User-Agent or the address."""
    _sign_in(app, member, SAFARI_IPHONE)
    db.session.rollback()
    row = db.session.scalar(select(LoginSession).where(LoginSession.member_id == member.id))
    assert (row.browser, row.platform) == ("safari", "ios")
    stored = repr([tuple(r) for r in db.session.execute(select(LoginSession.__table__))])
    assert "Mozilla" not in stored and "127.0.0.1" not in stored


def test_list_shows_first_and_last_use_in_the_members_time_zone(app: Flask, member: Member) -> None:
    """The time of signing in is written in the member's own zone, named."""
    member.timezone = "Asia/Tokyo"
    db.session.commit()
    phone = _sign_in(app, member)
    page = phone.get("/account/sessions").get_data(as_text=True)
    assert re.search(r"Signed in on \d+ \w+ \d{4}, \d\d:\d\d \+0900", page), page
    assert "just now" in page


def test_signing_out_the_other_browser_makes_it_anonymous(app: Flask, member: Member) -> None:
    """The "Sign out" button on the other browser's row ends that session: its next request is a visitor's."""
    phone = _sign_in(app, member, FIREFOX_ANDROID)
    laptop = _sign_in(app, member, EDGE_WINDOWS)
    db.session.rollback()
    laptop_id = max(_session_ids(member))
    response = phone.post_form(f"/account/sessions/{laptop_id}/sign-out")
    assert response.status_code == 302
    assert _session_ids(member) == [min(_session_ids(member))] and laptop_id not in _session_ids(member)
    assert laptop.get("/account").location.startswith("/login")
    assert phone.get("/account").status_code == 200


def test_signing_out_this_browser_from_the_list_signs_it_out(app: Flask, member: Member) -> None:
    """Its own row's button signs this browser out, like the sign-out button."""
    phone = _sign_in(app, member)
    (own,) = _session_ids(member)
    response = phone.post_form(f"/account/sessions/{own}/sign-out")
    assert response.status_code == 302 and response.location == "/"
    assert _session_ids(member) == []
    assert phone.get("/account").location.startswith("/login")


def test_sign_out_everywhere_else_keeps_only_this_browser(app: Flask, member: Member) -> None:
    """Of three browsers, "Sign out everywhere else" leaves exactly the one that asked."""
    phone = _sign_in(app, member, FIREFOX_ANDROID)
    laptop = _sign_in(app, member, EDGE_WINDOWS)
    tablet = _sign_in(app, member, SAFARI_IPHONE)
    response = laptop.post_form("/account/sessions/sign-out-others", follow_redirects=True)
    assert "2 other browsers are signed out." in response.get_data(as_text=True)
    assert len(_session_ids(member)) == 1
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").location.startswith("/login")
    assert tablet.get("/account").location.startswith("/login")


@pytest.mark.parametrize("role_fields", [{}, {"role": "moderator"}, {"role": "admin"}], ids=["member", "mod", "admin"])
def test_another_members_session_cannot_be_signed_out(app: Flask, member: Member, role_fields: dict) -> None:
    """Someone else's session id answers 404, as a missing one, whatever the role; that browser stays signed in."""
    victim = _sign_in(app, member)
    (victims_session,) = _session_ids(member)
    other = browser(app, make_member(**role_fields))
    assert other.post_form(f"/account/sessions/{victims_session}/sign-out").status_code == 404
    assert other.post_form("/account/sessions/999999/sign-out").status_code == 404
    assert _session_ids(member) == [victims_session]
    assert victim.get("/account").status_code == 200
    assert "Firefox on Android" not in other.get("/account/sessions").get_data(as_text=True)


def test_the_permission_refuses_another_members_session(app: Flask, member: Member) -> None:
    """The rule itself: a member may end their own sessions only."""
    from app import permissions

    _sign_in(app, member)
    row = db.session.scalar(select(LoginSession).where(LoginSession.member_id == member.id))
    assert permissions.can(member, "end_login_session", row)
    assert not permissions.can(make_member(), "end_login_session", row)
    assert not permissions.can(None, "end_login_session", row)


def test_account_page_links_to_the_list(app: Flask, member: Member) -> None:
    """The account hub points to the signed-in browsers."""
    page = _sign_in(app, member).get("/account").get_data(as_text=True)
    assert 'href="/account/sessions"' in page


# The notice of a sign-in from a new browser.


def _notices(member: Member) -> list:
    return [m for m in outbox(member.email) if m.subject.startswith("A new sign-in to your account")]


def test_new_browser_gets_a_notice(app: Flask, member: Member) -> None:
    """Signing in from a browser the account never used sends one e-mail with the browser, time and the list."""
    _sign_in(app, member, SAFARI_IPHONE)
    (notice,) = _notices(member)
    assert "Safari on iOS" in notice.body_text
    assert re.search(r"\d+ \w+ \d{4}, \d\d:\d\d UTC", notice.body_text)
    assert "/account/sessions" in notice.body_text
    assert "/password-reset" in notice.body_text
    assert "If it was not you" in notice.body_text


def test_known_browser_gets_no_notice(app: Flask, member: Member) -> None:
    """Signing out and in again in the same browser sends nothing new."""
    phone = _sign_in(app, member)
    assert len(_notices(member)) == 1
    phone.post_form("/logout")
    _sign_in(app, member, client=phone)
    assert len(_notices(member)) == 1


def _returning_member() -> Member:
    """A member who has signed in somewhere before."""
    other = make_member()
    other.last_seen_at = other.created_at
    db.session.commit()
    return other


def test_browser_known_to_another_account_is_new_for_this_one(app: Flask, member: Member) -> None:
    """A shared computer where someone else signed in is still new for this account."""
    shared = _sign_in(app, _returning_member())
    shared.post_form("/logout")
    _sign_in(app, member, client=shared)
    assert len(_notices(member)) == 1


def test_sign_up_sends_no_notice(app: Flask) -> None:
    """Joining signs the new member in without telling them about their own browser."""
    client = browser(app)
    form = {
        "email": "new.member@example.org",
        "display_name": "New Member",
        "password": "a long and quiet evening",
        "password_confirm": "a long and quiet evening",
        "accept_guidelines": "y",
    }
    response = client.post_form("/register", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert outbox("new.member@example.org") == []
    assert client.get("/account").status_code == 200


def test_first_sign_in_of_an_account_sends_no_notice(app: Flask) -> None:
    """An account made by an operator is not told about its very first sign-in; its second browser is."""
    fresh = make_member()
    _sign_in(app, fresh, FIREFOX_ANDROID)
    assert _notices(fresh) == []
    _sign_in(app, fresh, EDGE_WINDOWS)
    assert len(_notices(fresh)) == 1


def test_seen_cookie_names_no_account(app: Flask, member: Member) -> None:
    """The cookie that remembers the browser holds a keyed hash, not the member's id or address; it is HttpOnly."""
    phone = _sign_in(app, member)
    cookie = phone.get_cookie("kindred_seen")
    assert cookie is not None and cookie.http_only
    assert str(member.id) != cookie.value and member.email not in cookie.value
    assert re.fullmatch(r"[0-9a-f]{16}", cookie.value)


def test_forged_seen_cookie_does_not_hide_a_new_browser(app: Flask, member: Member) -> None:
    """A cookie made up by someone without the site's secret does not count as seen."""
    client = browser(app)
    client.set_cookie("kindred_seen", "0123456789abcdef")
    _sign_in(app, member, client=client)
    assert len(_notices(member)) == 1


def test_export_holds_each_browser_as_kept(app: Flask, member: Member) -> None:
    """The member's export lists their signed-in browsers with what is kept of each, and no token hash."""
    phone = _sign_in(app, member, SAFARI_IPHONE)
    response = phone.post_form("/account/export")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        (row,) = json.loads(archive.read("kindred-export.json"))["login_sessions"]
    assert (row["browser"], row["platform"]) == ("safari", "ios")
    assert row["confirmed_at"] and "token_hash" not in row
