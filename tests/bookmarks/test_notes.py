"""A bookmark's page: a private note and a reminder typed in the member's own time zone, checked before saving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from app.extensions import db
from app.models import Bookmark
from app.models.base import utcnow
from app.models.bookmarks import NOTE_MAX
from tests.bookmarks.conftest import Thread, bookmark_post
from tests.support import refusal_message, soup

FORMAT = "%Y-%m-%dT%H:%M"


def local(moment: datetime, zone: str) -> str:
    """The moment as a datetime-local field holds it, in `zone`."""
    return moment.astimezone(ZoneInfo(zone)).strftime(FORMAT)


def stored(bookmark: Bookmark) -> tuple[str, datetime | None]:
    db.session.rollback()
    row = db.session.get(Bookmark, bookmark.id)
    return row.note, row.remind_at


@pytest.fixture
def kept(app: Flask, thread: Thread) -> Bookmark:
    return bookmark_post(thread.client, thread.reply)


def test_the_page_labels_every_field(app: Flask, thread: Thread, kept: Bookmark) -> None:
    """The note and the reminder each have a label, and the reminder says which time zone it is in."""
    html = soup(thread.client.get(f"/bookmarks/{kept.id}"))
    for name in ("note", "remind_at"):
        field = html.find(attrs={"name": name})
        assert html.find("label", attrs={"for": field["id"]}).get_text(strip=True)
    assert html.find("input", attrs={"name": "remind_at"})["type"] == "datetime-local"
    assert "Your time zone: UTC." in html.get_text()


def test_a_note_and_reminder_are_saved(app: Flask, thread: Thread, kept: Bookmark) -> None:
    """A note and a future reminder (UTC for a member without a time zone) are stored, and the list shows both."""
    when = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = thread.client.post_form(f"/bookmarks/{kept.id}", {"note": "Ask Dr Lee", "remind_at": local(when, "UTC")})
    assert response.location == "/bookmarks"
    assert stored(kept) == ("Ask Dr Lee", when)
    listing = soup(thread.client.get("/bookmarks")).select_one(f"#b{kept.id}").get_text(" ", strip=True)
    assert "Ask Dr Lee" in listing
    assert "Reminder on" in listing


def test_the_reminder_is_read_in_the_members_time_zone(app: Flask, thread: Thread, kept: Bookmark) -> None:
    """A member in Tokyo typing 09:00 sets the reminder for 00:00 UTC, and the form shows 09:00 again."""
    thread.reader.timezone = "Asia/Tokyo"
    db.session.commit()
    day = (utcnow() + timedelta(days=3)).date()
    thread.client.post_form(f"/bookmarks/{kept.id}", {"note": "", "remind_at": f"{day.isoformat()}T09:00"})
    assert stored(kept)[1] == datetime(day.year, day.month, day.day, 0, 0, tzinfo=UTC)
    html = soup(thread.client.get(f"/bookmarks/{kept.id}"))
    assert html.find("input", attrs={"name": "remind_at"})["value"] == f"{day.isoformat()}T09:00"
    assert "Your time zone: Asia/Tokyo." in html.get_text()


def test_a_reminder_in_the_past_is_refused_and_nothing_is_stored(app: Flask, thread: Thread, kept: Bookmark) -> None:
    """A reminder time already past answers 422 with a clear message; neither it nor the note is stored."""
    past = local(utcnow() - timedelta(hours=1), "UTC")
    response = thread.client.post_form(f"/bookmarks/{kept.id}", {"note": "New note", "remind_at": past})
    assert response.status_code == 422
    assert "Please choose a reminder time in the future." in refusal_message(soup(response))
    assert stored(kept) == ("", None)


@pytest.mark.parametrize("typed", ["tomorrow", "2026-13-45T25:61", "12/24/2030 10:00", "2030-01-01T10:00" + "0" * 40])
def test_a_reminder_that_is_no_time_is_refused(app: Flask, thread: Thread, kept: Bookmark, typed: str) -> None:
    """A reminder that is not a date and time answers 422 with a message, and nothing is stored."""
    response = thread.client.post_form(f"/bookmarks/{kept.id}", {"note": "New note", "remind_at": typed})
    assert response.status_code == 422
    assert refusal_message(soup(response))
    assert stored(kept) == ("", None)


@pytest.mark.parametrize("typed", ["9999-12-31T23:59", "0001-01-01T00:00", "2300-01-01T10:00"])
def test_a_reminder_beyond_ten_years_is_refused(app: Flask, thread: Thread, kept: Bookmark, typed: str) -> None:
    """A reminder more than ten years ahead (or at the edge of the calendar, in any zone) is refused clearly."""
    thread.reader.timezone = "America/New_York" if typed.startswith("9") else "Asia/Tokyo"
    db.session.commit()
    response = thread.client.post_form(f"/bookmarks/{kept.id}", {"note": "New note", "remind_at": typed})
    assert response.status_code == 422
    message = refusal_message(soup(response))
    assert "within the next ten years" in message or "in the future" in message
    assert stored(kept) == ("", None)


def test_a_too_long_note_is_refused_with_the_reminder_unsaved(app: Flask, thread: Thread, kept: Bookmark) -> None:
    """A note over the limit answers 422 saying the limit, and the (valid) reminder is not stored either."""
    when = local(utcnow() + timedelta(days=1), "UTC")
    response = thread.client.post_form(f"/bookmarks/{kept.id}", {"note": "x" * (NOTE_MAX + 1), "remind_at": when})
    assert response.status_code == 422
    assert f"Notes can be at most {NOTE_MAX:,} characters." in refusal_message(soup(response))
    assert stored(kept) == ("", None)


def test_the_past_reminder_and_the_too_long_note_are_reported_together(
    app: Flask, thread: Thread, kept: Bookmark
) -> None:
    """Both problems are reported in one answer, not one per submit."""
    past = local(utcnow() - timedelta(days=1), "UTC")
    response = thread.client.post_form(f"/bookmarks/{kept.id}", {"note": "x" * (NOTE_MAX + 1), "remind_at": past})
    message = refusal_message(soup(response))
    assert "Notes can be at most" in message
    assert "in the future" in message


def test_emptying_the_reminder_removes_it(app: Flask, thread: Thread, kept: Bookmark) -> None:
    """Saving with an empty reminder field clears the reminder that was set."""
    when = local(utcnow() + timedelta(days=1), "UTC")
    thread.client.post_form(f"/bookmarks/{kept.id}", {"note": "Keep", "remind_at": when})
    thread.client.post_form(f"/bookmarks/{kept.id}", {"note": "Keep", "remind_at": ""})
    assert stored(kept) == ("Keep", None)


def test_a_fired_reminder_may_stay_while_the_note_changes(app: Flask, thread: Thread, kept: Bookmark) -> None:
    """After a reminder's time has passed, saving a new note with the same reminder shown is accepted."""
    earlier = (utcnow() - timedelta(hours=2)).replace(second=0, microsecond=0)
    kept.remind_at, kept.reminded_at = earlier, earlier
    db.session.commit()
    response = thread.client.post_form(f"/bookmarks/{kept.id}", {"note": "Later", "remind_at": local(earlier, "UTC")})
    assert response.status_code == 302
    assert stored(kept) == ("Later", earlier)


def test_a_note_with_line_breaks_keeps_them_and_is_escaped(app: Flask, thread: Thread, kept: Bookmark) -> None:
    """A note is plain text: line breaks kept (CRLF as LF), markup shown as typed, never run."""
    note = "First line\r\n<b>not bold</b> & <script>alert(1)</script>"
    thread.client.post_form(f"/bookmarks/{kept.id}", {"note": note})
    assert stored(kept)[0] == note.replace("\r\n", "\n")
    shown = soup(thread.client.get("/bookmarks")).select_one(".bookmark-note")
    assert shown.get_text() == note.replace("\r\n", "\n")
    assert shown.find("script") is None and shown.find("b") is None
