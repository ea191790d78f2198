"""Sign-in throttling per account and per address (SECURITY.md #4): it slows guessing, recovers by itself, and
cannot keep a member out for long. Time passes by moving the stored timestamps back ("time travel")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from limits.storage import MemoryStorage
from sqlalchemy import select

from app.extensions import db, limiter
from app.models import LoginThrottle
from app.models.base import utcnow
from app.services.members.login_throttle import DEVICE_COOKIE, MAX_DELAY, account_key
from tests.factories import PASSWORD, make_member

BAD_LOGIN = "That e-mail address and password don&#39;t match an account."
THROTTLED = "Too many unsuccessful sign-ins with this e-mail address."


def attempt(client, email: str, password: str = "not the password"):  # noqa: S107  # noqa: ANN001, ANN201
    return client.post_form("/login", {"email": email, "password": password})


def fail(client, email: str, times: int) -> None:  # noqa: ANN001
    for _ in range(times):
        assert BAD_LOGIN in attempt(client, email).get_data(as_text=True)


def travel(minutes: float) -> None:
    """Let time pass for the throttle: every stored moment moves into the past."""
    delta = timedelta(minutes=minutes)
    db.session.rollback()
    for row in db.session.scalars(select(LoginThrottle)):
        row.last_failure_at -= delta
        row.locked_until = row.locked_until - delta if row.locked_until else None
    db.session.commit()


def lock_seconds(email: str) -> float:
    db.session.rollback()
    row = db.session.get(LoginThrottle, account_key(email))
    return (row.locked_until - utcnow()).total_seconds() if row and row.locked_until else 0


def is_signed_in(client) -> bool:  # noqa: ANN001
    return "Sign out</button>" in client.get("/guidelines").get_data(as_text=True)


def test_four_failures_do_not_throttle(client):
    """Four wrong passwords in a row still let the right one in."""
    member = make_member()
    fail(client, member.email, 4)
    assert attempt(client, member.email, PASSWORD).status_code == 302


def test_fifth_failure_refuses_even_the_right_password(client):
    """After the 5th failure the address is refused for a while, the password not even checked, with Retry-After."""
    member = make_member()
    fail(client, member.email, 5)
    response = attempt(client, member.email, PASSWORD)
    assert response.status_code == 429
    assert THROTTLED in response.get_data(as_text=True)
    assert 25 <= int(response.headers["Retry-After"]) <= 30
    assert not is_signed_in(client)


def test_refusal_lapses_by_itself(client):
    """Once the delay has passed, the right password signs in and the failures are forgotten."""
    member = make_member()
    fail(client, member.email, 5)
    travel(minutes=1)
    assert attempt(client, member.email, PASSWORD).status_code == 302
    assert db.session.scalar(select(LoginThrottle)) is None


def test_delay_doubles_and_is_capped_at_fifteen_minutes(client):
    """Each further failure doubles the refusal (30 s, 1 min, 2 min ...), never beyond 15 minutes."""
    member = make_member()
    fail(client, member.email, 5)
    seen = [round(lock_seconds(member.email))]
    for _ in range(7):
        travel(minutes=lock_seconds(member.email) / 60 + 0.1)  # the refusal has just lapsed
        fail(client, member.email, 1)
        seen.append(round(lock_seconds(member.email)))
    assert seen[:5] == [30, 60, 120, 240, 480]
    assert seen[5:] == [MAX_DELAY.total_seconds()] * 3


def test_quiet_quarter_hour_forgets_failures(client):
    """Failures more than 15 minutes apart do not add up to a refusal."""
    member = make_member()
    fail(client, member.email, 4)
    travel(minutes=16)
    fail(client, member.email, 1)
    assert attempt(client, member.email, PASSWORD).status_code == 302


def test_unknown_address_is_throttled_the_same_way(client):
    """An address with no account is refused exactly like a real one, so a refusal reveals no account."""
    make_member(email="real@example.org")
    fail(client, "real@example.org", 5)
    fail(client, "nobody@example.org", 5)
    real, unknown = attempt(client, "real@example.org"), attempt(client, "nobody@example.org")
    assert real.status_code == unknown.status_code == 429
    assert THROTTLED in real.get_data(as_text=True)
    assert THROTTLED in unknown.get_data(as_text=True)


def test_throttle_stores_no_address(client):
    """The throttle keeps a hash of the address, never the address typed."""
    fail(client, "Someone.Else@Example.org", 1)
    row = db.session.scalar(select(LoginThrottle))
    assert row.account_key == account_key("someone.else@example.org")
    assert "example" not in row.account_key


def test_other_accounts_are_not_affected(client):
    """Failures for one address do not slow down another."""
    target, other = make_member(), make_member()
    fail(client, target.email, 5)
    assert attempt(client, other.email, PASSWORD).status_code == 302


def test_known_browser_is_never_locked_out(app, client, login_through_form):
    """A browser that signed in to the account before still gets in while strangers keep the address refused."""
    member = make_member()
    login_through_form(member)
    client.post_form("/logout")
    assert client.get_cookie(DEVICE_COOKIE, path="/login") is not None
    attacker = app.test_client()
    fail(attacker, member.email, 5)
    assert attempt(attacker, member.email, PASSWORD).status_code == 429
    assert attempt(client, member.email, PASSWORD).status_code == 302


def test_device_cookie_of_another_account_does_not_help(app, client, login_through_form):
    """The known-browser cookie counts only for the account it was earned on."""
    mine, target = make_member(), make_member()
    login_through_form(mine)
    client.post_form("/logout")
    fail(app.test_client(), target.email, 5)
    assert attempt(client, target.email, PASSWORD).status_code == 429


def test_device_cookie_is_http_only_and_scoped_to_login(client):
    """The known-browser cookie is HttpOnly, SameSite=Lax and only sent to the sign-in page."""
    member = make_member()
    response = attempt(client, member.email, PASSWORD)
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{DEVICE_COOKIE}="))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Path=/login" in header


# --- per-address limits (Discourse: 6 per minute, 30 per hour) -------------------------------------------------------


RATE_LIMITED = pytest.mark.parametrize(
    "app_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}], ids=["rate-limited"]
)


def expire_minute_windows() -> None:
    """Time travel for the limiter's own (memory) storage: the per-minute windows end, the per-hour ones go on."""
    storage = limiter.storage
    assert isinstance(storage, MemoryStorage)
    for key in list(storage.expirations):
        if key.endswith("/1/minute"):
            storage.expirations[key] = 0


@RATE_LIMITED
def test_seventh_login_in_a_minute_from_one_address_is_refused(client):
    """The 7th sign-in attempt within a minute from one address answers 429 with Retry-After."""
    for n in range(6):
        assert attempt(client, f"person{n}@example.org").status_code == 422
    response = attempt(client, "person6@example.org")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) <= 60


@RATE_LIMITED
def test_thirty_first_login_in_an_hour_from_one_address_is_refused(app, client):
    """The 31st sign-in attempt within an hour answers 429, even spread over several minutes."""
    for n in range(30):
        if n and n % 6 == 0:
            expire_minute_windows()
        assert attempt(client, f"person{n}@example.org").status_code == 422
    expire_minute_windows()
    assert attempt(client, "person30@example.org").status_code == 429


@RATE_LIMITED
def test_other_address_is_not_limited(app, client):
    """Another address keeps signing in while one is over its limit."""
    for n in range(7):
        attempt(client, f"person{n}@example.org")
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    member = make_member()
    assert attempt(other, member.email, PASSWORD).status_code == 302
