"""Pinning: staff pin topics in their group or site-wide, order the pins, and unpin; pins come first with a badge."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, Group, Role, Topic
from tests.factories import make_group, make_member, make_topic, member_for
from tests.support import STAFF_ONLY, browser, page_text, refreshed, soup, topic_titles, topic_url


@pytest.fixture
def staff(app: Flask):  # noqa: ANN201
    return browser(app, make_member(role=Role.STAFF))


@pytest.fixture
def group() -> Group:
    """A group of three topics, "Newest" the most recently active."""
    group = make_group()
    for title in ("Oldest", "Middle", "Newest"):
        make_topic(group=group, title=title)
    return group


def topic_named(group: Group, title: str) -> Topic:
    return db.session.scalar(select(Topic).where(Topic.group_id == group.id, Topic.title == title))


def pin(client, topic: Topic, scope: str = "group"):  # noqa: ANN001, ANN201
    return client.post_form(f"/staff/topics/{topic.id}/pin", {"scope": scope})


def test_pinned_topic_comes_first_in_its_group_with_a_badge(app: Flask, staff, group: Group) -> None:  # noqa: ANN001
    """Pinning the oldest topic lists it first on the group page, marked "Pinned"."""
    assert pin(staff, topic_named(group, "Oldest")).status_code == 302
    page = browser(app).get(f"/g/{group.slug}")
    assert topic_titles(page) == ["Oldest", "Newest", "Middle"]
    assert soup(page).select_one(".topic-row .badge-pinned").get_text() == "Pinned"


def test_site_wide_pin_is_listed_on_the_home_page(app: Flask, staff, group: Group) -> None:  # noqa: ANN001
    """A site-wide pin shows on the home page under "Pinned by our staff"; a group pin does not."""
    pin(staff, topic_named(group, "Middle"), "site")
    pin(staff, topic_named(group, "Oldest"), "group")
    pins = [a.get_text() for a in soup(browser(app).get("/")).select(".site-pins a")]
    assert pins == ["Middle"]


def test_newest_pin_goes_on_top(app: Flask, staff, group: Group) -> None:  # noqa: ANN001
    """Of two pins, the one pinned last is listed first."""
    pin(staff, topic_named(group, "Oldest"))
    pin(staff, topic_named(group, "Middle"))
    assert topic_titles(browser(app).get(f"/g/{group.slug}"))[:2] == ["Middle", "Oldest"]


@pytest.mark.parametrize("direction", ["up", "down"])
def test_staff_reorder_pins(app: Flask, staff, group: Group, direction: str) -> None:  # noqa: ANN001
    """Moving the lower pin up, or the upper pin down, swaps the two."""
    pin(staff, topic_named(group, "Oldest"))
    pin(staff, topic_named(group, "Middle"))  # now Middle, Oldest
    moved = topic_named(group, "Oldest" if direction == "up" else "Middle")
    assert staff.post_form(f"/staff/pins/group/{moved.id}/{direction}").status_code == 302
    assert topic_titles(browser(app).get(f"/g/{group.slug}"))[:2] == ["Oldest", "Middle"]


def test_moving_the_top_pin_up_says_it_is_already_first(app: Flask, staff, group: Group) -> None:  # noqa: ANN001
    """There is nowhere above the first pin: a clear message and the order unchanged."""
    top = topic_named(group, "Oldest")
    pin(staff, top)
    response = staff.post_form(f"/staff/pins/group/{top.id}/up", follow_redirects=True)
    assert "This pin is already at the top." in page_text(response)


def test_site_wide_pins_are_ordered_on_their_own_list(app: Flask, staff) -> None:  # noqa: ANN001
    """Site-wide pins from different groups reorder among themselves on the home page."""
    first, second = make_topic(title="From one group"), make_topic(title="From another")
    pin(staff, first, "site")
    pin(staff, second, "site")
    staff.post_form(f"/staff/pins/site/{first.id}/up")
    assert [a.get_text() for a in soup(browser(app).get("/")).select(".site-pins a")] == [first.title, second.title]


def test_unpinning_returns_the_topic_to_its_place(app: Flask, staff, group: Group) -> None:  # noqa: ANN001
    """After unpinning, the group lists topics by latest activity again, and no badge shows."""
    oldest = topic_named(group, "Oldest")
    pin(staff, oldest, "site")
    assert staff.post_form(f"/staff/topics/{oldest.id}/unpin").status_code == 302
    page = browser(app).get(f"/g/{group.slug}")
    assert topic_titles(page) == ["Newest", "Middle", "Oldest"]
    assert soup(page).select(".badge-pinned") == []
    assert (refreshed(oldest).pinned, oldest.pinned_site_wide, oldest.pin_rank) == (False, False, 0)


def test_pinning_twice_is_refused_with_a_message(app: Flask, staff, group: Group) -> None:  # noqa: ANN001
    """Pinning a pinned topic again says so."""
    oldest = topic_named(group, "Oldest")
    pin(staff, oldest)
    response = staff.post_form(f"/staff/topics/{oldest.id}/pin", {"scope": "group"}, follow_redirects=True)
    assert "This topic is already pinned." in page_text(response)


def test_group_pin_can_become_site_wide(app: Flask, staff, group: Group) -> None:  # noqa: ANN001
    """A topic pinned in its group can be pinned site-wide as well, keeping its place."""
    oldest = topic_named(group, "Oldest")
    pin(staff, oldest)
    rank = refreshed(oldest).pin_rank
    pin(staff, oldest, "site")
    assert (refreshed(oldest).pinned_site_wide, oldest.pin_rank) == (True, rank)


def test_unpublished_topic_cannot_be_pinned(app: Flask, staff) -> None:  # noqa: ANN001
    """A hidden topic is refused with 403 and stays unpinned."""
    hidden = make_topic(status=ContentStatus.HIDDEN)
    assert pin(staff, hidden).status_code == 403
    assert refreshed(hidden).pinned is False


@pytest.mark.parametrize("role", STAFF_ONLY)
def test_only_staff_pin_topics(app: Flask, group: Group, role: str) -> None:
    """Staff and admins pin; everyone else is refused (visitors sent to sign in) and nothing is pinned."""
    topic = topic_named(group, "Oldest")
    response = pin(browser(app, member_for(role)), topic)
    assert refreshed(topic).pinned is STAFF_ONLY[role]
    if not STAFF_ONLY[role]:
        assert response.status_code in (302, 403) and (role != "visitor" or "/login" in response.location)


@pytest.mark.parametrize("role", STAFF_ONLY)
def test_only_staff_see_pin_controls(app: Flask, group: Group, role: str) -> None:
    """The pin buttons on a topic page are shown to staff and admins only."""
    page = soup(browser(app, member_for(role)).get(topic_url(topic_named(group, "Oldest"))))
    assert bool(page.select(".pin-actions")) is STAFF_ONLY[role]


def test_pins_page_lists_pins_by_group_and_site_wide(app: Flask, staff, group: Group) -> None:  # noqa: ANN001
    """/staff/pins shows each group's pins under its name and the site-wide ones on their own list."""
    pin(staff, topic_named(group, "Oldest"), "site")
    text = page_text(staff.get("/staff/pins"))
    assert "Site-wide (home page) Oldest" in text
    assert f"{group.name} Oldest" in text


def test_group_page_statements_do_not_grow_with_pins(app: Flask, count_queries: Callable) -> None:
    """The group page runs as many statements with ten pinned topics as with none."""
    counts = []
    for pinned in (False, True):
        group = make_group()
        for n in range(10):
            make_topic(group=group, pinned=pinned, pin_rank=n if pinned else 0)
        with count_queries() as counter:
            assert browser(app).get(f"/g/{group.slug}").status_code == 200
        counts.append(len(counter))
    assert counts[0] == counts[1]
