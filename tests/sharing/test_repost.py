"""Staff's Repost page /staff/repost/<post_id>: what to copy, and an audit record of who reposted what where."""

from __future__ import annotations

import pytest
from flask import Flask

from app.models import ContentStatus, Role
from app.models.moderation import AuditEvent
from tests.factories import make_member, make_post
from tests.sharing.conftest import Shared, consenting, shared_topic
from tests.support import audit_events, browser, page_text, soup

REPOSTS = "repost_post"


def reposts() -> list[AuditEvent]:
    return [event for event in audit_events() if event.action == REPOSTS]


@pytest.fixture
def staff(app: Flask):  # noqa: ANN201
    return browser(app, make_member(role=Role.STAFF, display_name="Team Mayo"))


def test_page_has_the_text_card_and_link_to_copy(app: Flask, shared: Shared, staff) -> None:  # noqa: ANN001
    """The page holds the post as plain text in a readonly textarea, the card, and the canonical link."""
    response = staff.get(f"/staff/repost/{shared.post.id}")
    assert response.status_code == 200
    html = soup(response)
    textarea = html.find("textarea", id="repost-text")
    assert textarea.has_attr("readonly")
    assert textarea.get_text().startswith("Walking a little every morning")
    link = html.find("input", id="repost-link")
    assert link["value"] == f"http://localhost/p/{shared.post.id}" and link.has_attr("readonly")
    assert html.find("img", src=f"/p/{shared.post.id}/card.png") is not None
    assert "credit them as Rosa Lindqvist" in page_text(response)


def test_recording_a_repost_writes_the_audit_log(app: Flask, shared: Shared, staff) -> None:  # noqa: ANN001
    """POST with a channel records who reposted which post where, and whether the name went with it."""
    response = staff.post_form(f"/staff/repost/{shared.post.id}", {"channel": "  Facebook   page "})
    assert response.status_code == 302
    [event] = reposts()
    assert event.target_type == "post" and event.target_id == shared.post.id
    assert event.actor.display_name == "Team Mayo"
    assert event.group_id == shared.topic.group_id
    assert event.after == {"channel": "Facebook page", "with_name": True}


@pytest.mark.parametrize(
    ("channel", "message"),
    [("", "Say where you are reposting it"), ("x" * 101, "Keep the channel to 100 characters"),
     ("Face\u200bbook", "invisible or control character")],
)  # fmt: skip
def test_bad_channel_is_explained_and_nothing_recorded(  # noqa: ANN001
    app: Flask, shared: Shared, staff, channel: str, message: str
) -> None:
    """A missing, too long or invisible-character channel: 422, the reason beside the field, no audit event."""
    response = staff.post_form(f"/staff/repost/{shared.post.id}", {"channel": channel})
    assert response.status_code == 422
    assert message in soup(response).find(id="channel-error").get_text()
    assert reposts() == []


def _refused(case: str) -> int:
    if case == "no consent":
        return shared_topic(make_member()).post.id
    if case == "members-only":
        return shared_topic(consenting(), members_only=True).post.id
    topic = shared_topic(consenting()).topic
    return make_post(topic=topic, author=consenting("Someone Else"), status=ContentStatus(case)).id


@pytest.mark.parametrize("case", ["no consent", "members-only", "pending", "hidden"])
def test_refused_with_a_clear_reason_and_nothing_recorded(app: Flask, staff, case: str) -> None:  # noqa: ANN001
    """Without consent, in a members-only group or not published: the page explains why (403), offers no text,
    card or form, and a POST records nothing."""
    post_id = _refused(case)
    response = staff.get(f"/staff/repost/{post_id}")
    assert response.status_code == 403
    text = page_text(response)
    assert "This post cannot be reposted." in text
    expected = "has not agreed" if case == "no consent" else "not public"
    assert expected in text
    assert (
        soup(response).find("textarea") is None
        and soup(response).find("form", action=f"/staff/repost/{post_id}") is None
    )
    assert staff.post_form(f"/staff/repost/{post_id}", {"channel": "Facebook page"}).status_code == 403
    assert reposts() == []


def test_repost_link_is_in_staffs_post_actions_only(app: Flask, shared: Shared, staff) -> None:  # noqa: ANN001
    """Staff see "Repost" on a published post; a member and a moderator do not."""
    url = f"/t/{shared.topic.id}/{shared.topic.slug}"
    link = f'href="/staff/repost/{shared.post.id}"'
    assert link in staff.get(url).get_data(as_text=True)
    for role in (Role.MEMBER, Role.MODERATOR):
        assert link not in browser(app, make_member(role=role)).get(url).get_data(as_text=True)
