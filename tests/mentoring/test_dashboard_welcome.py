"""The staff dashboard's median time to welcome: first published post → welcomed, over the last 30 or 90 days."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.extensions import db
from app.models import Post, Role, Welcome
from app.models.base import utcnow
from tests.factories import make_member, make_topic
from tests.support import browser, opening_post, soup


def welcomed_after(hours: float, days_ago: float) -> Post:
    """A first post written `hours` before a mentor welcomed it, `days_ago` days ago."""
    welcomed_at = utcnow() - timedelta(days=days_ago)
    post = opening_post(make_topic())
    post.created_at = welcomed_at - timedelta(hours=hours)
    db.session.add(Welcome(post_id=post.id, welcomed_at=welcomed_at))
    db.session.commit()
    return post


def figure(app: Flask, query: str = "") -> str:
    page = soup(browser(app, make_member(role=Role.STAFF)).get(f"/staff{query}"))
    return page.select_one("#fig-welcome").get_text(strip=True)


def test_the_median_of_the_periods_welcomes_is_shown(app: Flask) -> None:
    """Welcomes after 2, 4 and 30 hours in the last 30 days: the median is 4 hours; older welcomes are left out."""
    for hours in (2, 4, 30):
        welcomed_after(hours, days_ago=3)
    welcomed_after(100, days_ago=60)
    assert figure(app) == "4.0 hours"


def test_the_90_day_view_counts_older_welcomes(app: Flask) -> None:
    """Over 90 days the welcome 60 days ago counts too: 2, 4, 30 and 100 hours have a median of 17 hours."""
    for hours in (2, 4, 30):
        welcomed_after(hours, days_ago=3)
    welcomed_after(100, days_ago=60)
    assert figure(app, "?days=90") == "17.0 hours"


def test_claims_alone_do_not_count(app: Flask) -> None:
    """A claim without a welcome is not a welcome: no data yet."""
    post = opening_post(make_topic())
    db.session.add(Welcome(post_id=post.id, claimed_at=utcnow()))
    db.session.commit()
    assert figure(app) == "No data yet"


def test_the_csv_carries_the_median_in_hours(app: Flask) -> None:
    """The dashboard's CSV has median_hours_to_welcome."""
    for hours in (1, 3):
        welcomed_after(hours, days_ago=1)
    csv_text = browser(app, make_member(role=Role.STAFF)).get("/staff/export.csv").get_data(as_text=True)
    assert "median_hours_to_welcome,,,2.00" in csv_text
