"""Members-only groups: invisible to visitors on every surface (pages, lists, search, feeds, sitemap, profiles,
the library, link previews), readable by every signed-in member (SECURITY.md item 18)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from flask import Flask

from app.extensions import db
from app.models import GroupVisibility, Member, Resource, ResourceKind, Role
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import browser, found, page_text, soup, topic_url

SECRET = "zebrafinch"  # a word that appears only in the members-only group
PUBLIC_WORD = "kingfisher"


@pytest.fixture
def writer(app: Flask) -> Member:
    return make_member(display_name="Wren Writer")


@pytest.fixture
def closed(writer: Member):  # noqa: ANN201
    """A members-only group with a topic and a reply, both mentioning the secret word."""
    group = make_group(name=f"Closed {SECRET}", slug="closed-circle", visibility=GroupVisibility.MEMBERS)
    topic = make_topic(group=group, author=writer, title=f"About {SECRET}", body=f"Opening {SECRET}")
    reply = make_post(topic=topic, author=writer, body=f"Reply {SECRET}")
    return group, topic, reply


@pytest.fixture
def open_topic(writer: Member):  # noqa: ANN201
    """A public group's topic by the same writer."""
    return make_topic(group=make_group(name="Open door"), author=writer, title=f"About {PUBLIC_WORD}", body=PUBLIC_WORD)


def _asks_to_sign_in(response) -> bool:  # noqa: ANN001
    """A 403 whose page offers the visitor a sign-in link back to where they were."""
    links = [a["href"] for a in soup(response).select("a.button")]
    return response.status_code == 403 and any(urlsplit(h).path == "/login" for h in links)


@pytest.mark.parametrize("page", ["group", "topic", "post", "group feed", "topic feed"])
def test_visitor_cannot_open_members_only_pages(app: Flask, closed, page: str) -> None:  # noqa: ANN001
    """A visitor gets a sign-in prompt (pages) or 404 (feeds), never the group's words."""
    group, topic, reply = closed
    url = {
        "group": f"/g/{group.slug}",
        "topic": topic_url(topic),
        "post": f"/p/{reply.id}",
        "group feed": f"/feeds/g/{group.slug}.atom",
        "topic feed": f"/feeds/t/{topic.id}.atom",
    }[page]
    response = browser(app).get(url)
    assert SECRET not in response.get_data(as_text=True)
    if "feed" in page:
        assert response.status_code == 404
    else:
        assert _asks_to_sign_in(response)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MENTOR, Role.MODERATOR])
def test_signed_in_members_read_members_only_groups(app: Flask, closed, role: Role) -> None:  # noqa: ANN001
    """Any signed-in member reads the group and its topics, without joining, like a public group."""
    group, topic, _ = closed
    client = browser(app, make_member(role=role))
    assert client.get(f"/g/{group.slug}").status_code == 200
    page = client.get(topic_url(topic))
    assert page.status_code == 200
    assert f"Reply {SECRET}" in page_text(page)


def test_home_page_lists_members_only_groups_to_members_only(app: Flask, closed, open_topic) -> None:  # noqa: ANN001
    """The group list on the home page leaves the group out for visitors and shows it to members."""
    assert SECRET not in browser(app).get("/").get_data(as_text=True)
    assert "Open door" in browser(app).get("/").get_data(as_text=True)
    member_page = browser(app, make_member()).get("/").get_data(as_text=True)
    assert f"Closed {SECRET}" in member_page and "Members only" in member_page


def test_site_wide_pin_in_members_only_group_is_not_shown_to_visitors(app: Flask, closed) -> None:  # noqa: ANN001
    """A topic pinned site-wide in a members-only group stays off the visitors' home page."""
    _, topic, _ = closed
    topic.pinned, topic.pinned_site_wide = True, True
    db.session.commit()
    assert SECRET not in browser(app).get("/").get_data(as_text=True)
    assert f"About {SECRET}" in browser(app, make_member()).get("/").get_data(as_text=True)


def test_search_finds_members_only_posts_for_members_only(app: Flask, closed) -> None:  # noqa: ANN001
    """Search gives visitors nothing from the group, and members its posts."""
    _, _, reply = closed
    assert found(browser(app), SECRET) == set()
    assert reply.id in found(browser(app, make_member()), SECRET)


def test_search_group_filter_omits_members_only_group_for_visitors(app: Flask, closed) -> None:  # noqa: ANN001
    """The search page's group filter does not even name the group to a visitor."""
    assert SECRET not in browser(app).get("/search?q=anything").get_data(as_text=True)


def test_feeds_and_sitemap_leave_members_only_content_out(app: Flask, closed, open_topic) -> None:  # noqa: ANN001
    """The latest-topics feed and the sitemap list the public topic only, whoever fetches them."""
    group, topic, _ = closed
    for client in (browser(app), browser(app, make_member(role=Role.ADMIN))):
        latest = client.get("/feeds/latest.atom").get_data(as_text=True)
        sitemap = client.get("/sitemap.xml").get_data(as_text=True)
        assert PUBLIC_WORD in latest and SECRET not in latest
        assert f"/t/{open_topic.id}/" in sitemap
        assert f"/t/{topic.id}/" not in sitemap and f"/g/{group.slug}" not in sitemap


def test_members_only_topic_page_is_noindex_without_previews(app: Flask, closed) -> None:  # noqa: ANN001
    """Members see the topic with noindex and no Open Graph, Twitter card or feed link."""
    _, topic, _ = closed
    page = soup(browser(app, make_member()).get(topic_url(topic)))
    assert page.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"
    assert page.select('meta[property^="og:"]') == []
    assert page.select('meta[name^="twitter:"]') == []
    assert page.select('link[type="application/atom+xml"]') == []


def test_members_only_group_page_is_noindex_without_feed(app: Flask, closed) -> None:  # noqa: ANN001
    """The group page carries noindex and advertises no feed."""
    group, _, _ = closed
    page = soup(browser(app, make_member()).get(f"/g/{group.slug}"))
    assert page.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"
    assert page.select('link[type="application/atom+xml"]') == []


def test_profile_recent_posts_hide_members_only_posts_from_visitors(
    app: Flask,
    writer: Member,
    closed,  # noqa: ANN001
    open_topic,  # noqa: ANN001
) -> None:
    """A visitor sees the writer's public posts and groups only; a member sees both groups' posts."""
    url = f"/u/{quote(writer.display_name)}"
    visitor = browser(app).get(url).get_data(as_text=True)
    assert PUBLIC_WORD in visitor and SECRET not in visitor
    assert SECRET in browser(app, make_member()).get(url).get_data(as_text=True)


def test_library_hides_featured_post_from_members_only_group(app: Flask, closed) -> None:  # noqa: ANN001
    """A post featured in the resource library from a members-only group is not shown to visitors."""
    _, _, reply = closed
    resource = Resource(title=f"Featured {SECRET}", kind=ResourceKind.ARTICLE, source_post_id=reply.id)
    db.session.add(resource)
    db.session.commit()
    assert SECRET not in browser(app).get("/resources").get_data(as_text=True)
    assert browser(app).get(f"/resources/{resource.id}").status_code == 404
    assert f"Featured {SECRET}" in browser(app, make_member()).get("/resources").get_data(as_text=True)


def test_visitor_cannot_reply_flag_or_mark_in_members_only_group(app: Flask, closed) -> None:  # noqa: ANN001
    """The permission rules refuse a visitor every action on the group's posts (views check them after sign-in)."""
    from app import permissions

    group, topic, reply = closed
    assert permissions.why_not(None, "view_group", group) == permissions.MEMBERS_ONLY
    assert permissions.why_not(None, "view_post", reply) == permissions.MEMBERS_ONLY
    assert not permissions.can(None, "index_topic", topic)
    assert permissions.can(make_member(), "view_post", reply)


def test_staff_make_a_group_members_only_through_the_form(app: Flask) -> None:
    """The staff group form stores the visibility, and the change is audited."""
    from app.models import AuditEvent, Group

    group = make_group(slug="made-private")
    client = browser(app, make_member(role=Role.STAFF))
    data = {"name": group.name, "slug": group.slug, "description": "x", "position": "0", "visibility": "members"}
    assert client.post_form(f"/mod/groups/{group.id}", data).status_code == 302
    db.session.refresh(group)
    assert group.visibility == GroupVisibility.MEMBERS
    event = db.session.query(AuditEvent).filter_by(action="edit_group").one()
    assert event.after["visibility"] == "members"
    assert db.session.get(Group, group.id).visibility == "members"


def test_staff_group_form_refuses_unknown_visibility(app: Flask) -> None:
    """An invented visibility value is refused and nothing changes."""
    group = make_group(slug="stays-public")
    client = browser(app, make_member(role=Role.STAFF))
    data = {"name": group.name, "slug": group.slug, "position": "0", "visibility": "secret"}
    assert client.post_form(f"/mod/groups/{group.id}", data).status_code == 422
    db.session.refresh(group)
    assert group.visibility == GroupVisibility.PUBLIC
