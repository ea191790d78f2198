"""The resource library: staff create, edit, reorder, archive entries and feature members' posts; members read
them at /resources and in a box on each group page. Bad input is refused with a message and stores nothing."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, Notification, Resource, Role
from tests.factories import make_group, make_member, make_post, make_topic, member_for
from tests.support import STAFF_ONLY, browser, count_rows, page_text, refreshed, soup

LINK = {"title": "Living well with diabetes", "kind": "article", "url": "https://www.nhs.uk/conditions/diabetes/"}


@pytest.fixture
def staff(app: Flask):  # noqa: ANN201
    return browser(app, make_member(role=Role.STAFF))


def add(client, **fields: object):  # noqa: ANN001, ANN201
    """Submit the new-resource form: a valid link entry, with `fields` changed."""
    return client.post_form("/staff/resources/new", {**LINK, **fields})


def library_titles(client) -> list[str]:  # noqa: ANN001
    return [h.a.get_text() for h in soup(client.get("/resources")).select(".resource-title")]


def test_staff_add_a_link(app: Flask, staff) -> None:  # noqa: ANN001
    """A link entry is stored and listed at /resources, linking straight to the site."""
    assert add(staff, description="The NHS overview.").status_code == 302
    link = soup(browser(app).get("/resources")).select_one(".resource-title a")
    assert (link.get_text(), link["href"]) == (LINK["title"], LINK["url"])
    assert "Opens www.nhs.uk" in page_text(browser(app).get("/resources"))


def test_staff_add_an_internal_page(app: Flask, staff) -> None:  # noqa: ANN001
    """Without a link, the Markdown text becomes a page of its own, cooked once when saved."""
    add(staff, url="", kind="guide", title="Your first clinic visit", body="## Bring\n\n- your *medication list*")
    resource = db.session.scalar(select(Resource))
    assert resource.cooked == "<h2>Bring</h2>\n<ul>\n<li>your <em>medication list</em></li>\n</ul>\n"
    page = browser(app).get(f"/resources/{resource.id}")
    assert page.status_code == 200 and soup(page).select_one(".post-body h2").get_text() == "Bring"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "   "}, "Please give the resource a title."),
        ({"kind": ""}, "Choose what kind of resource this is."),
        ({"kind": "podcast"}, "Choose what kind of resource this is."),
        ({"url": "javascript:alert(1)"}, "Only web addresses starting with http:// or https:// can be used."),
        ({"url": "data:text/html,<script>alert(1)</script>"}, "Only web addresses starting with http:// or https://"),
        ({"url": "ftp://files.example.org/a.pdf"}, "Only web addresses starting with http:// or https:// can be used."),
        ({"url": "mailto:help@example.org"}, "Only web addresses starting with http:// or https:// can be used."),
        ({"url": "www.nhs.uk"}, "Only web addresses starting with http:// or https:// can be used."),
        ({"url": "/resources/1"}, "Only web addresses starting with http:// or https:// can be used."),
        ({"url": "https://"}, "This web address has no site name"),
        ({"url": "https://user:secret@example.org/"}, "Web addresses with a user name or password are not allowed."),
        ({"url": "https://exa mple.org/"}, "A web address cannot contain spaces or control characters."),
        ({"url": "https://example.org:99999/"}, "This is not a valid web address."),
        ({"url": "https://[::1/"}, "This is not a valid web address."),
        ({"url": "https://example.org/" + "a" * 2000}, "Web addresses can be at most 2,000 characters."),
        ({"url": "", "body": ""}, "Give a web address (http or https), or write the page text."),
        ({"body": "Some text"}, "Give either a web address or a page text, not both."),
        ({"groups": "999999"}, "Choose groups from the list."),
        ({"groups": "x"}, "Invalid choice"),
        ({"title": "A" * 201}, "Titles can be at most 200 characters."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(app: Flask, staff, fields: dict, message: str) -> None:  # noqa: ANN001
    """Each bad field is named with what to change (422), and no entry is stored."""
    response = add(staff, **fields)
    assert response.status_code == 422
    assert message in page_text(response)
    assert count_rows(Resource) == 0


def test_staff_edit_an_entry(app: Flask, staff) -> None:  # noqa: ANN001
    """Editing changes the title, kind and link, and the audit log records it."""
    add(staff)
    resource = db.session.scalar(select(Resource))
    changed = {**LINK, "title": "Diabetes: the basics", "kind": "video", "url": "https://example.org/v"}
    assert staff.post_form(f"/staff/resources/{resource.id}/edit", changed).status_code == 302
    assert (refreshed(resource).title, resource.kind.value, resource.url) == (
        "Diabetes: the basics",
        "video",
        changed["url"],
    )


def test_edit_with_a_bad_address_changes_nothing(app: Flask, staff) -> None:  # noqa: ANN001
    """A refused edit leaves every field as it was."""
    add(staff)
    resource = db.session.scalar(select(Resource))
    response = staff.post_form(f"/staff/resources/{resource.id}/edit", {**LINK, "title": "New", "url": "javascript:x"})
    assert response.status_code == 422
    assert (refreshed(resource).title, resource.url) == (LINK["title"], LINK["url"])


def test_entries_keep_staffs_order_and_can_be_moved(app: Flask, staff) -> None:  # noqa: ANN001
    """Entries list in the order added; moving the last one up swaps it with the one above."""
    for title in ("First", "Second", "Third"):
        add(staff, title=title)
    third = db.session.scalar(select(Resource).where(Resource.title == "Third"))
    assert staff.post_form(f"/staff/resources/{third.id}/up").status_code == 302
    assert library_titles(browser(app)) == ["First", "Third", "Second"]


def test_moving_the_last_entry_down_says_it_is_already_last(app: Flask, staff) -> None:  # noqa: ANN001
    """There is nowhere below the last entry: a clear message."""
    add(staff)
    resource = db.session.scalar(select(Resource))
    response = staff.post_form(f"/staff/resources/{resource.id}/down", follow_redirects=True)
    assert "This entry is already last." in page_text(response)


def test_archived_entries_disappear_for_members_and_stay_for_staff(app: Flask, staff) -> None:  # noqa: ANN001
    """An archived entry leaves /resources and its page (404) for members; staff still see it, marked archived."""
    add(staff)
    resource = db.session.scalar(select(Resource))
    staff.post_form(f"/staff/resources/{resource.id}/archive")
    member = browser(app, make_member())
    assert library_titles(member) == []
    assert member.get(f"/resources/{resource.id}").status_code == 404
    assert "This entry is archived" in page_text(staff.get(f"/resources/{resource.id}"))


def test_restored_entries_come_back_at_the_end(app: Flask, staff) -> None:  # noqa: ANN001
    """Restoring an archived entry lists it again, after the others."""
    for title in ("First", "Second"):
        add(staff, title=title)
    first = db.session.scalar(select(Resource).where(Resource.title == "First"))
    staff.post_form(f"/staff/resources/{first.id}/archive")
    staff.post_form(f"/staff/resources/{first.id}/restore")
    assert library_titles(browser(app)) == ["Second", "First"]


def test_group_page_box_shows_that_groups_entries(app: Flask, staff) -> None:  # noqa: ANN001
    """A group's page lists the entries that belong to it, not those of other groups."""
    heart, lungs = make_group(name="Heart"), make_group(name="Lungs")
    add(staff, title="Cardiac rehab guide", groups=str(heart.id))
    add(staff, title="Inhaler technique", groups=str(lungs.id))
    box = soup(browser(app).get(f"/g/{heart.slug}")).select_one(".resource-box")
    assert [a.get_text() for a in box.select("li a")] == ["Cardiac rehab guide"]


def test_library_filters_by_group_and_kind(app: Flask, staff) -> None:  # noqa: ANN001
    """`?group=` and `?kind=` narrow the library to matching entries."""
    heart = make_group(name="Heart")
    add(staff, title="Heart video", kind="video", groups=str(heart.id))
    add(staff, title="Heart article", kind="article", groups=str(heart.id))
    add(staff, title="General video", kind="video")
    titles = [h.a.get_text() for h in soup(browser(app).get(f"/resources?group={heart.slug}&kind=video")).select("h2")]
    assert titles == ["Heart video"]


def test_feature_a_post_credits_its_author_and_tells_them(app: Flask, staff) -> None:  # noqa: ANN001
    """One action turns a post into an entry in its group, showing the post and its author; the author is told."""
    author = make_member(display_name="Wise Owl")
    post = make_post(author=author, body="What helped me most was **pacing**.")
    response = staff.post_form(f"/staff/posts/{post.id}/feature")
    resource = db.session.scalar(select(Resource))
    assert response.status_code == 302 and resource.source_post_id == post.id
    assert [g.id for g in resource.groups] == [post.topic.group_id]
    response = browser(app).get(f"/resources/{resource.id}")
    assert "Shared by Wise Owl" in page_text(response)
    assert soup(response).select_one(".post-body strong").get_text() == "pacing"
    assert db.session.scalar(select(Notification.kind).where(Notification.member_id == author.id)) == "featured"


def test_featuring_a_post_twice_is_refused_with_a_message(app: Flask, staff) -> None:  # noqa: ANN001
    """A post already in the library is not added again: a clear message, still one entry."""
    post = make_post()
    staff.post_form(f"/staff/posts/{post.id}/feature")
    response = staff.post_form(f"/staff/posts/{post.id}/feature", follow_redirects=True)
    assert "This post is already in the resource library." in page_text(response)
    assert count_rows(Resource) == 1


def test_featured_post_leaves_the_library_when_its_author_deletes_it(app: Flask, staff) -> None:  # noqa: ANN001
    """The entry follows the post: once the author deletes it, members no longer see the entry."""
    post = make_post()
    staff.post_form(f"/staff/posts/{post.id}/feature")
    browser(app, post.author).post_form(f"/p/{post.id}/delete")
    resource = db.session.scalar(select(Resource))
    assert library_titles(browser(app)) == []
    assert browser(app).get(f"/resources/{resource.id}").status_code == 404


def test_unpublished_post_cannot_be_featured(app: Flask, staff) -> None:  # noqa: ANN001
    """A hidden post is refused with 403 and nothing is stored."""
    post = make_post(topic=make_topic(), status=ContentStatus.HIDDEN)
    assert staff.post_form(f"/staff/posts/{post.id}/feature").status_code == 403
    assert count_rows(Resource) == 0


@pytest.mark.parametrize("role", STAFF_ONLY)
def test_only_staff_manage_resources(app: Flask, role: str) -> None:
    """Adding, featuring and the management pages are for staff and admins; others are refused, nothing stored."""
    client, post = browser(app, member_for(role)), make_post()
    pages = [client.get("/staff/resources"), client.get("/staff/resources/new")]
    writes = [add(client), client.post_form(f"/staff/posts/{post.id}/feature")]
    if STAFF_ONLY[role]:
        assert [r.status_code for r in pages + writes] == [200, 200, 302, 302]
    else:
        assert all(r.status_code in (302, 403) for r in pages + writes) and count_rows(Resource) == 0


@pytest.mark.parametrize("role", STAFF_ONLY)
def test_only_staff_see_the_feature_button(app: Flask, role: str) -> None:
    """ "Add to resources" shows on posts for staff and admins only."""
    post = make_post()
    page = browser(app, member_for(role)).get(f"/t/{post.topic_id}/{post.topic.slug}")
    assert any(f["action"] == f"/staff/posts/{post.id}/feature" for f in soup(page).select("form")) is STAFF_ONLY[role]


def test_every_problem_with_an_entry_is_listed_at_once(app: Flask, staff) -> None:  # noqa: ANN001
    """An empty title, no kind and a bad address are all named in one answer, each linking to its field."""
    before = count_rows(Resource)
    response = add(staff, title=" ", kind="", url="javascript:alert(1)")
    assert response.status_code == 422
    links = {a["href"] for a in soup(response).select(".form-problems a")}
    assert links == {"#title", "#kind", "#url"}
    assert count_rows(Resource) == before
