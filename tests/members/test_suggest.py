"""The name-suggestion endpoint behind recipient and @mention fields: signed-in members only, prefix matches on
display names, at most eight, never an e-mail, never suspended, erased or blocked members."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.models import MemberStatus, Role
from app.models.base import utcnow
from app.models.messages import Block
from tests.factories import PASSWORD, make_member
from tests.support import browser


def _names(client, q: str, purpose: str = "mention") -> list[str]:  # noqa: ANN001
    response = client.get("/members/suggest", query_string={"q": q, "for": purpose})
    assert response.status_code == 200 and response.mimetype == "application/json"
    return [entry["name"] for entry in response.get_json()["members"]]


def test_prefix_matches_by_display_name_case_insensitively(app: Flask) -> None:
    """Typing "ma" finds Mara and MARTIN, not Emma; the asker is never suggested to themselves."""
    asker = make_member(display_name="Mallory")
    for name in ("Mara Lind", "MARTIN", "Emma"):
        make_member(display_name=name)
    assert _names(browser(app, asker), "ma") == ["Mara Lind", "MARTIN"]


def test_at_most_eight_and_never_an_email(app: Flask) -> None:
    """A common prefix returns eight names, and nothing but names."""
    asker = make_member()
    for n in range(12):
        make_member(display_name=f"Sam {n:02d}", email=f"sam{n}@example.org")
    response = browser(app, asker).get("/members/suggest?q=sam")
    assert len(response.get_json()["members"]) == 8
    assert "@example.org" not in response.get_data(as_text=True)
    assert all(set(entry) == {"name"} for entry in response.get_json()["members"])


def test_nobody_is_found_by_their_email_address(app: Flask) -> None:
    """The e-mail address is not searched: typing it finds no one."""
    asker = make_member()
    make_member(display_name="Quiet One", email="hidden.address@example.org")
    assert _names(browser(app, asker), "hidden") == []


@pytest.mark.parametrize("purpose", ["mention", "message"])
def test_blocked_either_way_are_left_out(app: Flask, purpose: str) -> None:
    """Someone the asker blocked, or who blocked the asker, is not suggested."""
    asker = make_member()
    blocked, blocking, fine = (make_member(display_name=f"Terry {n}") for n in ("A", "B", "C"))
    db.session.add_all(
        [Block(blocker_id=asker.id, blocked_id=blocked.id), Block(blocker_id=blocking.id, blocked_id=asker.id)]
    )
    db.session.commit()
    assert _names(browser(app, asker), "terry", purpose) == ["Terry C"]


def test_suspended_and_deleted_members_are_left_out(app: Flask) -> None:
    """Suspended and erased accounts are never suggested; a lapsed suspension is over."""
    asker = make_member()
    make_member(display_name="Val Suspended", status=MemberStatus.SUSPENDED, suspension_reason="x")
    make_member(display_name="Val Lapsed", status=MemberStatus.SUSPENDED, suspended_until=utcnow() - timedelta(days=1))
    leaving = make_member(display_name="Val Leaving")
    browser(app, leaving).post_form("/account/delete", {"password": PASSWORD})
    assert _names(browser(app, asker), "val") == ["Val Lapsed"]
    assert _names(browser(app, asker), "former") == []


def test_newcomer_gets_only_people_they_may_message(app: Flask) -> None:
    """A newcomer can start conversations only with the team and people they talked with: only those are offered
    as recipients, while mentions still suggest everyone."""
    newcomer = make_member(approved_posts=0)
    make_member(display_name="Pat Stranger")
    make_member(display_name="Pat Mentor", role=Role.MENTOR)
    client = browser(app, newcomer)
    assert _names(client, "pat", "message") == ["Pat Mentor"]
    assert _names(client, "pat", "mention") == ["Pat Mentor", "Pat Stranger"]


def test_visitor_is_refused(app: Flask) -> None:
    """Visitors get no names."""
    make_member(display_name="Ann Visible")
    response = browser(app).get("/members/suggest?q=ann")
    assert response.status_code in (302, 401, 403)
    assert "Ann Visible" not in response.get_data(as_text=True)


def test_suspended_asker_is_refused(app: Flask) -> None:
    """A suspended member, who can write to nobody, gets no suggestions."""
    asker = make_member(status=MemberStatus.SUSPENDED, suspension_reason="x")
    make_member(display_name="Ann Visible")
    response = browser(app, asker).get("/members/suggest?q=ann")
    assert response.status_code == 403 and "Ann Visible" not in response.get_data(as_text=True)


def test_empty_and_odd_queries_answer_nothing(app: Flask) -> None:
    """No query, blanks, a NUL or a very long one: an empty list, never an error."""
    client = browser(app, make_member())
    for q in ("", "   ", "a\x00b", "x" * 500, "%", "_"):
        assert _names(client, q) == []


def test_fields_carry_the_suggestion_hooks(app: Flask) -> None:
    """The recipient field and the reply box name the endpoint; the page loads the script from a file."""
    client = browser(app, make_member())
    page = client.get("/messages/new").get_data(as_text=True)
    assert 'data-suggest="message"' in page and 'data-suggest-url="/members/suggest"' in page
    assert "/static/suggest.js" in page or "suggest.js" in page


@pytest.mark.parametrize(
    "app_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}], ids=["rate-limited"]
)
def test_suggestions_are_rate_limited(app: Flask) -> None:
    """Past the per-minute allowance the endpoint answers 429."""
    client = browser(app, make_member())
    statuses = {client.get("/members/suggest?q=a").status_code for _ in range(61)}
    assert 429 in statuses
