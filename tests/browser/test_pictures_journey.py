"""A member attaches two described pictures to a reply in a real browser, sees their thumbnails before posting,
posts, and opens one full size; the topic page with pictures passes axe. Desktop and phone width, and keyboard only."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser import world
from tests.browser.pages import sign_in
from tests.browser.test_accessibility import serious_violations


def picture_file(folder: Path, name: str, colour: tuple[int, int, int]) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(out, "JPEG")
    path = folder / name
    path.write_bytes(out.getvalue())
    return path


def reply_page(page: Page) -> str:
    """A member in a group with a topic; their browser signed in on the topic page."""
    person, asker = world.member(), world.member()
    in_group = world.group(members=(person, asker))
    started = world.topic(asker, in_group, "Healing after surgery", "How did your scar look after a month?")
    sign_in(page, person)
    return f"/t/{started.id}/{started.slug}"


def test_attach_two_pictures_post_and_open_one(new_page, width: str, artifacts: Path) -> None:  # noqa: ANN001
    """Two chosen pictures show as thumbnails, post with the reply, and one opens full size."""
    page = new_page(width)
    page.goto(reply_page(page))
    page.get_by_label("Your reply").fill("Here is mine at four weeks, and at eight.")
    page.get_by_label("Picture 1", exact=True).set_input_files(str(picture_file(artifacts, "four.jpg", (200, 90, 90))))
    page.get_by_label("Description of picture 1").fill("A pink scar four weeks after surgery")
    expect(page.locator(".picture-preview:visible img")).to_have_count(1)
    page.get_by_label("Picture 2", exact=True).set_input_files(str(picture_file(artifacts, "eight.jpg", (90, 90, 200))))
    page.get_by_label("Description of picture 2").fill("A paler scar eight weeks after surgery")
    expect(page.locator(".picture-preview:visible img")).to_have_count(2)
    page.get_by_role("button", name="Post reply").click()
    gallery = page.locator(".gallery img")
    expect(gallery).to_have_count(2)
    expect(page.get_by_role("img", name="A paler scar eight weeks after surgery")).to_be_visible()
    page.get_by_role("link", name="A pink scar four weeks after surgery").click()
    expect(page).to_have_url(re.compile(r"/media/\d+/picture-\d+\.jpg$"))
    assert page.evaluate("() => document.images[0].naturalWidth") == 900


def test_remove_a_chosen_picture_before_posting(new_page) -> None:  # noqa: ANN001
    """The remove button takes a chosen picture back: only the other one is posted."""
    page = new_page()
    page.goto(reply_page(page))
    folder = Path(tempfile.mkdtemp())
    page.get_by_label("Your reply").fill("Only one of these.")
    page.get_by_label("Picture 1", exact=True).set_input_files(str(picture_file(folder, "a.jpg", (10, 200, 10))))
    page.get_by_label("Description of picture 1").fill("Not this one")
    page.get_by_label("Picture 2", exact=True).set_input_files(str(picture_file(folder, "b.jpg", (10, 10, 200))))
    page.get_by_label("Description of picture 2").fill("This one")
    page.get_by_role("button", name="Remove picture 1").click()
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".gallery img")).to_have_count(1)
    expect(page.get_by_role("img", name="This one")).to_be_visible()


def test_keyboard_only_upload(new_page) -> None:  # noqa: ANN001
    """With the keyboard alone a member reaches the file field, describes the picture and posts."""
    page = new_page()
    page.goto(reply_page(page))
    folder = Path(tempfile.mkdtemp())
    page.get_by_label("Your reply").focus()
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "images"
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(picture_file(folder, "k.jpg", (120, 120, 20))))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "image_alt"
    page.keyboard.type("A yellow square")
    page.get_by_role("button", name="Post reply").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("img", name="A yellow square")).to_be_visible()


def test_topic_page_with_pictures_passes_axe(new_page, width: str) -> None:  # noqa: ANN001
    """axe finds no serious or critical problem on a topic page showing pictures and the picture fields."""
    page = new_page(width)
    page.goto(reply_page(page))
    folder = Path(tempfile.mkdtemp())
    page.get_by_label("Your reply").fill("With a picture.")
    page.get_by_label("Picture 1", exact=True).set_input_files(str(picture_file(folder, "x.jpg", (50, 50, 50))))
    page.get_by_label("Description of picture 1").fill("A grey square")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("img", name="A grey square")).to_be_visible()
    assert serious_violations(page) == []


def test_large_upload_is_sent_with_progress_and_posts(new_page) -> None:  # noqa: ANN001
    """A picture over a megabyte goes through the progress-bar upload and lands on the topic like a plain post."""
    page = new_page()
    page.goto(reply_page(page))
    folder = Path(tempfile.mkdtemp())
    large = folder / "large.jpg"
    Image.effect_noise((2000, 1500), 80).convert("RGB").save(large, "JPEG", quality=95)
    assert large.stat().st_size > 1024 * 1024
    page.get_by_label("Your reply").fill("A big photo.")
    page.get_by_label("Picture 1", exact=True).set_input_files(str(large))
    page.get_by_label("Description of picture 1").fill("A noisy grey photo")
    with page.expect_request(lambda request: request.resource_type == "xhr" and request.method == "POST"):
        page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("img", name="A noisy grey photo")).to_be_visible()
