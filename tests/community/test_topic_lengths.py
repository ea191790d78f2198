"""A topic says something: a sensible minimum title and opening post, the limits shown in the form, and text made
only of spaces or invisible characters counted as empty."""

from __future__ import annotations

import pytest

from app.models import Role, Topic
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import browser, count_rows, opening_post, page_text, post_reply, post_topic, soup, stored_state

SHORT_TITLE = "Please use at least 5 characters, so others can tell what your topic is about."
SHORT_BODY = "Please write at least 10 characters, so others can understand and reply."
NO_TITLE = "Please give your topic a title."
NO_BODY = "Please write something before posting."


@pytest.fixture
def me(app):  # noqa: ANN001, ANN201
    return make_member()


@pytest.fixture
def client(app, me):  # noqa: ANN001, ANN201
    return browser(app, me)


@pytest.fixture
def group(me):  # noqa: ANN001, ANN201
    return make_group(members=(me,))


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        pytest.param("x", "I have a question about sleep.", SHORT_TITLE, id="one-character-title"),
        pytest.param("  Help  ", "I have a question about sleep.", SHORT_TITLE, id="four-characters-after-trimming"),
        pytest.param("Sl\u200b\u200bep", "I have a question about sleep.", SHORT_TITLE, id="zero-width-padding"),
        pytest.param("\u200b\u200c\u200d\u2060\ufeff", "I have a question.", NO_TITLE, id="zero-width-title"),
        pytest.param("Sleep after surgery", "?", SHORT_BODY, id="one-character-body"),
        pytest.param("Sleep after surgery", "  Any tips  ", SHORT_BODY, id="nine-characters-after-trimming"),
        pytest.param("Sleep after surgery", "\u200b \u200b\n\ufeff", NO_BODY, id="zero-width-body"),
        pytest.param("Sleep after surgery", "\u3164\u3164\u3164", NO_BODY, id="blank-letters-body"),
    ],
)
def test_too_short_or_invisible_topics_are_refused(client, group, title, body, message):
    """A title under 5 or an opening post under 10 visible characters gets 422 with the limit; nothing is stored."""
    before = stored_state()
    response = post_topic(client, group, title=title, body=body)
    assert response.status_code == 422
    assert message in page_text(response)
    assert stored_state() == before


def test_shortest_sensible_topic_is_accepted(client, group):
    """A 5-character title with a 10-character opening post is within the limits."""
    assert post_topic(client, group, title="Sleep", body="Any tips??").status_code == 302
    assert count_rows(Topic) == 1


def test_short_replies_stay_welcome(client, group):
    """The minimum is for starting topics: a reply of a few words ("Me too") is fine."""
    topic = make_topic(group=group)
    assert post_reply(client, topic, "Me too").status_code == 302


def test_zero_width_only_reply_counts_as_empty(client, group):
    """A reply made only of zero-width characters is refused as empty."""
    topic = make_topic(group=group)
    before = stored_state()
    response = post_reply(client, topic, "\u200b\u200b\u2060")
    assert response.status_code == 422
    assert NO_BODY in page_text(response)
    assert stored_state() == before


def test_editing_an_opening_post_keeps_the_minimum(client, me, group):
    """Editing a topic down to a one-character title is refused like starting one."""
    topic = make_topic(group=group, author=me, title="Sleep after surgery", body="Opening post here")
    before = stored_state()
    response = client.post_form(f"/p/{opening_post(topic).id}/edit", {"title": "x", "body": "Opening post here"})
    assert response.status_code == 422
    assert SHORT_TITLE in page_text(response)
    assert stored_state() == before


def test_editing_a_short_reply_is_fine(client, me, group):
    """A reply keeps having no minimum when edited."""
    post = make_post(topic=make_topic(group=group), author=me, body="Me too")
    assert client.post_form(f"/p/{post.id}/edit", {"body": "Me too!"}).status_code == 302


def test_the_form_shows_the_limits(client, group):
    """The new-topic form says the limits in its hints and gives them to the browser as minlength/maxlength."""
    page = soup(client.get(f"/g/{group.slug}/new"))
    title, body = page.select_one("input[name=title]"), page.select_one("textarea[name=body]")
    assert (title["minlength"], title["maxlength"]) == ("5", "200")
    assert (body["minlength"], body["maxlength"]) == ("10", "20000")
    assert "5 to 200 characters" in page.select_one(f"#{title['aria-describedby']}").get_text()
    assert "At least 10 characters" in page.select_one(f"#{body['aria-describedby']}").get_text()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_every_problem_is_listed_at_once(app, role):
    """A too-short title and an empty body are both named, in a summary linking to each field and beside it."""
    member = make_member(role=role)
    group = make_group(members=(member,))
    response = post_topic(browser(app, member), group, title="x", body="   ")
    assert response.status_code == 422
    page = soup(response)
    summary = page.select_one(".form-problems")
    links = {a["href"]: a.get_text(" ", strip=True) for a in summary.select("a")}
    assert links == {"#title": f"Title: {SHORT_TITLE}", "#body": f"Your message: {NO_BODY}"}
    for name, message in (("title", SHORT_TITLE), ("body", NO_BODY)):
        described = page.select_one(f"[name={name}]")["aria-describedby"].split()
        assert any(message in page.select_one(f"#{ref}").get_text() for ref in described)
