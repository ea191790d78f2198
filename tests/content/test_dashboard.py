"""The listening dashboard: figures equal to a hand-counted fixture, on SQLite and PostgreSQL, from a fixed number
of SQL statements; the page, its SVG charts and its CSV export; staff only."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.models import ContentStatus, HelpfulMark, Member, Role, Topic
from app.models.base import utcnow
from app.models.moderation import ReviewItem, ReviewKind, ReviewStatus
from app.staff.figures import Period, dashboard
from tests.factories import at, make_member, make_topic, member_for, reply_at
from tests.support import STAFF_ONLY, browser, hours, opening_post, soup

FIXED_NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@dataclass
class World:
    now: datetime
    staff: Member


def listening_world(now: datetime, tag: str = "") -> World:
    """The hand-counted fixture (times relative to `now`; D-n is the UTC day n days before now's day):

    members   A, B, staff at D-100; E at D-40; C at D-20; D at now        -> 30 days: 2 (D-20, D0); 90 days: 3
    topics    T1 D-10, T2 D-5, T3 D-2, T7 D-1 (25 h ago), T4 now-6h, T5 D-40; T6 hidden (D-3), left out
              -> 30 days: 5 new topics; 90 days: 6
    replies   T1: A's own +1 h, B +2 h, C +30 h; T2: C +30 h; T4: B +1 h; T5: B +4 h; T6: B (hidden topic);
              T7: B hidden +1 h, C +5 h                                    -> 30 days: 6 replies; 90 days: 7
    first reply from someone else: T1 2 h, T2 30 h, T4 1 h, T7 5 h (T3 none)  -> median 3.5 h; 90 days (+T5 4 h): 4 h
    answered within 24 h, of topics at least 24 h old: T1 yes, T2 no, T3 no, T7 yes  -> 2 of 4
    review items: open W1 (D-2), W2 (D-60) -> 2 open; decided X 2 h (D-3), Y 24 h (D-8 to D-7), Z 10 h (D-50)
              -> median decision 30 days: 13 h; 90 days: 10 h
    helpful marks on B's replies: 2 (D-9) + 1 (D0), on C's: 1 (D-3); on B's T5 reply at D-39
              -> 30 days: B 3, C 1; 90 days: B 4, C 1
    """
    old = now - 100 * DAY
    a, b, staff = (make_member(display_name=n + tag, created_at=old, **r) for n, r in (("A", {}), ("B", {}),
                   ("Staff", {"role": Role.STAFF})))  # fmt: skip
    make_member(display_name="E" + tag, created_at=now - 40 * DAY)
    c = make_member(display_name="C" + tag, created_at=now - 20 * DAY)
    make_member(display_name="D" + tag, created_at=now)

    def topic(title: str, started: datetime, **fields: object) -> Topic:
        made = make_topic(author=a, title=title, **fields)
        at(started, made), at(started, opening_post(made))
        return made

    t1, t2, t3 = topic("T1", now - 10 * DAY), topic("T2", now - 5 * DAY), topic("T3", now - 2 * DAY)
    t4, t5, t7 = topic("T4", now - hours(6)), topic("T5", now - 40 * DAY), topic("T7", now - DAY - hours(1))
    t6 = topic("T6", now - 3 * DAY, status=ContentStatus.HIDDEN)
    reply_at(t1, a, t1.created_at + hours(1))
    b_t1 = reply_at(t1, b, t1.created_at + hours(2))
    reply_at(t1, c, t1.created_at + hours(30))
    c_t2 = reply_at(t2, c, t2.created_at + hours(30))
    b_t4 = reply_at(t4, b, t4.created_at + hours(1))
    b_t5 = reply_at(t5, b, t5.created_at + hours(4))
    reply_at(t6, b, t6.created_at + hours(1))
    reply_at(t7, b, t7.created_at + hours(1), status=ContentStatus.HIDDEN)
    reply_at(t7, c, t7.created_at + hours(5))

    def item(post, created: datetime, decided: datetime | None) -> None:  # noqa: ANN001
        status = ReviewStatus.OPEN if decided is None else ReviewStatus.APPROVED
        db.session.add(ReviewItem(kind=ReviewKind.FLAGGED_POST, status=status, post_id=post.id,
                                  group_id=post.topic.group_id, created_at=created, decided_at=decided))  # fmt: skip

    item(opening_post(t3), now - 2 * DAY, None)
    item(opening_post(t5), now - 60 * DAY, None)
    item(opening_post(t1), now - 3 * DAY, now - 3 * DAY + hours(2))
    item(opening_post(t1), now - 8 * DAY, now - 7 * DAY)
    item(opening_post(t1), now - 50 * DAY, now - 50 * DAY + hours(10))
    for post, member, moment in ((b_t1, a, now - 9 * DAY), (b_t1, c, now - 9 * DAY), (b_t4, a, now),
                                 (c_t2, a, now - 3 * DAY), (b_t5, a, now - 39 * DAY)):  # fmt: skip
        db.session.add(HelpfulMark(post_id=post.id, member_id=member.id, receiver_id=post.author_id, created_at=moment))
    db.session.commit()
    return World(now, staff)


def day(now: datetime, n: int):  # noqa: ANN201
    return (now - n * DAY).date()


def nonzero(series: list) -> dict:
    return {d: n for d, n in series if n}


@pytest.fixture
def fixed_world(app: Flask) -> World:
    return listening_world(FIXED_NOW)


def test_new_members_per_day(fixed_world: World) -> None:
    """New members are counted on the day they joined: D-20 and today in 30 days, D-40 too in 90."""
    now = fixed_world.now
    assert nonzero(dashboard(30, now).new_members) == {day(now, 20): 1, day(now, 0): 1}
    assert sum(n for _, n in dashboard(90, now).new_members) == 3


def test_new_topics_per_day(fixed_world: World) -> None:
    """Published topics are counted on the day they started; the hidden one is not."""
    now = fixed_world.now
    expected = {day(now, 10): 1, day(now, 5): 1, day(now, 2): 1, day(now, 1): 1, day(now, 0): 1}
    assert nonzero(dashboard(30, now).new_topics) == expected
    assert sum(n for _, n in dashboard(90, now).new_topics) == 6


def test_replies_per_day(fixed_world: World) -> None:
    """Published replies in published topics, by day; hidden replies and the hidden topic's reply are left out."""
    now = fixed_world.now
    expected = {day(now, 10): 2, day(now, 9): 1, day(now, 4): 1, day(now, 1): 1, day(now, 0): 1}
    assert nonzero(dashboard(30, now).replies) == expected
    assert sum(n for _, n in dashboard(90, now).replies) == 7


def test_every_day_of_the_period_is_listed(fixed_world: World) -> None:
    """Each series has one entry per day, today last, zeros included."""
    series = dashboard(30, fixed_world.now).new_members
    assert len(series) == 30 and series[-1][0] == FIXED_NOW.date() and series[0][0] == day(FIXED_NOW, 29)


@pytest.mark.parametrize(("days", "median_hours"), [(30, 3.5), (90, 4.0)])
def test_median_time_to_first_reply(fixed_world: World, days: int, median_hours: float) -> None:
    """The median wait for a first reply from someone else: 3.5 hours over 30 days (even count), 4 over 90 (odd)."""
    assert dashboard(days, fixed_world.now).median_first_reply == pytest.approx(median_hours * 3600, abs=1)


def test_share_answered_within_24_hours(fixed_world: World) -> None:
    """Of the four topics at least a day old, two had a reply from someone else within 24 hours."""
    share = dashboard(30, fixed_world.now).answered_in_a_day
    assert (share.part, share.whole, share.percent) == (2, 4, 50.0)


def test_open_review_items(fixed_world: World) -> None:
    """Open review items are counted now, however old."""
    assert dashboard(30, fixed_world.now).open_review_items == 2


@pytest.mark.parametrize(("days", "median_hours"), [(30, 13.0), (90, 10.0)])
def test_median_moderation_decision_time(fixed_world: World, days: int, median_hours: float) -> None:
    """The median time from review item to decision, for decisions in the period: 13 h (30 days), 10 h (90)."""
    assert dashboard(days, fixed_world.now).median_decision == pytest.approx(median_hours * 3600, abs=1)


@pytest.mark.parametrize(("days", "expected"), [(30, [("B", 3), ("C", 1)]), (90, [("B", 4), ("C", 1)])])
def test_most_helpful_contributors(fixed_world: World, days: int, expected: list) -> None:
    """Members ranked by the helpful marks their replies received in the period."""
    assert dashboard(days, fixed_world.now).most_helpful == expected


def test_empty_community_has_no_medians(app: Flask) -> None:
    """With nothing to measure, medians are None and the share has no percentage, rather than an error."""
    figures = dashboard(30, FIXED_NOW)
    assert (figures.median_first_reply, figures.median_decision, figures.answered_in_a_day.percent) == (None,) * 3


def test_period_starts_at_midnight_utc(app: Flask) -> None:
    """The 30-day period starts at midnight (UTC) 29 days before today."""
    assert Period(30, FIXED_NOW).start == datetime(2026, 5, 17, tzinfo=UTC)


def test_figures_run_a_fixed_number_of_statements(app: Flask, count_queries: Callable) -> None:
    """The figures come from aggregates: the same statements for a small community as for one six times larger."""
    counts = []
    for worlds in (1, 5):
        for n in range(worlds):
            listening_world(FIXED_NOW, tag=f" {worlds}-{n}")
        with count_queries() as counter:
            dashboard(30, FIXED_NOW)
        counts.append(len(counter))
    assert counts[0] == counts[1] <= 15


@pytest.fixture
def live_world(app: Flask) -> World:
    """The same fixture around the real clock, for the page and the CSV (which measure up to now)."""
    return listening_world(utcnow())


def test_dashboard_page_shows_the_figures(app: Flask, live_world: World) -> None:
    """The page states the medians, the share, the open items, and three SVG charts with their totals."""
    page = soup(browser(app, live_world.staff).get("/staff"))
    figures = {f["id"]: f.get_text(strip=True) for f in page.select(".figure-value")}
    assert figures == {"fig-first-reply": "3.5 hours", "fig-answered": "50%", "fig-open-items": "2",
                       "fig-decision": "13.0 hours", "fig-welcome": "No data yet"}  # fmt: skip
    captions = [c.get_text(" ", strip=True) for c in page.select(".chart figcaption")]
    assert captions == ["New members per day (total 2)", "New topics per day (total 5)", "Replies per day (total 6)"]
    assert [len(s.select("rect.chart-bar")) for s in page.select("svg.chart-svg")] == [30, 30, 30]
    assert [a.get_text() for a in page.select(".contributors td a")] == ["B", "C"]


def test_dashboard_loads_nothing_from_elsewhere(app: Flask, live_world: World) -> None:
    """The charts are inline SVG: no script, image or stylesheet from another site."""
    page = soup(browser(app, live_world.staff).get("/staff?days=90"))
    sources = [tag.get("src") or tag.get("href") for tag in page.select("script, img, link, iframe")]
    assert all(source.startswith("/") for source in sources)


def test_csv_export_holds_the_same_figures(app: Flask, live_world: World) -> None:
    """The CSV has a row per day per series and one per summary figure, equal to the hand count."""
    response = browser(app, live_world.staff).get("/staff/export.csv?days=30")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    totals = {name: sum(int(r["value"]) for r in rows if r["figure"] == name) for name in ("new_members", "replies")}
    assert totals == {"new_members": 2, "replies": 6}
    summary = {r["figure"]: r["value"] for r in rows if not r["day"] and not r["member"]}
    assert summary == {"median_hours_to_first_reply": "3.50", "topics_answered_within_24h": "2",
                       "topics_older_than_24h": "4", "open_review_items": "2",
                       "median_hours_to_moderation_decision": "13.00", "median_hours_to_welcome": ""}  # fmt: skip
    assert [(r["member"], r["value"]) for r in rows if r["member"]] == [("B", "3"), ("C", "1")]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(app: Flask, live_world: World) -> None:
    """A display name starting with "=" is written with a leading apostrophe, so spreadsheets show it as text."""
    formula = make_member(display_name="=HYPERLINK(1)")
    post_id = opening_post(make_topic(author=formula)).id
    db.session.add(HelpfulMark(post_id=post_id, member_id=live_world.staff.id, receiver_id=formula.id))
    db.session.commit()
    rows = list(csv.reader(io.StringIO(browser(app, live_world.staff).get("/staff/export.csv").get_data(as_text=True))))
    assert ["helpful_marks_received", "", "'=HYPERLINK(1)", "1"] in rows


@pytest.mark.parametrize("role", STAFF_ONLY)
def test_only_staff_see_the_dashboard_and_export(app: Flask, role: str) -> None:
    """Staff and admins read the dashboard and download the CSV; others are refused or sent to sign in."""
    client = browser(app, member_for(role))
    statuses = {client.get("/staff").status_code, client.get("/staff/export.csv").status_code}
    assert statuses == ({200} if STAFF_ONLY[role] else {302 if role == "visitor" else 403})


def test_a_new_community_says_there_is_no_data_yet(app: Flask) -> None:
    """With no replies or decisions to measure, the figures say so in words: no "0 min", no "(0 of 0)"."""
    staff = make_member(role=Role.STAFF)
    page = soup(browser(app, staff).get("/staff"))
    figures = {f["id"]: f.get_text(strip=True) for f in page.select(".figure-value")}
    assert figures == {"fig-first-reply": "No data yet", "fig-answered": "No data yet", "fig-open-items": "0",
                       "fig-decision": "No data yet", "fig-welcome": "No data yet"}  # fmt: skip
    assert "(0 of 0)" not in page.select_one(".figures").get_text()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"], ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_every_formula_start_is_neutralised_in_free_text_cells(app: Flask, live_world: World, start: str) -> None:
    """Each character a spreadsheet reads as the start of a formula gets the apostrophe in a member's name."""
    name = f"{start}cmd|' /C calc'!A0"
    member = make_member(display_name=name)
    post_id = opening_post(make_topic(author=member)).id
    db.session.add(HelpfulMark(post_id=post_id, member_id=live_world.staff.id, receiver_id=member.id))
    db.session.commit()
    body = browser(app, live_world.staff).get("/staff/export.csv").get_data(as_text=True)
    names = [row[2] for row in csv.reader(io.StringIO(body, newline="")) if row and row[0] == "helpful_marks_received"]
    assert f"'{name}" in names
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in names)
