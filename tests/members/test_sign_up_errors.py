"""The sign-up form names every problem at once, in a summary linking to each field and beside the field."""

from __future__ import annotations

from tests.factories import PASSWORD, make_member
from tests.support import soup


def _problems(response) -> dict[str, str]:  # noqa: ANN001
    return {a["href"]: a.get_text(" ", strip=True) for a in soup(response).select(".form-problems a")}


def _beside(response, name: str) -> str:  # noqa: ANN001
    page = soup(response)
    refs = page.select_one(f"[name={name}]")["aria-describedby"].split()
    return " ".join(page.select_one(f"#{ref}").get_text(" ", strip=True) for ref in refs)


def test_form_and_account_rules_are_reported_together(client):
    """An empty e-mail, a taken display name and a short password all show up in one answer."""
    make_member(display_name="Marigold")
    response = client.post_form(
        "/register",
        {
            "email": "",
            "display_name": "marigold",
            "password": "short",
            "password_confirm": "short",
            "accept_guidelines": "y",
        },
    )
    assert response.status_code == 422
    problems = _problems(response)
    assert set(problems) == {"#email", "#display_name", "#password"}
    assert "Enter your e-mail address." in problems["#email"]
    assert "That display name is taken." in problems["#display_name"]
    assert "at least 10 characters" in problems["#password"]
    assert "That display name is taken." in _beside(response, "display_name")
    assert "at least 10 characters" in _beside(response, "password")


def test_account_rules_all_at_once(client):
    """A malformed address, a name without letters and a common password are refused together."""
    response = client.post_form(
        "/register",
        {
            "email": "not-an-address",
            "display_name": "1234",
            "password": "password123",
            "password_confirm": "password123",
            "accept_guidelines": "y",
        },
    )
    assert response.status_code == 422
    assert set(_problems(response)) == {"#email", "#display_name", "#password"}


def test_the_guidelines_box_stays_ticked_after_an_error(client):
    """Having ticked the guidelines box, a member fixing a typo need not tick it again."""
    response = client.post_form(
        "/register",
        {
            "email": "ann@example.org",
            "display_name": "Ann",
            "password": PASSWORD,
            "password_confirm": "typo",
            "accept_guidelines": "y",
        },
    )
    assert response.status_code == 422
    assert soup(response).select_one("input[name=accept_guidelines]").has_attr("checked")
    assert set(_problems(response)) == {"#password_confirm"}


def test_an_unticked_guidelines_box_is_one_of_the_problems(client):
    """Not ticking the box is listed with the other problems."""
    response = client.post_form("/register", {"email": "", "display_name": "Ann", "password": PASSWORD})
    assert {"#email", "#password_confirm", "#accept_guidelines"} <= set(_problems(response))
