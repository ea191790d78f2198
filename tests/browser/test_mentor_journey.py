"""The mentors' page in Chromium, at desktop width and on a 390x844 phone: claim a newcomer's first post, mark it
welcomed, record a check-in (first forgetting to say how); axe finds nothing serious and nothing scrolls sideways.

Screenshots of every step land in test-artifacts/test_mentor_journey/<test>/.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Member, Post, Role
from app.models.base import utcnow
from app.models.moderation import ReviewKind
from app.services.community.posting import reply
from app.services.moderation.queue import open_review
from tests.browser import world
from tests.browser.pages import Shots, nav_link, sign_in
from tests.browser.test_accessibility import serious_violations
from tests.browser.world import unique


@pytest.fixture
def shots(artifacts) -> Shots:  # noqa: ANN001
    return Shots(artifacts)


def _first_post(author: Member, title: str) -> int:
    """A newcomer's first topic, dated back so that it heads the queue whatever other tests left there."""
    started = world.topic(author, world.group(members=(author,)), title, "Hello, I was diagnosed last week.")
    post = db.session.get(Post, db.session.query(Post.id).filter(Post.topic_id == started.id).scalar())
    post.created_at = utcnow() - timedelta(days=29)
    db.session.commit()
    return post.id


def _crisis_post(author: Member) -> int:
    """A crisis-routed reply (held urgently, as the review rules do), its author away for a week."""
    opener = world.member()
    started = world.topic(opener, world.group(members=(author, opener)), unique("Nights"), "How do you cope?")
    post = reply(author, started, "Some nights are very dark.").post
    open_review(post, ReviewKind.HELD_POST, ["may be about self-harm or suicide"], urgent=True)
    week_ago = utcnow() - timedelta(days=7)
    post.created_at = author.last_seen_at = week_ago
    db.session.commit()
    return post.id


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_mentor_welcomes_a_newcomer_and_checks_in(new_page, width, shots) -> None:  # noqa: ANN001
    """Mentoring link → claim → welcomed → check-in refused without a way, then recorded; accessible throughout."""
    mentor = world.member(unique("Mentor"), role=Role.MENTOR)
    newcomer = world.member(unique("Newcomer"))
    title = f"Just diagnosed {unique('#')}"
    post_id = _first_post(newcomer, title)
    absent = world.member(unique("Quiet"))
    crisis_id = _crisis_post(absent)
    page: Page = new_page(width)
    sign_in(page, mentor)
    nav_link(page, "Mentoring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring")
    item = page.locator(f"#w{post_id}")
    expect(item).to_contain_text(title)
    expect(item).to_contain_text("Nobody is welcoming this member yet.")
    assert serious_violations(page) == []
    _no_sideways_scroll(page)
    shots(page, "queue")
    item.get_by_role("button", name="I’ll welcome this").click()
    expect(page.locator(".flashes")).to_contain_text("the other mentors can see you are welcoming this member")
    expect(page.locator(f"#w{post_id}")).to_contain_text("You said you would welcome this member")
    shots(page, "claimed")
    page.locator(f"#w{post_id}").get_by_role("button", name="Welcomed").click()
    expect(page.locator(".flashes")).to_contain_text("Marked as welcomed.")
    expect(page.locator(f"#w{post_id}")).to_have_count(0)
    checkin = page.locator(f"#c{crisis_id}")
    expect(checkin).to_contain_text(absent.display_name)
    checkin.get_by_role("button", name="Checked in").click()
    expect(page.locator(f"#c{crisis_id}-how-error")).to_contain_text("Please choose how you checked in")
    assert serious_violations(page) == []
    _no_sideways_scroll(page)
    shots(page, "check-in-refused")
    page.locator(f"#c{crisis_id}").get_by_label("A reply").check()
    page.locator(f"#c{crisis_id}").get_by_role("button", name="Checked in").click()
    expect(page.locator(".flashes")).to_contain_text("Marked as checked in.")
    expect(page.locator(f"#c{crisis_id}")).to_have_count(0)
    assert serious_violations(page) == []
    shots(page, "done")
