"""Double submission (SECURITY.md #23): the same form sent twice, even at the same moment, creates one post."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models import FormSubmission, GroupMembership, Post, Topic
from tests.factories import make_group, make_member, make_topic
from tests.support import CSRF_RE, browser, count_rows, topic_url

KEY_RE = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')


def rendered_form(client, url: str) -> dict[str, str]:  # noqa: ANN001
    """The hidden fields of the posting form on `url`, as a browser would send them back."""
    page = client.get(url).get_data(as_text=True)
    return {"csrf_token": CSRF_RE.search(page).group(1), "submission_key": KEY_RE.search(page).group(1)}


@pytest.fixture
def member():  # noqa: ANN201
    return make_member()


@pytest.fixture
def group(member):  # noqa: ANN001, ANN201
    return make_group(members=(member,))


@pytest.fixture
def topic(group):  # noqa: ANN001, ANN201
    return make_topic(group=group)


def test_new_topic_sent_twice_creates_one_topic(app, member, group):
    """Two identical new-topic POSTs (same token, same key) create one topic; both land on it."""
    client = browser(app, member)
    form = {**rendered_form(client, f"/g/{group.slug}/new"), "title": "Night sweats", "body": "Anyone else?"}
    first = client.post(f"/g/{group.slug}/new", data=form)
    second = client.post(f"/g/{group.slug}/new", data=form, follow_redirects=True)
    topic = db.session.scalar(select(Topic).where(Topic.title == "Night sweats"))
    assert count_rows(Topic) == 1
    assert first.headers["Location"] == topic_url(topic)
    assert second.request.path == topic_url(topic)
    assert "You just posted this, so it was not posted a second time. Here it is." in second.get_data(as_text=True)


def test_reply_sent_twice_creates_one_reply(app, member, topic):
    """Two identical reply POSTs create one reply, and the repeat is sent to it."""
    client = browser(app, member)
    form = {**rendered_form(client, topic_url(topic)), "body": "Same here, it helps to talk."}
    first = client.post(f"/t/{topic.id}/reply", data=form)
    second = client.post(f"/t/{topic.id}/reply", data=form)
    replies = db.session.scalars(select(Post).where(Post.topic_id == topic.id, Post.is_opening.is_(False))).all()
    assert len(replies) == 1
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == f"/p/{replies[0].id}"
    db.session.refresh(topic)
    assert topic.reply_count == 1


def test_each_rendering_of_the_form_can_post_once(app, member, topic):
    """Different words sent from two renderings of the form are two deliberate replies."""
    client = browser(app, member)
    for body in ("Thank you!", "And thank you again, Ann."):
        client.post(f"/t/{topic.id}/reply", data={**rendered_form(client, topic_url(topic)), "body": body})
    assert count_rows(Post) == 3


def test_the_same_words_from_a_fresh_form_are_posted_once(app, member, topic):
    """The same words again from a new rendering of the form (Back, reload, click): one reply, and the way to it."""
    client = browser(app, member)
    for _ in range(2):
        last = client.post(f"/t/{topic.id}/reply", data={**rendered_form(client, topic_url(topic)), "body": "Thanks!"})
    reply = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.is_opening.is_(False)))
    assert count_rows(Post) == 2
    assert last.headers["Location"] == f"/p/{reply.id}"
    assert "You just posted this" in client.get(last.headers["Location"], follow_redirects=True).get_data(as_text=True)


def test_the_same_new_topic_from_a_fresh_form_is_started_once(app, member, group):
    """The same title and text again from a new rendering of the new-topic form start one topic."""
    client = browser(app, member)
    for _ in range(2):
        form = rendered_form(client, f"/g/{group.slug}/new")
        client.post(f"/g/{group.slug}/new", data={**form, "title": "Night sweats", "body": "Anyone else awake?"})
    assert count_rows(Topic) == 1


def test_form_shown_again_after_an_error_keeps_its_key(app, member, topic):
    """A refused reply shows the form with the same key, so correcting and sending it posts once."""
    client = browser(app, member)
    form = rendered_form(client, topic_url(topic))
    refused = client.post(f"/t/{topic.id}/reply", data={**form, "body": ""})
    assert refused.status_code == 422
    assert KEY_RE.search(refused.get_data(as_text=True)).group(1) == form["submission_key"]
    for _ in range(2):
        client.post(f"/t/{topic.id}/reply", data={**form, "body": "Now with words."})
    assert count_rows(Post) == 2


def test_keys_are_per_member(app, member, group, topic):
    """Another member sending the same key is not taken for a repeat of someone else's form."""
    other = make_member()
    db.session.add(GroupMembership(member_id=other.id, group_id=group.id))
    db.session.commit()
    key = rendered_form(browser(app, member), topic_url(topic))["submission_key"]
    for author in (member, other):
        client = browser(app, author)
        client.post(
            f"/t/{topic.id}/reply",
            data={**rendered_form(client, topic_url(topic)), "submission_key": key, "body": "Hi"},
        )
    assert count_rows(Post) == 3


def test_without_a_key_posting_still_works(app, member, topic):
    """A form without a key (an old page) still posts; only its words guard it against repeats."""
    client = browser(app, member)
    response = client.post_form(f"/t/{topic.id}/reply", {"body": "From an old tab."})
    assert response.status_code == 302
    assert [key[:5] for key in db.session.scalars(select(FormSubmission.key))] == ["same:"]


def test_malformed_key_is_ignored_not_an_error(app, member, topic):
    """A key we never issue (hostile or truncated) is ignored: the reply is posted, only its words' key recorded."""
    client = browser(app, member)
    response = client.post_form(f"/t/{topic.id}/reply", {"body": "Hello", "submission_key": "<script>'"})
    assert response.status_code == 302
    assert [key[:5] for key in db.session.scalars(select(FormSubmission.key))] == ["same:"]


# --- two POSTs at the same moment (PostgreSQL: real concurrent transactions) ----------------------------------------


def test_simultaneous_twins_create_one_reply(app, database_url, member, topic):
    """Two identical replies whose transactions overlap: one commits, the other waits, fails and redirects."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time, so the twins cannot overlap")
    client = browser(app, member)  # one browser sending its form twice: same cookie, token and key
    form = {**rendered_form(client, topic_url(topic)), "body": "Sent by a double click."}
    both_claiming = threading.Barrier(2, timeout=10)

    def hold_until_twin_claims(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        # Both requests have passed every check and are about to record the key: let them go on together.
        if statement.startswith("INSERT INTO form_submissions"):
            both_claiming.wait()

    responses: list = [None, None]

    def send(n: int) -> None:
        with app.app_context():  # a thread of its own, like a second server worker
            responses[n] = client.post(f"/t/{topic.id}/reply", data=form)

    event.listen(db.engine, "before_cursor_execute", hold_until_twin_claims)
    try:
        threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        event.remove(db.engine, "before_cursor_execute", hold_until_twin_claims)
    db.session.rollback()
    replies = db.session.scalars(select(Post).where(Post.topic_id == topic.id, Post.is_opening.is_(False))).all()
    assert len(replies) == 1
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.headers["Location"].split("#")[0] for r in responses} <= {topic_url(topic), f"/p/{replies[0].id}"}
    db.session.refresh(topic)
    assert topic.reply_count == 1


def test_simultaneous_same_words_from_two_forms_create_one_reply(app, database_url, member, topic):
    """The same words from two renderings of the form (two keys), sent at the same moment: one reply."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time, so the twins cannot overlap")
    client = browser(app, member)
    forms = [{**rendered_form(client, topic_url(topic)), "body": "Sent from two tabs."} for _ in range(2)]
    both_claiming = threading.Barrier(2, timeout=10)

    def hold_until_twin_claims(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.startswith("INSERT INTO form_submissions"):
            both_claiming.wait()

    responses: list = [None, None]

    def send(n: int) -> None:
        with app.app_context():
            responses[n] = client.post(f"/t/{topic.id}/reply", data=forms[n])

    event.listen(db.engine, "before_cursor_execute", hold_until_twin_claims)
    try:
        threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        event.remove(db.engine, "before_cursor_execute", hold_until_twin_claims)
    db.session.rollback()
    replies = db.session.scalars(select(Post).where(Post.topic_id == topic.id, Post.is_opening.is_(False))).all()
    assert len(replies) == 1
    assert [r.status_code for r in responses] == [302, 302]
