"""Sign-up behind a shared address: mistakes do not use up the allowance for joining, and a limited form keeps
what was typed and says, in words, when to try again."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Member
from tests.factories import PASSWORD
from tests.support import soup

pytestmark = pytest.mark.parametrize(
    "app_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}], ids=["rate-limited"]
)


def _sign_up(client, n: int, **changes: str):  # noqa: ANN001, ANN202
    data = {
        "email": f"person{n}@example.org",
        "display_name": f"Person {chr(65 + n % 26)}{chr(65 + n // 26)}",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_guidelines": "y",
        **changes,
    }
    return client.post_form("/register", data)


def _members() -> int:
    return db.session.scalar(select(func.count(Member.id))) or 0


def test_typos_do_not_use_up_the_allowance_for_joining(client) -> None:
    """Ten mistaken attempts from one address still let the next, correct sign-up through."""
    for n in range(10):
        assert _sign_up(client, n, password_confirm="not the same").status_code == 422
    response = _sign_up(client, 10)
    assert response.status_code == 302
    assert _members() == 1


def test_several_people_behind_one_address_can_join(app) -> None:
    """Eight people on one guest Wi-Fi, each with a typo first, all join within the hour."""
    for n in range(8):
        client = app.test_client()
        assert _sign_up(client, n, password_confirm="oops").status_code == 422
        assert _sign_up(client, n).status_code == 302
    assert _members() == 8


def test_accounts_created_per_address_are_limited(app) -> None:
    """The eleventh new account within an hour from one address is refused, and not created."""
    for n in range(10):
        assert _sign_up(app.test_client(), n).status_code == 302
    response = _sign_up(app.test_client(), 10)
    assert response.status_code == 429
    assert _members() == 10


def test_attempts_per_address_are_limited(client) -> None:
    """Endless failed attempts from one address are stopped all the same (the 61st within an hour)."""
    for n in range(60):
        assert _sign_up(client, n, email="not an address").status_code == 422
    assert _sign_up(client, 60).status_code == 429
    assert _members() == 0


def test_a_limited_sign_up_shows_the_form_again_with_what_was_typed(app) -> None:
    """The limited form keeps the e-mail address and name (never the passwords) and says when to retry in words."""
    for n in range(10):
        _sign_up(app.test_client(), n)
    response = _sign_up(app.test_client(), 10, email="kept@example.org", display_name="Kept Name")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    page = soup(response)
    assert page.select_one("input[name=email]")["value"] == "kept@example.org"
    assert page.select_one("input[name=display_name]")["value"] == "Kept Name"
    assert all(not field.get("value") for field in page.select("input[type=password]"))
    assert PASSWORD not in response.get_data(as_text=True)
    assert page.select_one("input[name=accept_guidelines]").has_attr("checked")
    text = page.get_text(" ", strip=True)
    assert "You can try again in about 1 hour." in text
    assert "per 1 hour" not in text
