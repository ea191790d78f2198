"""Joining groups, starting topics, replying, editing and deleting: what is stored, what is counted, what is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, GroupMembership, MemberStatus, Post, Role, Topic
from app.permissions import ARCHIVED, LOCKED, SUSPENDED
from app.services.common.integrity import counter_mismatches
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import (
    browser,
    count_rows,
    counters_and_recounts,
    newest_post,
    opening_post,
    page_text,
    post_reply,
    post_topic,
    refreshed,
    soup,
    stored_state,
    topic_url,
)

NO_TITLE = "Please give your topic a title."
NO_BODY = "Please write something before posting."
LONG_TITLE = "Titles can be at most 200 characters."
LONG_BODY = "Posts can be at most 20,000 characters."
NUL_TITLE = "Your title contains a character that cannot be stored (NUL)."
NUL_BODY = "This contains a character that cannot be stored (NUL)."


@pytest.fixture
def me(login_as):  # noqa: ANN001, ANN201
    """A signed-in member."""
    member = make_member()
    login_as(member)
    return member


@pytest.fixture
def group(me):  # noqa: ANN001, ANN201
    """A group the signed-in member has joined."""
    return make_group(members=(me,))


@pytest.fixture
def topic(group):  # noqa: ANN001, ANN201
    """Someone else's topic in that group."""
    return make_topic(group=group)


# Joining and leaving


def test_joining_counts_the_new_member(client, me):
    """Joining a group stores the membership and adds one to the group's member count."""
    group = make_group()
    response = client.post_form(f"/g/{group.slug}/join")
    assert response.status_code == 302
    assert refreshed(group).member_count == 1
    assert db.session.get(GroupMembership, (me.id, group.id)) is not None


def test_joining_twice_counts_once(client, me):
    """A second join changes nothing: one membership, member count one."""
    group = make_group()
    client.post_form(f"/g/{group.slug}/join")
    client.post_form(f"/g/{group.slug}/join")
    assert refreshed(group).member_count == 1
    assert count_rows(GroupMembership) == 1


def test_leaving_uncounts_the_member(client, me, group):
    """Leaving removes the membership and takes one off the member count."""
    response = client.post_form(f"/g/{group.slug}/leave")
    assert response.status_code == 302
    assert refreshed(group).member_count == 0
    assert count_rows(GroupMembership) == 0


def test_archived_group_cannot_be_joined(client, me):
    """Joining an archived group is refused with 403 and the reason, and nothing is stored."""
    group = make_group(archived=True)
    before = stored_state()
    response = client.post_form(f"/g/{group.slug}/join")
    assert response.status_code == 403
    assert ARCHIVED in page_text(response)
    assert stored_state() == before


# Starting a topic


def test_new_topic_redirects_to_its_page(client, group):
    """A new topic sends its author to /t/<id>/<slug>."""
    response = post_topic(client, group, title="Sleep after surgery")
    topic = db.session.scalar(select(Topic))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/t/{topic.id}/sleep-after-surgery"


def test_new_topic_stores_the_cooked_opening_post(client, group):
    """The opening post keeps the Markdown and the HTML cooked from it at write time."""
    post_topic(client, group, body="Some nights I **finally** sleep.")
    post = db.session.scalar(select(Post))
    assert post.is_opening
    assert post.raw == "Some nights I **finally** sleep."
    assert post.cooked.strip() == "<p>Some nights I <strong>finally</strong> sleep.</p>"


def test_new_topic_updates_group_and_member_counters(client, me, group):
    """One request counts the topic and post in the group, marks its activity, and counts the author's post."""
    post_topic(client, group)
    topic = db.session.scalar(select(Topic))
    group, me = refreshed(group), refreshed(me)
    assert (group.topic_count, group.post_count, me.post_count) == (1, 1, 1)
    assert group.last_activity_at == topic.created_at == topic.last_activity_at


POSTING = {
    "start_topic": lambda client, topic: post_topic(client, topic.group),
    "reply": lambda client, topic: post_reply(client, topic),
}


@pytest.mark.parametrize("action", POSTING)
def test_member_must_join_before_posting(client, login_as, action):
    """A member who has not joined the group gets 403 saying to join, and nothing is stored."""
    member, topic = make_member(), make_topic()
    login_as(member)
    before = stored_state()
    response = POSTING[action](client, topic)
    assert response.status_code == 403
    assert "Join this group" in page_text(response)
    assert stored_state() == before


@pytest.mark.parametrize("action", POSTING)
@pytest.mark.parametrize("role", [Role.MENTOR, Role.MODERATOR, Role.STAFF, Role.ADMIN])
def test_mentors_and_moderating_team_post_without_joining(client, login_as, role, action):
    """Mentors, moderators, staff and admins may start topics and reply in any group."""
    member, topic = make_member(role=role), make_topic()
    login_as(member)
    response = POSTING[action](client, topic)
    assert response.status_code == 302
    assert refreshed(member).post_count == 1


# Bad input and refusals store nothing


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        pytest.param("", "Any tips?", NO_TITLE, id="empty-title"),
        pytest.param(" \t  ", "Any tips?", NO_TITLE, id="whitespace-title"),
        pytest.param("Sleep", "", NO_BODY, id="empty-body"),
        pytest.param("Sleep", " \r\n \t", NO_BODY, id="whitespace-body"),
        pytest.param("t" * 201, "Any tips?", LONG_TITLE, id="title-201-chars"),
        pytest.param("Sleep", "b" * 20_001, LONG_BODY, id="body-20001-chars"),
        pytest.param("Sleep\x00", "Any tips?", NUL_TITLE, id="title-with-nul"),
        pytest.param("Sleep", "Any\x00tips?", NUL_BODY, id="body-with-nul"),
    ],
)
def test_bad_topic_input_is_refused_and_stores_nothing(client, group, topic, title, body, message):
    """An empty, blank, too long or unstorable title or body gets 422 with the reason; nothing changes."""
    before = stored_state()
    response = post_topic(client, group, title=title, body=body)
    assert response.status_code == 422
    assert message in page_text(response)
    assert stored_state() == before


def test_longest_title_and_body_are_accepted(client, group):
    """A 200-character title with a 20,000-character body is within the limits."""
    response = post_topic(client, group, title="t" * 200, body="b" * 20_000)
    assert response.status_code == 302
    assert count_rows(Topic) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("", NO_BODY, id="empty"),
        pytest.param("  \r\n  ", NO_BODY, id="whitespace"),
        pytest.param("b" * 20_001, LONG_BODY, id="20001-chars"),
        pytest.param("Me\x00too", NUL_BODY, id="nul"),
    ],
)
def test_bad_reply_is_refused_and_stores_nothing(client, topic, body, message):
    """An empty, blank, too long or unstorable reply gets 422 with the reason; nothing changes."""
    before = stored_state()
    response = post_reply(client, topic, body)
    assert response.status_code == 422
    assert message in page_text(response)
    assert stored_state() == before


def _lock(topic, member):  # noqa: ANN001, ANN202
    topic.locked = True


def _archive(topic, member):  # noqa: ANN001, ANN202
    topic.group.archived = True


def _suspend(topic, member):  # noqa: ANN001, ANN202
    member.status = MemberStatus.SUSPENDED


@pytest.mark.parametrize(
    ("action", "situation", "reason"),
    [
        pytest.param("reply", _lock, LOCKED, id="reply-to-locked-topic"),
        pytest.param("start_topic", _archive, ARCHIVED, id="topic-in-archived-group"),
        pytest.param("reply", _archive, ARCHIVED, id="reply-in-archived-group"),
        pytest.param("start_topic", _suspend, SUSPENDED, id="topic-while-suspended"),
        pytest.param("reply", _suspend, SUSPENDED, id="reply-while-suspended"),
    ],
)
def test_refused_post_explains_why_and_stores_nothing(client, me, topic, action, situation, reason):
    """Locked topics, archived groups and suspended members get 403 with the reason; nothing is stored."""
    situation(topic, me)
    db.session.commit()
    before = stored_state()
    response = POSTING[action](client, topic)
    assert response.status_code == 403
    assert reason in page_text(response)
    assert stored_state() == before


def test_moderator_may_still_reply_to_locked_topic(client, login_as):
    """Moderators can answer in a locked topic, to explain why it was locked."""
    moderator, topic = make_member(role=Role.MODERATOR), make_topic(locked=True)
    login_as(moderator)
    assert post_reply(client, topic).status_code == 302


@pytest.mark.parametrize(
    "url",
    ["/g/{group}/join", "/g/{group}/leave", "/g/{group}/new", "/t/{topic}/reply", "/p/{post}/edit", "/p/{post}/delete"],
)
def test_visitor_posting_is_sent_to_sign_in(client, url):
    """A visitor's POST redirects to /login and stores nothing."""
    post = make_post()
    url = url.format(group=post.topic.group.slug, topic=post.topic_id, post=post.id)
    before = stored_state()
    response = client.post_form(url, {"title": "Hello", "body": "Hello everyone"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert stored_state() == before


# Replying


def test_reply_redirects_to_its_anchor(client, topic):
    """A reply on the first page redirects to the topic URL with the post's anchor."""
    response = post_reply(client, topic)
    assert response.headers["Location"] == f"{topic_url(topic)}#p{newest_post().id}"


def test_reply_past_twenty_posts_redirects_to_page_two(client, topic):
    """The 21st post of a topic redirects to ?page=2 and its anchor."""
    for _ in range(19):
        make_post(topic=topic)
    response = post_reply(client, topic)
    assert response.headers["Location"] == f"{topic_url(topic)}?page=2#p{newest_post().id}"


def test_reply_updates_topic_group_and_member_counters(client, me, topic):
    """A reply counts in the topic, group and author, and marks the topic's and group's activity."""
    post_reply(client, topic)
    reply = newest_post()
    topic, me = refreshed(topic), refreshed(me)
    group = refreshed(topic.group)
    assert (topic.reply_count, group.post_count, me.post_count) == (1, 2, 1)
    assert topic.last_activity_at == group.last_activity_at == reply.created_at


def test_failed_reply_keeps_the_typed_text(client, topic):
    """A refused reply re-renders the topic (422) with the error and the member's words still in the box."""
    typed = "I know exactly how this feels. " * 700
    response = post_reply(client, topic, typed)
    assert response.status_code == 422
    assert topic.title in page_text(response)
    assert LONG_BODY in page_text(response)
    assert soup(response).find("textarea", attrs={"name": "body"}).get_text().strip() == typed.strip()


# Editing


def test_edit_form_holds_the_current_title_and_text(client, me, group):
    """The edit form of an opening post starts from the topic's title and the post's Markdown."""
    topic = make_topic(group=group, author=me, title="Sleep after surgery", body="Any **tips**?")
    page = soup(client.get(f"/p/{opening_post(topic).id}/edit"))
    assert page.find("input", attrs={"name": "title"})["value"] == "Sleep after surgery"
    assert page.find("textarea", attrs={"name": "body"}).get_text().strip() == "Any **tips**?"


def test_editing_own_post_recooks_it(client, me, topic):
    """An edit stores the new Markdown, its freshly cooked HTML and the edit time."""
    post = make_post(topic=topic, author=me, body="First try")
    response = client.post_form(f"/p/{post.id}/edit", {"body": "Second *try*"})
    assert response.status_code == 302
    post = refreshed(post)
    assert post.raw == "Second *try*"
    assert post.cooked.strip() == "<p>Second <em>try</em></p>"
    assert post.edited_at is not None


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda client, url: client.get(url), id="form"),
        pytest.param(lambda client, url: client.post_form(url, {"body": "Changed"}), id="submit"),
    ],
)
def test_editing_someone_elses_post_is_forbidden(client, me, topic, send):
    """Another member's post cannot be edited: 403, and the post is unchanged."""
    post = make_post(topic=topic)
    before = stored_state()
    response = send(client, f"/p/{post.id}/edit")
    assert response.status_code == 403
    assert "You can only edit your own posts." in page_text(response)
    assert stored_state() == before


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        pytest.param("Sleep", "   ", NO_BODY, id="blank-body"),
        pytest.param("Sleep", "b" * 20_001, LONG_BODY, id="body-20001-chars"),
        pytest.param(" ", "Any tips?", NO_TITLE, id="blank-title"),
        pytest.param("t" * 201, "Any tips?", LONG_TITLE, id="title-201-chars"),
        pytest.param("Sle\x00ep", "Any tips?", NUL_TITLE, id="title-with-nul"),
    ],
)
def test_bad_edit_is_refused_and_keeps_the_post(client, me, group, title, body, message):
    """An edit leaving a blank, too long or unstorable title or body gets 422; the post and topic stay as they were."""
    topic = make_topic(group=group, author=me)
    before = stored_state()
    response = client.post_form(f"/p/{opening_post(topic).id}/edit", {"title": title, "body": body})
    assert response.status_code == 422
    assert message in page_text(response)
    assert stored_state() == before


def test_editing_opening_post_can_retitle_the_topic(client, me, group):
    """Editing an opening post can change the topic's title and slug, and redirects to the new URL."""
    topic = make_topic(group=group, author=me, title="Old title")
    opening = opening_post(topic)
    response = client.post_form(f"/p/{opening.id}/edit", {"title": "Sleep after surgery", "body": "Opening post"})
    topic = refreshed(topic)
    assert (topic.title, topic.slug) == ("Sleep after surgery", "sleep-after-surgery")
    assert response.headers["Location"] == f"/t/{topic.id}/sleep-after-surgery#p{opening.id}"


# Deleting


def test_deleting_a_reply_uncounts_it(client, me, topic):
    """Deleting a reply takes it off the topic's reply count, the group's post count and the author's."""
    post = make_post(topic=topic, author=me)
    client.post_form(f"/p/{post.id}/delete")
    topic, me = refreshed(topic), refreshed(me)
    assert (topic.reply_count, refreshed(topic.group).post_count, me.post_count) == (0, 1, 0)


def test_deleting_unanswered_opening_post_uncounts_the_topic(client, me, group):
    """Deleting the opening post of a topic nobody answered takes the topic and post off the group's counts."""
    topic = make_topic(group=group, author=me)
    response = client.post_form(f"/p/{opening_post(topic).id}/delete")
    assert response.headers["Location"] == f"/g/{group.slug}"
    group = refreshed(group)
    assert (group.topic_count, group.post_count, refreshed(me).post_count) == (0, 0, 0)


@pytest.mark.parametrize("status", [ContentStatus.PENDING, ContentStatus.REJECTED])
def test_deleting_a_post_nobody_saw_leaves_no_placeholder(client, me, topic, status):
    """A reply only moderators ever saw goes for good: visitors never learn something was there."""
    post_id = make_post(topic=topic, author=me, status=status).id
    assert client.post_form(f"/p/{post_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post_id) is None
    assert "removed by its author" not in page_text(browser(client.application).get(topic_url(topic))).lower()
    assert counter_mismatches() == []


def test_deleting_a_topic_nobody_saw_removes_it_whole(client, me, group):
    """An opening post still waiting for review takes its topic with it, out of every list."""
    topic = make_topic(group=group, author=me, status=ContentStatus.PENDING)
    topic_id = topic.id
    assert client.post_form(f"/p/{opening_post(topic).id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Topic, topic_id) is None
    assert counter_mismatches() == []


@pytest.mark.parametrize("which", ["opening", "reply"])
def test_deleting_someone_elses_post_is_forbidden(client, me, topic, which):
    """Another member's post cannot be deleted: 403, and nothing changes."""
    post = opening_post(topic) if which == "opening" else make_post(topic=topic)
    before = stored_state()
    response = client.post_form(f"/p/{post.id}/delete")
    assert response.status_code == 403
    assert "You can only delete your own posts." in page_text(response)
    assert stored_state() == before


# Counters against the rows


def test_counters_equal_real_counts_after_mixed_actions(app):
    """After topics, replies, deletions and a leave through the site, every counter equals a SQL count."""
    ann, ben = make_member(), make_member()
    heart, diabetes = make_group(members=(ann, ben)), make_group(members=(ann,))
    as_ann, as_ben = browser(app, ann), browser(app, ben)

    def topic_titled(title: str) -> Topic:
        return db.session.scalar(select(Topic).where(Topic.title == title))

    for group, title in [(heart, "Rehab"), (heart, "Medication"), (diabetes, "Sensors")]:
        post_topic(as_ann, group, title=title)
    rehab, medication, sensors = topic_titled("Rehab"), topic_titled("Medication"), topic_titled("Sensors")
    post_reply(as_ben, rehab)
    post_reply(as_ben, rehab, "Second thought")
    regretted = newest_post()
    post_reply(as_ann, rehab)
    post_reply(as_ben, medication)
    medication_reply = newest_post()
    post_reply(as_ann, sensors, "Answering myself")
    for client, post in [
        (as_ben, regretted),
        (as_ann, opening_post(rehab)),  # answered: stays as a placeholder
        (as_ben, medication_reply),
        (as_ann, opening_post(medication)),  # unanswered again: the topic goes
    ]:
        assert client.post_form(f"/p/{post.id}/delete").status_code == 302
    as_ben.post_form(f"/g/{heart.slug}/leave")

    stored, counted = counters_and_recounts()
    assert stored == counted
    assert stored[f"group {heart.slug}"] == (1, 2, 1)
