"""Announcements: staff post a site-wide banner (Markdown, optional end date) that members dismiss for themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Announcement, AnnouncementDismissal, Role
from tests.factories import make_member, member_for
from tests.support import STAFF_ONLY, browser, count_rows, page_text, soup


@pytest.fixture
def staff(app: Flask):  # noqa: ANN201
    return browser(app, make_member(role=Role.STAFF))


def announce(client, body: str = "The forum is **down for maintenance** on Sunday.", ends_on: str = ""):  # noqa: ANN001, ANN201
    return client.post_form("/staff/announcements", {"body": body, "ends_on": ends_on})


def banners(response) -> list[str]:  # noqa: ANN001
    return [b.get_text(" ", strip=True) for b in soup(response).select(".banner .banner-body")]


@pytest.mark.parametrize("url", ["/", "/guidelines", "/resources"])
def test_announcement_shows_on_every_page_to_visitors_and_members(app: Flask, staff, url: str) -> None:  # noqa: ANN001
    """A new announcement is a banner, cooked from Markdown, on every page for visitors and members alike."""
    assert announce(staff).status_code == 302
    for client in (browser(app), browser(app, make_member())):
        page = client.get(url)
        assert banners(page) == ["The forum is down for maintenance on Sunday."]
        assert soup(page).select_one(".banner-body strong").get_text() == "down for maintenance"


def test_member_dismisses_an_announcement_for_themselves(app: Flask, staff) -> None:  # noqa: ANN001
    """Dismissing (a plain POST form) hides the banner for that member, on every page; others still see it."""
    announce(staff)
    member = browser(app, make_member())
    form = soup(member.get("/")).select_one(".banner-dismiss")
    response = member.post_form(form["action"])
    assert response.status_code == 302 and response.location == "/"
    assert banners(member.get("/resources")) == []
    assert len(banners(browser(app, make_member()).get("/"))) == 1


def test_dismissing_twice_is_harmless(app: Flask, staff) -> None:  # noqa: ANN001
    """A second dismissal (another tab) stores nothing more and still answers with a redirect."""
    announce(staff)
    announcement = db.session.scalar(select(Announcement))
    member = browser(app, make_member())
    for _ in range(2):
        assert member.post_form(f"/announcements/{announcement.id}/dismiss").status_code == 302
    assert count_rows(AnnouncementDismissal) == 1


def test_visitors_get_no_dismiss_button(app: Flask, staff) -> None:  # noqa: ANN001
    """Visitors have no account to remember a dismissal, so they see the banner without the button."""
    announce(staff)
    assert soup(browser(app).get("/")).select(".banner-dismiss") == []


def test_announcement_ends_on_its_end_date(app: Flask, staff) -> None:  # noqa: ANN001
    """After its end date the banner is gone by itself."""
    announce(staff, ends_on=datetime.now(UTC).date().isoformat())
    announcement = db.session.scalar(select(Announcement))
    assert announcement.ends_at.date() == datetime.now(UTC).date()
    assert len(banners(browser(app).get("/"))) == 1
    announcement.ends_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    assert banners(browser(app).get("/")) == []


def test_staff_end_an_announcement_now(app: Flask, staff) -> None:  # noqa: ANN001
    """ "End now" takes the banner down at once; it stays listed for staff as ended."""
    announce(staff)
    announcement = db.session.scalar(select(Announcement))
    assert staff.post_form(f"/staff/announcements/{announcement.id}/end").status_code == 302
    assert banners(browser(app).get("/")) == []
    assert "Ended" in page_text(staff.get("/staff/announcements"))


def test_ending_twice_is_refused_with_a_message(app: Flask, staff) -> None:  # noqa: ANN001
    """Ending an announcement that has ended says so."""
    announce(staff)
    announcement = db.session.scalar(select(Announcement))
    staff.post_form(f"/staff/announcements/{announcement.id}/end")
    response = staff.post_form(f"/staff/announcements/{announcement.id}/end", follow_redirects=True)
    assert "This announcement has already ended." in page_text(response)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body": "   "}, "Please write the announcement."),
        ({"body": "x" * 2001}, "Announcements can be at most 2,000 characters."),
        ({"ends_on": "2001-01-01"}, "The end date has passed"),
        ({"ends_on": "next tuesday"}, "Not a valid date value."),
    ],
)
def test_bad_announcements_are_refused_with_a_message(app: Flask, staff, fields: dict, message: str) -> None:  # noqa: ANN001
    """An empty or overlong text, or a past or unreadable end date, is refused (422) and nothing is stored."""
    response = announce(staff, **fields)
    assert response.status_code == 422 and message in page_text(response)
    assert count_rows(Announcement) == 0


@pytest.mark.parametrize("role", STAFF_ONLY)
def test_only_staff_post_announcements(app: Flask, role: str) -> None:
    """Staff and admins post announcements; others are refused (visitors sent to sign in) and nothing is stored."""
    response = announce(browser(app, member_for(role)))
    assert count_rows(Announcement) == int(STAFF_ONLY[role])
    assert response.status_code == 302 if STAFF_ONLY[role] else response.status_code in (302, 403)


def test_banner_adds_no_statement_to_a_members_page(app: Flask, staff, count_queries) -> None:  # noqa: ANN001
    """The banner comes with the notification count, in the same statement: a page runs as many with one as without."""
    member = browser(app, make_member())
    counts = []
    for _ in range(2):
        with count_queries() as counter:
            member.get("/resources")
        counts.append(len(counter))
        announce(staff)
    assert counts[0] == counts[1]
