"""The staff dashboard's attendance figures: events held in the period, going and waiting in total and per event."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.extensions import db
from app.models import Role
from app.models.base import utcnow
from app.services.events.places import rsvp
from tests.events.conftest import fresh
from tests.factories import make_event, make_member
from tests.support import browser, soup


def test_dashboard_counts_attendance(app: Flask) -> None:
    """Two events held (one full with a waiting list), a cancelled one not counted as held, a future one left out."""
    held = make_event(title="Held Q&A", capacity=1, starts_in=timedelta(days=5))
    other = make_event(title="Second meeting", starts_in=timedelta(days=5))
    make_event(title="Called off", starts_in=-timedelta(days=2), cancelled_at=utcnow())
    make_event(title="Next month", starts_in=timedelta(days=30))
    for member in (make_member(), make_member(), make_member()):
        rsvp(member, fresh(held))
    rsvp(make_member(), fresh(other))
    for event in (held, other):  # both took place two days ago
        row = fresh(event)
        row.starts_at, row.ends_at = utcnow() - timedelta(days=2), utcnow() - timedelta(days=2, hours=-1)
        db.session.commit()
    page = soup(browser(app, make_member(role=Role.STAFF)).get("/staff"))
    assert page.find(id="fig-events-held").get_text(strip=True) == "2"
    assert page.find(id="fig-events-going").get_text(strip=True) == "2"
    assert page.find(id="fig-events-waiting").get_text(strip=True) == "2"
    rows = {r.find("td").get_text(" ", strip=True): [td.get_text(strip=True) for td in r.find_all("td")[2:]]
            for r in page.select("table.attendance tbody tr")}  # fmt: skip
    assert rows["Held Q&A"] == ["1", "2", "1"]
    assert rows["Second meeting"] == ["1", "0", "no limit"]
    assert "Called off Cancelled" in rows and "Next month" not in " ".join(rows)
