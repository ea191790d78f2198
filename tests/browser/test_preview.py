"""Preview and the live character count in Chromium (static/preview.js, static/counter.js)."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import Post
from tests.browser import world
from tests.browser.pages import sign_in
from tests.browser.test_accessibility import serious_violations
from tests.browser.world import unique


def _reply_page(new_page, width: str = "desktop"):  # noqa: ANN001, ANN202
    writer, other = world.member(unique("Writer")), world.member(unique("Opal Reader"))
    group = world.group(members=(writer, other))
    topic = world.topic(other, group, unique("Sleep after surgery"), "How did the first nights go for you?")
    page = new_page(width)
    sign_in(page, writer)
    page.goto(f"/t/{topic.id}")
    return page, other


def test_preview_appears_in_place_without_leaving_the_page(new_page) -> None:
    """Preview shows the cooked reply (heading, table, mention) beside the form; the page stays, nothing is posted."""
    page, other = _reply_page(new_page)
    address = page.url
    box = page.get_by_label("Your reply")
    text = f"# Week one\n\n| night | sleep |\n|---|--:|\n| 1 | ~~none~~ 2 h |\n\nThanks @[{other.display_name}]"
    box.fill(text)
    page.get_by_role("button", name="Preview").click()
    region = page.get_by_role("region", name="Preview: this is how it will look. Nothing is sent yet.")
    expect(region.get_by_role("heading", level=2, name="Week one")).to_be_visible()
    expect(region.get_by_role("cell", name="none 2 h")).to_be_visible()
    expect(region.get_by_role("link", name=f"@{other.display_name}")).to_be_visible()
    assert page.url == address
    expect(box).to_have_value(text)
    db.session.rollback()  # read what the server committed
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.raw.contains("Week one"))) == 0


def test_a_wide_table_scrolls_inside_its_box_on_a_phone(new_page) -> None:
    """At 390 px a wide table's box scrolls sideways and takes the keyboard focus; the page itself does not."""
    page, _ = _reply_page(new_page, "phone")
    header = "| " + " | ".join(f"column number {n}" for n in range(12)) + " |"
    page.get_by_label("Your reply").fill(header + "\n" + "|---" * 12 + "|\n" + "| x " * 12 + "|")
    page.get_by_role("button", name="Preview").click()
    box = page.locator(".preview .table-scroll")
    expect(box).to_be_visible()
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box.focus()
    expect(box).to_be_focused()


def test_live_count_follows_typing_and_speaks_only_near_the_limit(new_page) -> None:
    """The count under the reply box follows typing; its status says something only close to the limit."""
    page, _ = _reply_page(new_page)
    box = page.get_by_label("Your reply")
    count = page.locator("#body-count")
    status = page.locator(".field [role=status]")
    box.press_sequentially("Hello", delay=10)
    expect(count).to_have_text("5 of 20,000 characters")
    expect(status).to_have_text("")
    box.fill("x" * 19_990)
    expect(status).to_have_text("10 characters left")  # said once on coming near the limit...
    box.press_sequentially("y", delay=10)
    expect(count).to_have_text("19,991 of 20,000 characters")
    expect(status).to_have_text("10 characters left")  # ...not again for every key
    box.fill("x" * 20_000)
    expect(status).to_have_text("0 characters left")
    expect(box).to_have_attribute("aria-describedby", "body-help body-count")


def test_a_shown_preview_and_count_pass_axe_on_a_phone(new_page) -> None:
    """With a preview (a table, headings) and the live count shown, axe finds no serious problem at 390 px."""
    page, _ = _reply_page(new_page, "phone")
    page.get_by_label("Your reply").fill("## Plan\n\n| day | walk |\n|---|--:|\n| 1 | ~~10~~ 5 min |")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview .table-scroll")).to_be_visible()
    assert serious_violations(page) == []
