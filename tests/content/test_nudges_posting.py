"""The nudge step in the composers: asked before posting, nothing stored until confirmed, stored once after."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Draft, GroupVisibility, Member, NudgePhrase, Post, ReviewItem, Role, Topic
from app.models.settings import Setting
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import browser, count_rows, page_text, refreshed, soup
from tests.web.test_valid_html import checker_errors, vnu  # noqa: F401 - the checker's fixture

PHONE = "Ring me on 07700 900123 any evening, happy to talk it through."
PHONE_NOTICE = "Your post seems to include a phone number. Everyone can read it."
MEMBERS_NOTICE = "Your post seems to include a phone number. Every signed-in member can read it."
ADVICE = "Honestly, you should stop taking it and see how you feel."
GUIDELINE = "share your experience, not medical advice"
HELD_REASON = "The author was asked about what looks like a phone number, and posted anyway."


@pytest.fixture
def me(login_as) -> Member:  # noqa: ANN001
    """A signed-in, trusted member."""
    member = make_member()
    login_as(member)
    return member


@pytest.fixture
def group(me: Member):  # noqa: ANN201
    """A public group the member has joined."""
    return make_group(members=(me,))


def new_topic(client: FormClient, group, body: str = PHONE, **extra: str):  # noqa: ANN001, ANN201
    data = {"title": "Talking helps", "body": body, "submission_key": "k" * 22, **extra}
    return client.post_form(f"/g/{group.slug}/new", data)


def test_a_topic_with_a_phone_number_waits_for_confirmation(client: FormClient, group) -> None:  # noqa: ANN001
    """The composer comes back with the words kept, the notice and the box; nothing is stored."""
    response = new_topic(client, group)
    assert response.status_code == 422
    assert PHONE_NOTICE in page_text(response)
    page = soup(response)
    assert page.find("textarea", attrs={"name": "body"}).get_text().strip() == PHONE
    assert page.find("input", attrs={"name": "confirm_personal", "type": "checkbox"}) is not None
    assert page.find("input", attrs={"name": "confirm_advice"}) is None
    assert count_rows(Topic) == 0 and count_rows(Post) == 0


def test_a_confirmed_topic_is_stored_once(client: FormClient, group) -> None:  # noqa: ANN001
    """Ticking the box posts it; the same confirmed form sent again stores nothing more."""
    new_topic(client, group)
    first = new_topic(client, group, confirm_personal="y")
    assert first.status_code == 302
    again = new_topic(client, group, confirm_personal="y")
    assert again.status_code == 302
    assert "not posted a second time" in page_text(client.get(again.headers["Location"], follow_redirects=True))
    assert count_rows(Topic) == 1
    assert db.session.scalar(select(Post.raw)) == PHONE


def test_a_topic_without_personal_information_goes_straight_out(client: FormClient, group) -> None:  # noqa: ANN001
    """Everyday text (a dose, a date, blood pressure) meets no step."""
    response = new_topic(client, group, body="I take 10 mg twice a day since March 2021; BP 120/80 at 10:30.")
    assert response.status_code == 302
    assert count_rows(Topic) == 1


def test_a_reply_with_advice_shows_the_guideline(client: FormClient, group, me: Member) -> None:  # noqa: ANN001
    """Prescriptive wording brings the guideline and its own box; confirming posts the reply."""
    topic = make_topic(group=group)
    response = client.post_form(f"/t/{topic.id}/reply", {"body": ADVICE})
    assert response.status_code == 422
    assert GUIDELINE in page_text(response)
    assert soup(response).find("input", attrs={"name": "confirm_advice"}) is not None
    assert count_rows(Post) == 1  # the opening post only
    confirmed = client.post_form(f"/t/{topic.id}/reply", {"body": ADVICE, "confirm_advice": "y"})
    assert confirmed.status_code == 302
    assert db.session.scalar(select(Post).where(Post.author_id == me.id)).raw == ADVICE


def test_each_kind_needs_its_own_box(client: FormClient, group) -> None:  # noqa: ANN001
    """Confirming the personal information does not also confirm advice in the same post."""
    topic = make_topic(group=group)
    body = f"{PHONE} {ADVICE}"
    response = client.post_form(f"/t/{topic.id}/reply", {"body": body, "confirm_personal": "y"})
    assert response.status_code == 422 and GUIDELINE in page_text(response)
    assert count_rows(Post) == 1
    both = client.post_form(f"/t/{topic.id}/reply", {"body": body, "confirm_personal": "y", "confirm_advice": "y"})
    assert both.status_code == 302 and count_rows(Post) == 2


def test_an_edit_that_adds_a_phone_number_waits(client: FormClient, group, me: Member) -> None:  # noqa: ANN001
    """The edit is kept back until confirmed; the post keeps its old words meanwhile."""
    post = make_post(topic=make_topic(group=group), author=me, body="Thinking of you all today.")
    response = client.post_form(f"/p/{post.id}/edit", {"body": PHONE})
    assert response.status_code == 422 and PHONE_NOTICE in page_text(response)
    assert refreshed(post).raw == "Thinking of you all today."
    assert client.post_form(f"/p/{post.id}/edit", {"body": PHONE, "confirm_personal": "y"}).status_code == 302
    assert refreshed(post).raw == PHONE


def test_an_edit_is_not_asked_again_about_what_was_there(client: FormClient, group, me: Member) -> None:  # noqa: ANN001
    """The number was already in the post: correcting a typo elsewhere meets no step."""
    post = make_post(topic=make_topic(group=group), author=me, body=PHONE)
    response = client.post_form(f"/p/{post.id}/edit", {"body": PHONE + " Thank you!"})
    assert response.status_code == 302
    assert refreshed(post).raw.endswith("Thank you!")


def test_the_saved_draft_survives_the_step(client: FormClient, group) -> None:  # noqa: ANN001
    """The autosaved draft stays while the author decides, and goes once the confirmed post is stored."""
    saved = client.post_form(
        f"/drafts/save?place=topic-{group.id}",
        {"title": "Talking helps", "body": PHONE},
        headers={"Accept": "application/json"},
    )
    assert saved.status_code == 200 and count_rows(Draft) == 1
    assert new_topic(client, group).status_code == 422
    assert count_rows(Draft) == 1
    assert new_topic(client, group, confirm_personal="y").status_code == 302
    assert count_rows(Draft) == 0


def test_members_only_groups_get_the_milder_notice(client: FormClient, me: Member) -> None:
    """In a members-only group the step says who can read it: every signed-in member, not everyone."""
    group = make_group(members=(me,), visibility=GroupVisibility.MEMBERS)
    response = new_topic(client, group)
    assert response.status_code == 422
    assert MEMBERS_NOTICE in page_text(response) and PHONE_NOTICE not in page_text(response)
    assert count_rows(Topic) == 0


def test_a_switched_off_detector_asks_nothing(client: FormClient, group) -> None:  # noqa: ANN001
    """Staff switched phone numbers off: the post goes straight out."""
    db.session.add(Setting(key="nudge_phone", value="0"))
    db.session.commit()
    assert new_topic(client, group).status_code == 302


def test_a_staff_phrase_brings_the_advice_step(client: FormClient, group) -> None:  # noqa: ANN001
    """A phrase staff added for advice, with a wildcard, is asked about like the built-in wording."""
    db.session.add(NudgePhrase(kind="advice", phrase="try * instead", phrase_key="try * instead"))
    db.session.commit()
    response = new_topic(client, group, body="Please try turmeric instead, it is natural.")
    assert response.status_code == 422 and GUIDELINE in page_text(response)


def test_a_held_post_shows_moderators_what_was_confirmed(app: Flask) -> None:
    """A new member's first post is held: the queue names the kind confirmed, and never repeats the number."""
    newcomer = make_member(approved_posts=0)
    group = make_group(members=(newcomer,))
    client = browser(app, newcomer)
    assert new_topic(client, group, confirm_personal="y").status_code == 302
    item = db.session.scalar(select(ReviewItem))
    assert item is not None
    assert "the author confirmed posting what looks like a phone number" in item.reasons
    assert not any("07700" in reason for reason in item.reasons)
    queue = browser(app, make_member(role=Role.MODERATOR)).get("/mod/queue")
    assert HELD_REASON in page_text(queue)


def test_a_published_post_opens_no_review_item(client: FormClient, group) -> None:  # noqa: ANN001
    """Confirming alone never queues a post: a trusted member's post goes out with no review item."""
    assert new_topic(client, group, confirm_personal="y").status_code == 302
    assert count_rows(ReviewItem) == 0


def test_the_confirmation_needs_a_csrf_token(client: FormClient, group) -> None:  # noqa: ANN001
    """A confirmed post without its token is refused and stores nothing."""
    data = {"title": "Talking helps", "body": PHONE, "confirm_personal": "y"}
    assert client.post(f"/g/{group.slug}/new", data=data).status_code == 400
    assert count_rows(Topic) == 0


def test_step_pages_are_valid_html(client: FormClient, group, me: Member, tmp_path: Path, vnu: list[str]) -> None:  # noqa: ANN001, F811
    """The step inside the new-topic, reply and edit composers is valid HTML."""
    topic = make_topic(group=group)
    post = make_post(topic=topic, author=me, body="Thinking of you all today.")
    pages = {
        "topic.html": new_topic(client, group, body=f"{PHONE} {ADVICE}"),
        "reply.html": client.post_form(f"/t/{topic.id}/reply", {"body": ADVICE}),
        "edit.html": client.post_form(f"/p/{post.id}/edit", {"body": PHONE}),
    }
    assert [r.status_code for r in pages.values()] == [422, 422, 422]
    for name, response in pages.items():
        (tmp_path / name).write_bytes(response.data)
    errors = checker_errors(vnu, sorted(tmp_path.glob("*.html")))
    assert [(e.get("url", "").rsplit("/", 1)[-1], e.get("message")) for e in errors] == []
