"""Moderation of pictures: held with their post, shown in the review queue, removable one at a time with a reason;
staff choose per group who may post them."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app.extensions import db
from app.models import Role
from tests.factories import make_group, make_member, make_post, make_topic
from tests.pictures.images import jpeg, kept, make_picture, picture_rows, png, stored, upload_form
from tests.support import audit_events, browser, newest_post, notifications_of, refreshed, soup


def published_reply_with_two_pictures():  # noqa: ANN201
    author = make_member()
    post = make_post(topic=make_topic(group=make_group(members=(author,))), author=author, body="Two of them.")
    first = make_picture(post_id=post.id, owner_id=author.id, alt="First", data=png(colour=(1, 1, 1)))
    second = make_picture(post_id=post.id, owner_id=author.id, alt="Second", data=jpeg(), position=1)
    return post, first, second


def test_review_queue_shows_held_posts_thumbnails(app: Flask, uploads: Path) -> None:
    """A newcomer's held post shows its thumbnails in the queue, and the moderator may open them."""
    newcomer = make_member(approved_posts=0)
    topic = make_topic(group=make_group(members=(newcomer,)))
    upload_form(browser(app, newcomer), f"/t/{topic.id}/reply", {"body": "Is this normal?"}, (png(), "a.png", "A scar"))
    moderator = browser(app, make_member(role=Role.MODERATOR))
    image = soup(moderator.get("/mod/queue")).select_one(".gallery img")
    assert image["alt"] == "A scar"
    assert moderator.get(image["src"]).status_code == 200


def test_moderator_removes_one_picture_with_a_reason(app: Flask, store: str) -> None:
    """Removing one picture keeps the post and its other picture, logs the reason, tells the author, frees the file."""
    post, first, second = published_reply_with_two_pictures()
    first_key = first.full_key
    response = browser(app, make_member(role=Role.MODERATOR)).post_form(
        f"/mod/pictures/{first.id}/remove", {"reason": "Shows a name on a hospital wristband"}
    )
    assert response.status_code == 302
    assert refreshed(post).status == "visible"
    assert [p.alt for p in refreshed(post).pictures] == ["Second"]
    event = audit_events()[-1]
    assert (event.action, event.reason) == ("remove_picture", "Shows a name on a hospital wristband")
    [notice] = notifications_of(post.author, "picture_removed")
    assert "Shows a name on a hospital wristband" in notice.message
    assert first_key not in kept()


def test_removing_a_picture_needs_a_reason(app: Flask, uploads: Path) -> None:
    """Without a reason the picture stays and the form says why."""
    post, first, _ = published_reply_with_two_pictures()
    response = browser(app, make_member(role=Role.MODERATOR)).post_form(f"/mod/pictures/{first.id}/remove", {})
    assert response.status_code == 422
    assert "Please give a reason" in soup(response).text
    assert picture_rows() == 2


def test_members_cannot_remove_pictures(app: Flask, uploads: Path) -> None:
    """A member (even the author) cannot use the moderators' removal."""
    post, first, _ = published_reply_with_two_pictures()
    response = browser(app, post.author).post_form(f"/mod/pictures/{first.id}/remove", {"reason": "mine"})
    assert response.status_code == 403
    assert picture_rows() == 2


def test_topic_page_offers_moderators_removal(app: Flask, uploads: Path) -> None:
    """Moderators see a removal link beside each picture of a post; members do not."""
    post, first, _ = published_reply_with_two_pictures()
    url = f"/t/{post.topic_id}/{post.topic.slug}"
    link = f'a[href="/mod/pictures/{first.id}/remove"]'
    assert soup(browser(app, make_member(role=Role.MODERATOR)).get(url)).select(link)
    assert not soup(browser(app, make_member()).get(url)).select(link)


def test_staff_choose_who_may_post_pictures(app: Flask, uploads: Path) -> None:
    """The group form at /mod/groups/<id> saves the picture policy."""
    group = make_group()
    data = {"name": group.name, "slug": group.slug, "position": "0", "visibility": "public"}
    data["picture_policy"] = "trusted"
    response = browser(app, make_member(role=Role.STAFF)).post_form(f"/mod/groups/{group.id}", data)
    assert response.status_code == 302
    assert refreshed(group).picture_policy == "trusted"


def test_trusted_only_group_refuses_newcomers_pictures(app: Flask, uploads: Path) -> None:
    """Where only trusted members may post pictures, a newcomer's are refused and nothing is stored."""
    newcomer = make_member(approved_posts=0)
    topic = make_topic(group=make_group(members=(newcomer,), picture_policy="trusted"))
    client = browser(app, newcomer)
    response = upload_form(client, f"/t/{topic.id}/reply", {"body": "Look."}, (png(), "a.png", "A picture"))
    assert "pictures can be posted by trusted members only" in soup(response).select_one("#images-error").text
    assert (picture_rows(), stored(uploads)) == (0, [])


def test_trusted_only_group_takes_trusted_members_pictures(app: Flask, uploads: Path) -> None:
    """Where only trusted members may post pictures, a trusted member's are stored."""
    member = make_member(approved_posts=50)
    topic = make_topic(group=make_group(members=(member,), picture_policy="trusted"))
    response = upload_form(
        browser(app, member), f"/t/{topic.id}/reply", {"body": "Look."}, (png(), "a.png", "A picture")
    )
    assert response.status_code == 302
    assert len(newest_post().pictures) == 1


def test_visitor_cannot_open_a_picture_by_its_removal_page(app: Flask, uploads: Path) -> None:
    """The removal page of a picture is for the team: visitors are asked to sign in, nothing changes."""
    _, first, _ = published_reply_with_two_pictures()
    assert browser(app).get(f"/mod/pictures/{first.id}/remove").status_code in (302, 403)


def test_edit_in_a_group_without_pictures_offers_removal_only(app: Flask, uploads: Path) -> None:
    """After staff closed a group to pictures, an edit still lets the author remove theirs, but add none."""
    post, first, _ = published_reply_with_two_pictures()
    post.topic.group.picture_policy = "nobody"
    db.session.commit()
    page = soup(browser(app, post.author).get(f"/p/{post.id}/edit"))
    assert page.select(f'input[name="remove_picture"][value="{first.id}"]')
    assert page.select('input[type="file"]') == []
