"""Signing up, signing in and signing out, through the real forms, sessions and database."""

import html

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from app.extensions import db
from app.models import LoginSession, Member
from tests.factories import PASSWORD, make_member

NEW_PASSWORD = "plum kettle lantern"
BAD_LOGIN = "That e-mail address and password don't match an account."


def registration(**changes: str) -> dict[str, str]:
    """A complete, valid sign-up form, with `changes` applied."""
    return {
        "email": "marigold@example.org",
        "display_name": "Marigold",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        "accept_guidelines": "y",
        **changes,
    }


def text(response) -> str:  # noqa: ANN001
    return html.unescape(response.get_data(as_text=True))


def is_signed_in(client) -> bool:  # noqa: ANN001
    """What the page header shows: a sign-out button for members, a sign-in link for visitors."""
    page = text(client.get("/guidelines"))
    assert ("Sign out</button>" in page) != (">Sign in</a>" in page)
    return "Sign out</button>" in page


def count(model) -> int:  # noqa: ANN001
    db.session.rollback()  # see the rows other connections committed
    return db.session.scalar(select(func.count()).select_from(model))


def set_cookie_header(response, name: str) -> str:  # noqa: ANN001
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert len(headers) == 1, response.headers.getlist("Set-Cookie")
    return headers[0]


# --- registration -------------------------------------------------------------------------------------------------


def test_register_creates_member_with_argon2_hash(client):
    """Signing up stores the member with a normalised e-mail and an argon2 hash, never the password itself."""
    response = client.post_form("/register", registration(email="Marigold@Example.org"))
    assert response.status_code == 302
    member = db.session.scalar(select(Member))
    assert (member.email, member.display_name) == ("marigold@example.org", "Marigold")
    assert member.password_hash.startswith("$argon2id$")
    assert NEW_PASSWORD not in member.password_hash
    assert PasswordHasher().verify(member.password_hash, NEW_PASSWORD)


def test_register_signs_the_new_member_in(client):
    """After signing up the member is signed in and welcomed."""
    response = client.post_form("/register", registration(), follow_redirects=True)
    assert "Welcome to the community, Marigold!" in text(response)
    assert is_signed_in(client)
    assert count(LoginSession) == 1


def test_register_records_guidelines_acceptance(client):
    """The moment the member accepted the community guidelines is recorded."""
    client.post_form("/register", registration())
    member = db.session.scalar(select(Member))
    assert member.guidelines_accepted_at is not None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": ""}, "Enter your e-mail address."),
        ({"display_name": ""}, "Choose a display name."),
        ({"password": "", "password_confirm": ""}, "Choose a password."),
        ({"password_confirm": ""}, "Repeat your password."),
        ({"password_confirm": NEW_PASSWORD + "!"}, "The two passwords differ."),
        ({"accept_guidelines": ""}, "Please accept the community guidelines to join."),
        ({"email": "marigold"}, "Enter a valid e-mail address."),
        ({"email": "marigold@example"}, "Enter a valid e-mail address."),
        ({"password": "basketball", "password_confirm": "basketball"}, "That password is too common."),
        ({"password": "short one", "password_confirm": "short one"}, "Use a password of at least 10 characters."),
        ({"password": "Marigold@example.org", "password_confirm": "Marigold@example.org"}, "must not be your"),
        ({"display_name": "Αdmin"}, "Display names must use a single alphabet"),
        ({"display_name": "Ann\u200bLee"}, "Display names may use letters"),
    ],
    ids=[
        "no-email",
        "no-display-name",
        "no-password",
        "no-confirmation",
        "confirmation-differs",
        "guidelines-not-accepted",
        "email-without-at",
        "email-without-tld",
        "common-password",
        "short-password",
        "password-is-email",
        "mixed-script-name",
        "invisible-character-in-name",
    ],
)
def test_register_refuses_bad_input_and_writes_nothing(client, changes, message):
    """Each invalid sign-up answers 422 with a message saying what to fix, and stores no member."""
    response = client.post_form("/register", registration(**changes))
    assert response.status_code == 422
    assert message in text(response)
    assert count(Member) == 0
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "ANN@Example.ORG"}, "An account with this e-mail address already exists."),
        ({"display_name": "ANN LEE"}, "That display name is taken."),
        ({"display_name": "ann lee"}, "That display name is taken."),
        ({"display_name": "Ａｎｎ Ｌｅｅ"}, "That display name is taken."),
    ],
    ids=["email-upper-case", "name-upper-case", "name-lower-case", "name-fullwidth"],
)
def test_register_refuses_taken_email_or_name_in_another_form(client, changes, message):
    """An e-mail address or display name already taken, in another case or width, is refused and nothing written."""
    make_member(email="ann@example.org", display_name="Ann Lee")
    response = client.post_form("/register", registration(**changes))
    assert response.status_code == 422
    assert message in text(response)
    assert count(Member) == 1


# --- signing in ---------------------------------------------------------------------------------------------------


def test_login_signs_member_in(client):
    """The right e-mail address and password sign the member in and send them home."""
    member = make_member(display_name="Ann Lee")
    response = client.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_signed_in(client)


def test_login_ignores_email_case(client):
    """Members can sign in however they capitalise their e-mail address."""
    make_member(email="ann@example.org")
    response = client.post_form("/login", {"email": "Ann@EXAMPLE.org", "password": PASSWORD})
    assert response.status_code == 302


def problems(response) -> str:  # noqa: ANN001
    """The text of the form's problem box."""
    page = text(response)
    start = page.index('<div class="form-problems"')
    return page[start : page.index("</div>", start)]


def test_wrong_password_and_unknown_email_look_identical(client):
    """A wrong password and an unknown address give the same status and message, revealing no accounts."""
    member = make_member()
    wrong_password = client.post_form("/login", {"email": member.email, "password": "not the password"})
    unknown_email = client.post_form("/login", {"email": "nobody@example.org", "password": PASSWORD})
    assert wrong_password.status_code == unknown_email.status_code == 422
    assert problems(wrong_password) == problems(unknown_email)
    assert BAD_LOGIN in problems(wrong_password)
    assert count(LoginSession) == 0


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/g/x", "/g/x"),
        ("//evil.example", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/\r\nSet-Cookie:x", "/"),  # /%0d%0aSet-Cookie:x in the address bar
    ],
    ids=["same-site", "scheme-relative", "absolute", "backslash", "javascript", "crlf"],
)
def test_login_next_redirects_only_inside_the_site(client, next_url, location):
    """After sign-in, `next` is followed only when it is a path on this site; anything else goes home."""
    member = make_member()
    response = client.post_form(
        "/login", {"email": member.email, "password": PASSWORD}, query_string={"next": next_url}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == location


def test_login_starts_a_new_session_cookie(client):
    """Signing in replaces the visitor's session cookie with a new one."""
    member = make_member()
    client.get("/login")
    before = client.get_cookie("session").value
    client.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert client.get_cookie("session").value != before


def test_login_discards_what_the_visitor_session_held(client):
    """Nothing placed in the session before sign-in survives it (no session fixation)."""
    member = make_member()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post_form("/login", {"email": member.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session


def test_each_login_gets_its_own_login_session(app, client, login_as):
    """Two browsers signing in as one member get two separate login sessions."""
    member = make_member()
    login_as(member)
    other_browser = app.test_client()
    other_browser.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert client.get_cookie("session").value != other_browser.get_cookie("session").value
    assert count(LoginSession) == 2


# --- signing out --------------------------------------------------------------------------------------------------


def test_logout_signs_member_out(client, login_as):
    """Signing out (a POST with the form's token) ends the session and says goodbye."""
    login_as(make_member())
    response = client.post_form("/logout", follow_redirects=True)
    assert "You are signed out." in text(response)
    assert not is_signed_in(client)
    assert count(LoginSession) == 0


def test_logout_by_get_is_refused(client, login_as):
    """A link or image cannot sign anyone out: GET /logout is not allowed."""
    login_as(make_member())
    response = client.get("/logout")
    assert response.status_code == 405
    assert is_signed_in(client)


@pytest.mark.parametrize(("cookie", "remember"), [("session", False), ("remember_token", True)])
def test_copied_cookie_stops_working_after_logout(app, client, cookie, remember):
    """A copy of a signed-in cookie (session or remember-me) no longer signs anyone in once the member signs out."""
    member = make_member()
    data = {"email": member.email, "password": PASSWORD, **({"remember": "y"} if remember else {})}
    client.post_form("/login", data)
    stolen = client.get_cookie(cookie).value
    thief = app.test_client()
    thief.set_cookie(cookie, stolen)
    assert is_signed_in(thief)  # the copy works while the member is signed in

    client.post_form("/logout")
    thief = app.test_client()
    thief.set_cookie(cookie, stolen)
    assert not is_signed_in(thief)


# --- CSRF and cookies ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/register", "/login", "/logout"])
def test_post_without_csrf_token_refused_and_writes_nothing(client, login_as, url):
    """A POST without the form's CSRF token answers the 400 page and changes nothing."""
    member = make_member(email="ann@example.org")
    if url == "/logout":
        login_as(member)
    before = (count(Member), count(LoginSession))
    data = registration() if url == "/register" else {"email": member.email, "password": PASSWORD}
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "Your form expired or came from another site." in text(response)
    assert (count(Member), count(LoginSession)) == before
    assert is_signed_in(client) == (url == "/logout")


@pytest.mark.parametrize(("cookie", "remember"), [("session", False), ("remember_token", True)])
def test_sign_in_cookies_are_httponly_and_samesite_lax(client, cookie, remember):
    """Session and remember-me cookies are hidden from scripts and not sent on cross-site requests."""
    member = make_member()
    data = {"email": member.email, "password": PASSWORD, **({"remember": "y"} if remember else {})}
    response = client.post_form("/login", data)
    header = set_cookie_header(response, cookie)
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


@pytest.mark.parametrize("url", ["/", "/login", "/register", "/no-such-page", "/healthz"])
def test_security_headers_on_every_response(client, url):
    """Pages, error pages and JSON all carry the CSP, framing, sniffing and referrer headers."""
    headers = client.get(url).headers
    policy = {d.split()[0]: d.split()[1:] for d in headers["Content-Security-Policy"].split("; ")}
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}
