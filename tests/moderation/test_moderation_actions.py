"""Moderators' topic, post and member actions through /mod pages: effects, counters, refusals and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from flask_babel import format_date
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, Group, Member, MemberStatus, ModeratorScope, Post, Role
from app.models.base import utcnow
from app.models.moderation import AuditEvent, Flag, ReviewItem
from app.permissions import LOCKED, NOT_MODERATOR, NOT_YOUR_GROUP, SUSPENDED
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import (
    browser,
    count_rows,
    counters_and_recounts,
    opening_post,
    page_text,
    post_bodies,
    post_reply,
    post_topic,
    refreshed,
    soup,
    stored_state,
    topic_titles,
    topic_url,
)

NEED_REASON = "Please give a reason: it is kept in the moderation log."
CANNOT_ACT = "You cannot take moderation actions on this account."
CANNOT_ACT_SELF = "You cannot take moderation actions on your own account."
ROLES = [Role.MEMBER, Role.MENTOR, Role.MODERATOR, Role.STAFF, Role.ADMIN]


@pytest.fixture
def author():  # noqa: ANN201
    """The member who started the topic."""
    return make_member(display_name="Topic Author")


@pytest.fixture
def group(author):  # noqa: ANN001, ANN201
    """The Heart health group, which the author joined."""
    return make_group(name="Heart health", slug="heart-health", members=(author,))


@pytest.fixture
def topic(group, author):  # noqa: ANN001, ANN201
    """A published topic with two published replies and one hidden one."""
    topic = make_topic(group=group, author=author, title="Tired on beta blockers", body="Opening words")
    make_post(topic=topic, body="First answer")
    make_post(topic=topic, body="Second answer")
    make_post(topic=topic, body="Hidden answer", status=ContentStatus.HIDDEN)
    return topic


@pytest.fixture
def reply(topic):  # noqa: ANN001, ANN201
    """The topic's first published reply."""
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.raw == "First answer"))


def audit_trail() -> list[tuple]:
    """Every audit event as (actor id, action, target type, target id, reason), oldest first."""
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    return [(e.actor_id, e.action, e.target_type, e.target_id, e.reason) for e in events]


def last_event() -> AuditEvent:
    """The newest audit event."""
    return db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))


def counters_match() -> bool:
    """Every stored counter equals its recount."""
    stored, counted = counters_and_recounts()
    return stored == counted


def flashed(client, response) -> str:  # noqa: ANN001
    """The text of the page a redirect leads to, with its flashed messages."""
    return page_text(client.get(response.headers["Location"]))


def move(client, topic, group, reason: str = ""):  # noqa: ANN001, ANN201
    """Submit the move form of `topic`, choosing `group` (a Group, or a bare id)."""
    group_id = group if isinstance(group, int) else group.id
    return client.post_form(f"/mod/topics/{topic.id}/move", {"group": str(group_id), "reason": reason})


def suspend(client, member, reason: str = "Selling supplements", until: str = ""):  # noqa: ANN001, ANN201
    """Submit the suspend form on the member's moderation page."""
    return client.post_form(f"/mod/members/{member.id}/suspend", {"reason": reason, "until": until})


def suspended_member(**fields) -> Member:  # noqa: ANN003
    """A member suspended indefinitely."""
    return make_member(status=MemberStatus.SUSPENDED, suspension_reason="Selling supplements", **fields)


def member_state(member) -> tuple:  # noqa: ANN001
    """The suspension fields of a member, re-read from the database."""
    member = refreshed(member)
    return member.status, member.suspended_until, member.suspension_reason


# Locking


def test_lock_locks_the_topic(mod, topic):
    """POST /mod/topics/<id>/lock locks the topic and returns to it with a confirmation."""
    response = mod.post_form(f"/mod/topics/{topic.id}/lock")
    assert response.headers["Location"] == topic_url(topic)
    assert refreshed(topic).locked is True
    assert "Topic locked." in flashed(mod, response)


def test_unlock_opens_the_topic_again(mod, group, author):
    """POST /mod/topics/<id>/unlock unlocks a locked topic."""
    topic = make_topic(group=group, author=author, locked=True)
    mod.post_form(f"/mod/topics/{topic.id}/unlock")
    assert refreshed(topic).locked is False


@pytest.mark.parametrize(
    ("verb", "action", "locked"), [("lock", "lock_topic", False), ("unlock", "unlock_topic", True)]
)
def test_lock_and_unlock_are_audited(mod, moderator, group, author, verb, action, locked):
    """Locking and unlocking each write an audit event naming the moderator, the topic and its group."""
    topic = make_topic(group=group, author=author, locked=locked)
    mod.post_form(f"/mod/topics/{topic.id}/{verb}", {"reason": "Heated thread"})
    assert audit_trail() == [(moderator.id, action, "topic", topic.id, "Heated thread")]
    assert last_event().group_id == group.id


def test_locking_a_locked_topic_says_so(mod, group, author):
    """Locking an already locked topic explains that it is, and records nothing."""
    topic = make_topic(group=group, author=author, locked=True)
    response = mod.post_form(f"/mod/topics/{topic.id}/lock")
    assert "This topic is already locked." in flashed(mod, response)
    assert audit_trail() == []


def test_locked_topic_refuses_member_replies(app, group, author):
    """A member's reply to a locked topic is refused with 403 and the reason, and nothing is stored."""
    topic = make_topic(group=group, author=author, locked=True)
    before = stored_state()
    response = post_reply(browser(app, author), topic)
    assert response.status_code == 403
    assert LOCKED in page_text(response)
    assert stored_state() == before


def test_locked_topic_page_explains_instead_of_a_reply_form(app, group, author):
    """Members see why they cannot reply to a locked topic, and no reply form."""
    topic = make_topic(group=group, author=author, locked=True)
    response = browser(app, author).get(topic_url(topic))
    assert LOCKED in page_text(response)
    assert soup(response).select("form textarea[name=body]") == []


def test_moderator_may_reply_to_a_locked_topic(mod, group, author):
    """The group's moderators can still reply to a locked topic, to explain why."""
    topic = make_topic(group=group, author=author, locked=True)
    response = post_reply(mod, topic, "Locked while we check the facts.")
    assert response.status_code == 302
    assert refreshed(topic).reply_count == 1


# Moving


def test_move_page_offers_the_other_groups(mod, topic):
    """The move page lists every other group as a destination, not the topic's own."""
    make_group(name="Cancer", slug="cancer")
    response = mod.get(f"/mod/topics/{topic.id}/move")
    assert response.status_code == 200
    assert [o.get_text(strip=True) for o in soup(response).select("select[name=group] option")] == ["Cancer"]


def test_move_changes_the_topic_group(mod, topic):
    """Moving puts the topic in the chosen group and returns to the topic with a confirmation."""
    cancer = make_group(name="Cancer", slug="cancer")
    response = move(mod, topic, cancer)
    assert refreshed(topic).group_id == cancer.id
    assert "Topic moved to Cancer." in flashed(mod, response)


def test_move_carries_the_counters_to_the_new_group(mod, group, topic):
    """Both groups' topic and post counts follow the moved topic and its published posts."""
    cancer = make_group(name="Cancer", slug="cancer")
    move(mod, topic, cancer)
    assert (refreshed(group).topic_count, refreshed(group).post_count) == (0, 0)
    assert (refreshed(cancer).topic_count, refreshed(cancer).post_count) == (1, 3)
    assert counters_match()


def test_moved_topic_is_listed_in_its_new_group_only(app, mod, group, topic):
    """After a move, the topic is listed in the new group and no longer in the old one."""
    cancer = make_group(name="Cancer", slug="cancer")
    move(mod, topic, cancer)
    reader = browser(app)
    assert topic_titles(reader.get("/g/cancer")) == ["Tired on beta blockers"]
    assert topic_titles(reader.get("/g/heart-health")) == []


def test_moving_a_hidden_topic_keeps_counters_exact(mod, group, author):
    """A hidden topic moves without touching either group's counts."""
    topic = make_topic(group=group, author=author, status=ContentStatus.HIDDEN)
    cancer = make_group(name="Cancer", slug="cancer")
    move(mod, topic, cancer)
    assert refreshed(topic).group_id == cancer.id
    assert counters_match()


def test_move_is_audited_with_both_groups(mod, moderator, topic):
    """A move writes an audit event with the reason and the group before and after."""
    cancer = make_group(name="Cancer", slug="cancer")
    move(mod, topic, cancer, reason="Asked about chemotherapy")
    event = last_event()
    assert (event.actor_id, event.action, event.target_id, event.reason) == (
        moderator.id,
        "move_topic",
        topic.id,
        "Asked about chemotherapy",
    )
    assert (event.before, event.after) == ({"group": "heart-health"}, {"group": "cancer"})


@pytest.mark.parametrize(
    ("destination", "message"),
    [
        ("same", "The topic is already in that group."),
        ("archived", "Topics cannot be moved into an archived group."),
        ("missing", "Choose a group."),
    ],
)
def test_move_to_an_impossible_group_is_refused(mod, group, topic, destination, message):
    """Moving to the same group, an archived group or no group explains why, and changes nothing."""
    targets = {"same": lambda: group, "archived": lambda: make_group(archived=True), "missing": lambda: 999999}
    target = targets[destination]()
    before = stored_state()
    response = move(mod, topic, target)
    assert response.status_code == 422
    assert message in page_text(response)
    assert stored_state() == before
    assert audit_trail() == []


def test_open_review_items_follow_a_moved_topic(app, mod, topic, reply):
    """A flagged post's open review item moves to the topic's new group, so its moderators can decide it."""
    browser(app, make_member()).post_form(f"/p/{reply.id}/flag", {"reason": "spam"})
    cancer = make_group(name="Cancer", slug="cancer")
    move(mod, topic, cancer)
    assert db.session.scalar(select(ReviewItem.group_id)) == cancer.id


# Hiding, restoring and deleting topics


@pytest.mark.parametrize("verb", ["hide", "restore", "delete"])
def test_topic_reason_page_asks_for_a_reason(mod, topic, verb):
    """The hide, restore and delete pages show a reason field and a button for the action."""
    response = mod.get(f"/mod/topics/{topic.id}/{verb}")
    assert response.status_code == 200
    assert soup(response).select("textarea[name=reason]")
    form = soup(response).select_one(f"form[action='/mod/topics/{topic.id}/{verb}']")
    assert form.select_one("button").get_text(strip=True) == verb.capitalize()


@pytest.mark.parametrize("verb", ["hide", "delete"])
@pytest.mark.parametrize("reason", ["", "  \n "], ids=["empty", "blank"])
def test_hiding_or_deleting_a_topic_needs_a_reason(mod, topic, verb, reason):
    """Hiding or deleting a topic without a reason is refused with a message, and nothing changes."""
    before = stored_state()
    response = mod.post_form(f"/mod/topics/{topic.id}/{verb}", {"reason": reason})
    assert response.status_code == 422
    assert NEED_REASON in page_text(response)
    assert stored_state() == before
    assert audit_trail() == []


@pytest.mark.parametrize(("verb", "status"), [("hide", ContentStatus.HIDDEN), ("delete", ContentStatus.DELETED)])
def test_hiding_or_deleting_a_topic_takes_it_out_of_the_group(mod, group, topic, verb, status):
    """A hidden or deleted topic leaves the group's counts, which still match a recount."""
    response = mod.post_form(f"/mod/topics/{topic.id}/{verb}", {"reason": "Advertising"})
    assert response.status_code == 302
    assert refreshed(topic).status == status
    assert (refreshed(group).topic_count, refreshed(group).post_count) == (0, 0)
    assert counters_match()


@pytest.mark.parametrize("verb", ["hide", "delete"])
def test_hidden_or_deleted_topic_is_gone_for_members(app, mod, topic, verb):
    """Members get 404 for a hidden or deleted topic; its moderators can still open it."""
    mod.post_form(f"/mod/topics/{topic.id}/{verb}", {"reason": "Advertising"})
    assert browser(app, make_member()).get(topic_url(topic)).status_code == 404
    assert mod.get(topic_url(topic)).status_code == 200


@pytest.mark.parametrize(("verb", "word"), [("hide", "hid"), ("delete", "removed")])
def test_author_is_told_why_their_topic_went(app, mod, author, topic, verb, word):
    """The topic's author gets a notification with the moderator's reason."""
    mod.post_form(f"/mod/topics/{topic.id}/{verb}", {"reason": "Advertising"})
    text = page_text(browser(app, author).get("/notifications"))
    assert f'A moderator {word} your topic "Tired on beta blockers": Advertising' in text


def test_restoring_a_hidden_topic_counts_it_again(mod, group, topic):
    """Restoring a hidden topic (no reason needed) puts it and its posts back in the group's counts."""
    mod.post_form(f"/mod/topics/{topic.id}/hide", {"reason": "Advertising"})
    response = mod.post_form(f"/mod/topics/{topic.id}/restore", {"reason": ""})
    assert response.status_code == 302
    assert refreshed(topic).status == ContentStatus.VISIBLE
    assert (refreshed(group).topic_count, refreshed(group).post_count) == (1, 3)
    assert counters_match()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ContentStatus.DELETED, "Only hidden topics can be restored."),
        (ContentStatus.VISIBLE, "This topic is already visible."),
    ],
)
def test_only_hidden_topics_can_be_restored(mod, group, author, status, message):
    """Restoring a deleted or visible topic is refused with a message, and nothing changes."""
    topic = make_topic(group=group, author=author, status=status)
    before = stored_state()
    response = mod.post_form(f"/mod/topics/{topic.id}/restore", {"reason": "Undo"})
    assert response.status_code == 422
    assert message in page_text(response)
    assert stored_state() == before


@pytest.mark.parametrize(
    ("verb", "action", "before", "after"),
    [
        ("hide", "hidden_topic", "visible", "hidden"),
        ("delete", "deleted_topic", "visible", "deleted"),
        ("restore", "restore_topic", "hidden", "visible"),
    ],
)
def test_topic_visibility_changes_are_audited(mod, moderator, group, author, verb, action, before, after):
    """Hiding, deleting and restoring a topic each write an audit event with the reason and both statuses."""
    topic = make_topic(group=group, author=author, status=ContentStatus(before))
    mod.post_form(f"/mod/topics/{topic.id}/{verb}", {"reason": "Checked with the team"})
    assert audit_trail() == [(moderator.id, action, "topic", topic.id, "Checked with the team")]
    assert (last_event().before, last_event().after, last_event().group_id) == (
        {"status": before},
        {"status": after},
        group.id,
    )


# Hiding and restoring single posts


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_hiding_a_post_needs_a_reason(mod, reply, reason):
    """Hiding a post without a reason is refused with a message, and nothing changes."""
    before = stored_state()
    response = mod.post_form(f"/mod/posts/{reply.id}/hide", {"reason": reason})
    assert response.status_code == 422
    assert NEED_REASON in page_text(response)
    assert stored_state() == before


def test_hiding_a_post_takes_it_out_of_the_counts(mod, group, topic, reply):
    """A hidden post leaves its topic's, group's and author's counts, which match a recount."""
    author = reply.author
    response = mod.post_form(f"/mod/posts/{reply.id}/hide", {"reason": "Medical misinformation"})
    assert response.status_code == 302
    assert refreshed(reply).status == ContentStatus.HIDDEN
    assert (refreshed(topic).reply_count, refreshed(group).post_count, refreshed(author).post_count) == (1, 2, 0)
    assert counters_match()


def test_hidden_post_disappears_for_members(app, mod, topic, reply):
    """Members no longer see a post a moderator hid."""
    mod.post_form(f"/mod/posts/{reply.id}/hide", {"reason": "Medical misinformation"})
    assert post_bodies(browser(app, make_member()).get(topic_url(topic))) == ["Opening words", "Second answer"]


def test_post_author_is_told_why_their_post_was_hidden(app, mod, reply):
    """The post's author gets a notification with the moderator's reason."""
    mod.post_form(f"/mod/posts/{reply.id}/hide", {"reason": "Medical misinformation"})
    text = page_text(browser(app, reply.author).get("/notifications"))
    assert "A moderator hid your post: Medical misinformation" in text


def test_restoring_a_post_counts_it_again(mod, group, topic, reply):
    """Restoring a hidden post puts it back in every count."""
    mod.post_form(f"/mod/posts/{reply.id}/hide", {"reason": "Medical misinformation"})
    response = mod.post_form(f"/mod/posts/{reply.id}/restore", {"reason": ""})
    assert response.status_code == 302
    assert refreshed(reply).status == ContentStatus.VISIBLE
    assert (refreshed(topic).reply_count, refreshed(group).post_count) == (2, 3)
    assert counters_match()


@pytest.mark.parametrize(
    ("verb", "message"),
    [("hide", "Only visible posts can be hidden."), ("restore", "Only hidden posts can be restored.")],
)
def test_post_in_the_wrong_state_is_refused(mod, reply, verb, message):
    """Restoring a visible post, or hiding an already hidden one, explains why and changes nothing."""
    if verb == "hide":
        mod.post_form(f"/mod/posts/{reply.id}/hide", {"reason": "Once"})
    before, trail = stored_state(), audit_trail()
    response = mod.post_form(f"/mod/posts/{reply.id}/{verb}", {"reason": "Again"})
    assert response.status_code == 422
    assert message in page_text(response)
    assert (stored_state(), audit_trail()) == (before, trail)


@pytest.mark.parametrize(("verb", "action"), [("hide", "hide_post"), ("restore", "restore_post")])
def test_post_visibility_changes_are_audited(mod, moderator, group, topic, verb, action):
    """Hiding and restoring a post each write an audit event with the reason."""
    post = make_post(topic=topic, status=ContentStatus.VISIBLE if verb == "hide" else ContentStatus.HIDDEN)
    mod.post_form(f"/mod/posts/{post.id}/{verb}", {"reason": "Second look"})
    assert audit_trail() == [(moderator.id, action, "post", post.id, "Second look")]
    assert last_event().group_id == group.id


# Who may use the topic and post actions

TOPIC_ACTIONS = [
    ("post", "/mod/topics/{topic}/lock", {}),
    ("post", "/mod/topics/{topic}/unlock", {}),
    ("get", "/mod/topics/{topic}/move", {}),
    ("post", "/mod/topics/{topic}/move", {"group": "{other}"}),
    ("get", "/mod/topics/{topic}/hide", {}),
    ("post", "/mod/topics/{topic}/hide", {"reason": "Spam"}),
    ("post", "/mod/topics/{topic}/delete", {"reason": "Spam"}),
    ("post", "/mod/topics/{topic}/restore", {"reason": "Spam"}),
    ("get", "/mod/posts/{post}/hide", {}),
    ("post", "/mod/posts/{post}/hide", {"reason": "Spam"}),
    ("post", "/mod/posts/{post}/restore", {"reason": "Spam"}),
]
ACTION_IDS = [f"{method} {url.split('/')[2][:-1]} {url.split('/')[-1]}" for method, url, _ in TOPIC_ACTIONS]


def run_action(client, action, topic, post, other):  # noqa: ANN001, ANN201
    """Request one of TOPIC_ACTIONS about `topic`/`post`, moving to `other` where a group is asked for."""
    method, url, data = action
    url = url.format(topic=topic.id, post=post.id)
    data = {key: value.format(other=other.id) for key, value in data.items()}
    return client.get(url) if method == "get" else client.post_form(url, data)


@pytest.mark.parametrize("action", TOPIC_ACTIONS, ids=ACTION_IDS)
@pytest.mark.parametrize("role", [Role.MEMBER, Role.MENTOR])
def test_members_cannot_use_moderator_actions(app, topic, reply, action, role):
    """Members and mentors get 403 from every topic and post action, and nothing changes."""
    other = make_group(name="Cancer", slug="cancer")
    client = browser(app, make_member(role=role))
    before = stored_state()
    response = run_action(client, action, topic, reply, other)
    assert response.status_code == 403
    assert NOT_MODERATOR in page_text(response)
    assert (stored_state(), audit_trail(), refreshed(topic).locked) == (before, [], False)


@pytest.mark.parametrize("action", TOPIC_ACTIONS, ids=ACTION_IDS)
def test_visitors_are_sent_to_sign_in(app, topic, reply, action):
    """Visitors asking for any topic or post action are sent to sign in."""
    other = make_group(name="Cancer", slug="cancer")
    response = run_action(browser(app), action, topic, reply, other)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# Scoped moderators

SCOPED_ACTIONS = [
    ("lock", lambda c, topic, post, dest: c.post_form(f"/mod/topics/{topic.id}/lock")),
    ("move", lambda c, topic, post, dest: move(c, topic, dest)),
    ("hide topic", lambda c, topic, post, dest: c.post_form(f"/mod/topics/{topic.id}/hide", {"reason": "Spam"})),
    ("delete topic", lambda c, topic, post, dest: c.post_form(f"/mod/topics/{topic.id}/delete", {"reason": "Spam"})),
    ("hide post", lambda c, topic, post, dest: c.post_form(f"/mod/posts/{post.id}/hide", {"reason": "Spam"})),
]


@pytest.fixture
def heart_moderator(app, group):  # noqa: ANN001, ANN201
    """The browser of a moderator of Heart health and Heart failure only."""
    member = make_member(role=Role.MODERATOR, display_name="Heart Mod")
    failure = make_group(name="Heart failure", slug="heart-failure")
    db.session.add_all([ModeratorScope(member_id=member.id, group_id=g.id) for g in (group, failure)])
    db.session.commit()
    return browser(app, member)


@pytest.mark.parametrize("action", [a for _, a in SCOPED_ACTIONS], ids=[name for name, _ in SCOPED_ACTIONS])
def test_scoped_moderator_acts_in_their_group(heart_moderator, topic, reply, action):
    """A moderator of Heart health can lock, move, hide and delete there."""
    failure = db.session.scalar(select(Group).where(Group.slug == "heart-failure"))
    response = action(heart_moderator, topic, reply, failure)
    assert response.status_code == 302
    assert len(audit_trail()) == 1


@pytest.mark.parametrize("action", [a for _, a in SCOPED_ACTIONS], ids=[name for name, _ in SCOPED_ACTIONS])
def test_scoped_moderator_is_refused_in_other_groups(heart_moderator, group, action):
    """The same moderator gets 403 for the same actions in Cancer, and nothing changes."""
    cancer = make_group(name="Cancer", slug="cancer")
    topic = make_topic(group=cancer, title="Chemo fatigue")
    post = make_post(topic=topic)
    before = stored_state()
    response = action(heart_moderator, topic, post, group)
    assert response.status_code == 403
    assert NOT_YOUR_GROUP in page_text(response)
    assert (stored_state(), audit_trail(), refreshed(topic).locked) == (before, [], False)


def test_scoped_moderator_cannot_move_a_topic_out_of_their_groups(heart_moderator, topic):
    """Moving a Heart health topic into Cancer, which they do not moderate, is refused."""
    cancer = make_group(name="Cancer", slug="cancer")
    before = stored_state()
    response = move(heart_moderator, topic, cancer)
    assert response.status_code == 403
    assert stored_state() == before


def test_scoped_moderator_move_page_offers_only_their_groups(heart_moderator, topic):
    """The move page lists only the other groups the moderator looks after."""
    make_group(name="Cancer", slug="cancer")
    response = heart_moderator.get(f"/mod/topics/{topic.id}/move")
    assert [o.get_text(strip=True) for o in soup(response).select("select[name=group] option")] == ["Heart failure"]


def test_scoped_moderator_queue_shows_only_their_groups(app, heart_moderator, reply):
    """The queue of a Heart health moderator lists Heart health items and none from Cancer."""
    cancer_post = make_post(topic=make_topic(group=make_group(name="Cancer", slug="cancer"), title="Chemo fatigue"))
    flagger = browser(app, make_member())
    for post in (reply, cancer_post):
        flagger.post_form(f"/p/{post.id}/flag", {"reason": "spam"})
    text = page_text(heart_moderator.get("/mod/queue"))
    assert "Tired on beta blockers" in text
    assert "Chemo fatigue" not in text
    assert "1 open item." in text


def test_scoped_moderator_sees_no_other_group_items_by_filtering(app, heart_moderator, group):
    """Filtering the queue by a group they do not moderate shows nothing."""
    cancer = make_group(name="Cancer", slug="cancer")
    post = make_post(topic=make_topic(group=cancer, title="Chemo fatigue"))
    browser(app, make_member()).post_form(f"/p/{post.id}/flag", {"reason": "spam"})
    text = page_text(heart_moderator.get("/mod/queue", query_string={"group": cancer.id}))
    assert "Chemo fatigue" not in text
    assert "0 open items." in text


# Suspending


def test_member_page_offers_the_suspend_form(mod, author):
    """A moderator's page about a member shows a suspend form with a reason and an end date."""
    response = mod.get(f"/mod/members/{author.id}")
    assert response.status_code == 200
    form = soup(response).select_one(f"form[action='/mod/members/{author.id}/suspend']")
    assert form.select_one("textarea[name=reason]") is not None
    assert form.select_one("input[name=until]") is not None


def test_suspend_until_a_date(mod, author):
    """A suspension with a date lasts to the end of that day (UTC) and keeps the reason."""
    end = utcnow().date() + timedelta(days=7)
    response = suspend(mod, author, "Selling supplements", end.isoformat())
    assert response.headers["Location"] == f"/mod/members/{author.id}"
    assert member_state(author) == (
        MemberStatus.SUSPENDED,
        datetime.combine(end, time.max, tzinfo=UTC),
        "Selling supplements",
    )


def test_suspend_indefinitely(mod, author):
    """Without a date the suspension has no end."""
    suspend(mod, author)
    assert member_state(author) == (MemberStatus.SUSPENDED, None, "Selling supplements")


def test_suspend_until_today_is_allowed(mod, author):
    """A suspension ending today (at midnight UTC) is still in the future, and accepted."""
    suspend(mod, author, until=utcnow().date().isoformat())
    assert refreshed(author).is_suspended


def test_member_page_shows_the_suspension(app, mod, author):
    """After suspending, the member's page says until when and why, and offers to lift it."""
    end = utcnow().date() + timedelta(days=7)
    response = suspend(mod, author, "Selling supplements", end.isoformat())
    text = flashed(mod, response)
    with app.test_request_context():
        until = format_date(end, "long")
    assert f"Suspended until {until}: Selling supplements" in text
    assert "Lift suspension" in text


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_suspension_needs_a_reason(mod, author, reason):
    """Suspending without a reason is refused with a message, and nothing changes."""
    response = suspend(mod, author, reason)
    assert response.status_code == 422
    assert "Please give a reason: the member will see it." in page_text(response)
    assert member_state(author) == (MemberStatus.ACTIVE, None, None)


@pytest.mark.parametrize("days_ago", [1, 365])
def test_suspension_ending_in_the_past_is_refused(mod, author, days_ago):
    """An end date in the past is refused with a message, and nothing changes."""
    response = suspend(mod, author, until=(utcnow().date() - timedelta(days=days_ago)).isoformat())
    assert response.status_code == 422
    assert "The end of the suspension must be in the future." in page_text(response)
    assert member_state(author) == (MemberStatus.ACTIVE, None, None)
    assert audit_trail() == []


@pytest.mark.parametrize("until", ["next week", "2026-02-30", "31/12/2099"])
def test_suspension_with_a_malformed_date_is_refused(mod, author, until):
    """An end date that is not a YYYY-MM-DD date is refused, and nothing changes."""
    response = suspend(mod, author, until=until)
    assert response.status_code == 422
    assert "Not a valid date value." in page_text(response)
    assert member_state(author) == (MemberStatus.ACTIVE, None, None)


def test_suspension_is_audited(mod, moderator, author):
    """A suspension writes an audit event with the reason and the status before and after."""
    suspend(mod, author, "Selling supplements")
    assert audit_trail() == [(moderator.id, "suspend_member", "member", author.id, "Selling supplements")]
    assert (last_event().before, last_event().after) == (
        {"status": "active"},
        {"status": "suspended", "until": None},
    )


def test_suspended_member_is_told_the_reason(app, mod, author):
    """The suspended member finds the reason and the end date in their notifications."""
    end = utcnow().date() + timedelta(days=7)
    suspend(mod, author, "Selling supplements", end.isoformat())
    text = page_text(browser(app, author).get("/notifications"))
    assert f"Your account is suspended until {end:%d %B %Y}: Selling supplements" in text


@pytest.mark.parametrize("page", ["topic", "group", "notifications", "guidelines"])
def test_suspended_member_can_still_read(app, topic, page):
    """A suspended member still opens topics, groups and their notifications."""
    url = {
        "topic": topic_url(topic),
        "group": f"/g/{topic.group.slug}",
        "notifications": "/notifications",
        "guidelines": "/guidelines",
    }[page]
    assert browser(app, suspended_member()).get(url).status_code == 200


WRITES = {
    "new topic page": (lambda c, topic, post: c.get(f"/g/{topic.group.slug}/new"), SUSPENDED),
    "new topic": (lambda c, topic, post: post_topic(c, topic.group), SUSPENDED),
    "reply": (lambda c, topic, post: post_reply(c, topic), SUSPENDED),
    "flag page": (lambda c, topic, post: c.get(f"/p/{post.id}/flag"), "you cannot flag posts"),
    "flag": (lambda c, topic, post: c.post_form(f"/p/{post.id}/flag", {"reason": "spam"}), "you cannot flag posts"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_suspended_member_cannot_write(app, group, topic, reply, write):
    """A suspended member who joined the group gets 403 with the reason from every write, and nothing is stored."""
    attempt, message = write
    member = suspended_member()
    client = browser(app, member)
    client.post_form(f"/g/{group.slug}/join")
    before, flags = stored_state(), count_rows(Flag)
    response = attempt(client, topic, reply)
    assert response.status_code == 403
    assert message in page_text(response)
    assert (stored_state(), count_rows(Flag)) == (before, flags)


def test_suspended_member_sees_why_there_is_no_reply_form(app, group, topic):
    """On a topic page, a suspended member sees the reason instead of the reply form."""
    client = browser(app, suspended_member())
    client.post_form(f"/g/{group.slug}/join")
    response = client.get(topic_url(topic))
    assert SUSPENDED in page_text(response)
    assert soup(response).select("form textarea[name=body]") == []


def test_suspension_lapses_at_its_end_date(app, group, topic):
    """A member whose suspension ended yesterday can reply again, without anyone lifting it."""
    member = suspended_member(suspended_until=utcnow() - timedelta(days=1))
    client = browser(app, member)
    client.post_form(f"/g/{group.slug}/join")
    response = post_reply(client, topic, "Back again, thank you all.")
    assert response.status_code == 302
    assert refreshed(topic).reply_count == 3


def test_lapsed_suspension_lets_the_member_flag_again(app, reply):
    """A member whose suspension has ended can flag posts again."""
    member = suspended_member(suspended_until=utcnow() - timedelta(minutes=1))
    response = browser(app, member).post_form(f"/p/{reply.id}/flag", {"reason": "spam"})
    assert response.status_code == 302
    assert count_rows(Flag) == 1


# Lifting a suspension


def test_unsuspend_lifts_the_suspension(mod, moderator):
    """POST /mod/members/<id>/unsuspend makes the member active again and clears the reason and date."""
    member = suspended_member(suspended_until=utcnow() + timedelta(days=3))
    response = mod.post_form(f"/mod/members/{member.id}/unsuspend", {"reason": "Apologised"})
    assert response.headers["Location"] == f"/mod/members/{member.id}"
    assert "Suspension lifted." in flashed(mod, response)
    assert member_state(member) == (MemberStatus.ACTIVE, None, None)


def test_lifted_member_can_post_again(app, mod, group, topic):
    """After the suspension is lifted the member can reply."""
    member = suspended_member()
    mod.post_form(f"/mod/members/{member.id}/unsuspend")
    client = browser(app, member)
    client.post_form(f"/g/{group.slug}/join")
    assert post_reply(client, topic).status_code == 302


def test_lifted_member_is_told(app, mod):
    """The member is notified that the suspension was lifted."""
    member = suspended_member()
    mod.post_form(f"/mod/members/{member.id}/unsuspend")
    assert "Your suspension has been lifted." in page_text(browser(app, member).get("/notifications"))


def test_unsuspend_is_audited(mod, moderator):
    """Lifting a suspension writes an audit event with the reason."""
    member = suspended_member()
    mod.post_form(f"/mod/members/{member.id}/unsuspend", {"reason": "Apologised"})
    assert audit_trail() == [(moderator.id, "lift_suspension", "member", member.id, "Apologised")]


def test_unsuspending_an_active_member_says_so(mod, author):
    """Lifting a suspension that does not exist explains so and records nothing."""
    response = mod.post_form(f"/mod/members/{author.id}/unsuspend")
    assert "This member is not suspended." in flashed(mod, response)
    assert audit_trail() == []


# Who may suspend whom

MAY_ACT = {
    Role.MODERATOR: {Role.MEMBER, Role.MENTOR},
    Role.STAFF: {Role.MEMBER, Role.MENTOR, Role.MODERATOR},
    Role.ADMIN: {Role.MEMBER, Role.MENTOR, Role.MODERATOR, Role.STAFF, Role.ADMIN},
}
ROLE_PAIRS = [(actor, target) for actor in ROLES for target in ROLES]
PAIR_IDS = [f"{actor}-on-{target}" for actor, target in ROLE_PAIRS]


def refusal_for(actor_role: Role) -> str:
    """What a refused actor is told: only the team may act; the team may not act on this account."""
    return CANNOT_ACT if actor_role in MAY_ACT else NOT_MODERATOR


@pytest.mark.parametrize(("actor_role", "target_role"), ROLE_PAIRS, ids=PAIR_IDS)
def test_who_may_suspend_whom(app, actor_role, target_role):
    """Moderators suspend members and mentors, staff also moderators, admins anyone else; others get 403."""
    target = make_member(role=target_role)
    response = suspend(browser(app, make_member(role=actor_role)), target)
    if target_role in MAY_ACT.get(actor_role, set()):
        assert response.status_code == 302
        assert refreshed(target).status == MemberStatus.SUSPENDED
    else:
        assert response.status_code == 403
        assert refusal_for(actor_role) in page_text(response)
        assert member_state(target) == (MemberStatus.ACTIVE, None, None)
        assert audit_trail() == []


@pytest.mark.parametrize(("actor_role", "target_role"), ROLE_PAIRS, ids=PAIR_IDS)
def test_who_may_lift_whose_suspension(app, actor_role, target_role):
    """Lifting a suspension follows the same table as suspending; a refusal is 403 and changes nothing."""
    target = suspended_member(role=target_role)
    response = browser(app, make_member(role=actor_role)).post_form(f"/mod/members/{target.id}/unsuspend")
    if target_role in MAY_ACT.get(actor_role, set()):
        assert response.status_code == 302
        assert refreshed(target).status == MemberStatus.ACTIVE
    else:
        assert response.status_code == 403
        assert refusal_for(actor_role) in page_text(response)
        assert member_state(target) == (MemberStatus.SUSPENDED, None, "Selling supplements")


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.STAFF, Role.ADMIN])
def test_nobody_suspends_themselves(app, role):
    """Suspending your own account is refused with 403 and the reason, and nothing changes."""
    me = make_member(role=role)
    response = suspend(browser(app, me), me)
    assert response.status_code == 403
    assert CANNOT_ACT_SELF in page_text(response)
    assert member_state(me) == (MemberStatus.ACTIVE, None, None)
    assert audit_trail() == []


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.STAFF, Role.ADMIN])
def test_nobody_lifts_their_own_suspension(app, role):
    """A suspended team member cannot lift their own suspension."""
    me = suspended_member(role=role)
    response = browser(app, me).post_form(f"/mod/members/{me.id}/unsuspend")
    assert response.status_code == 403
    assert refreshed(me).status == MemberStatus.SUSPENDED


@pytest.mark.parametrize(("actor_role", "target_role"), [(Role.MODERATOR, Role.STAFF), (Role.MODERATOR, Role.ADMIN)])
def test_member_page_offers_no_suspend_form_when_not_allowed(app, actor_role, target_role):
    """A moderator looking at a staff or admin account sees no suspend form, only why not."""
    target = make_member(role=target_role)
    response = browser(app, make_member(role=actor_role)).get(f"/mod/members/{target.id}")
    assert response.status_code == 200
    assert soup(response).select(f"form[action='/mod/members/{target.id}/suspend']") == []
    assert CANNOT_ACT in page_text(response)


def test_opening_post_restore_keeps_the_topic_in_its_group(mod, group, topic):
    """Hiding then restoring a topic's opening post brings the topic back with exact counters."""
    first = opening_post(topic)
    mod.post_form(f"/mod/posts/{first.id}/hide", {"reason": "Advertising"})
    assert refreshed(topic).status == ContentStatus.HIDDEN
    mod.post_form(f"/mod/posts/{first.id}/restore")
    assert refreshed(topic).status == ContentStatus.VISIBLE
    assert (refreshed(group).topic_count, refreshed(group).post_count) == (1, 3)
    assert counters_match()


def test_restoring_the_opening_post_of_a_deleted_topic_keeps_it_deleted(mod, group, topic):
    """A deleted topic stays deleted when its opening post is hidden and restored, with exact counters."""
    first = opening_post(topic)
    mod.post_form(f"/mod/topics/{topic.id}/delete", {"reason": "Advertising"})
    mod.post_form(f"/mod/posts/{first.id}/hide", {"reason": "Advertising"})
    mod.post_form(f"/mod/posts/{first.id}/restore")
    assert refreshed(topic).status == ContentStatus.DELETED
    assert (refreshed(group).topic_count, refreshed(group).post_count) == (0, 0)
    assert counters_match()
