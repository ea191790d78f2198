"""What a decision says: the moderator's confirmation in the words of the choice they made, and the author's notice
with the moderator's reason ending its sentence properly, whatever they typed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import ContentStatus
from app.models.base import utcnow
from app.services.community.topic_actions import set_post_hidden, set_topic_visibility
from app.services.moderation.suspensions import suspend
from tests.factories import flagged_post, held_reply, make_member, make_topic, newcomer_in
from tests.support import browser, decide_on_page, open_item, page_text, soup

CONFIRMED = [
    ("held", "approve", "Approved and published."),
    ("flagged", "approve", "Approved: the post stays published."),
    ("flagged", "dismiss", "Kept published: the flags were unfounded."),
    ("held", "reject", "Rejected: the post is not published."),
    ("flagged", "hide", "Hidden: the post is out of the community's view."),
]


def _item(kind: str, group, topic):  # noqa: ANN001, ANN202
    return held_reply(newcomer_in(group), topic) if kind == "held" else open_item(flagged_post(topic))


@pytest.mark.parametrize(("kind", "action", "told"), CONFIRMED, ids=[f"{k}-{a}" for k, a, _ in CONFIRMED])
def test_confirmation_says_what_the_moderator_chose(mod, group, topic, kind, action, told):
    """Each decision is confirmed in the words of its choice, never as the stored decision's name."""
    response = decide_on_page(mod, _item(kind, group, topic), action, note="Not for this group.")
    flashes = " ".join(soup(response).select_one(".flashes").get_text(" ").split())
    assert flashes == told


def test_confirmation_for_a_post_hidden_by_flags_says_published(mod, topic):
    """Approving a post the flags had hidden confirms that it is published again."""
    post = flagged_post(topic, flags=3)  # enough trusted flags to hide it
    assert post.status.value == "hidden"
    response = decide_on_page(mod, open_item(post), "approve")
    assert "Approved and published." in page_text(response)


# The author's notice

REJECTED = [
    ("Duplicate reply", "A moderator did not publish your post: Duplicate reply. You may edit it"),
    ("Duplicate reply.", "A moderator did not publish your post: Duplicate reply. You may edit it"),
    ("Duplicate reply.  ", "A moderator did not publish your post: Duplicate reply. You may edit it"),
    ("Is this an advert?", "A moderator did not publish your post: Is this an advert? You may edit it"),
    ("Please see “the rules.”", "A moderator did not publish your post: Please see “the rules.” You may edit it"),
    ("Bitte nicht (Werbung)", "A moderator did not publish your post: Bitte nicht (Werbung). You may edit it"),
    ("هل هذا إعلان؟", "A moderator did not publish your post: هل هذا إعلان؟ You may edit it"),
    ("请不要发广告。", "A moderator did not publish your post: 请不要发广告。 You may edit it"),
]


@pytest.mark.parametrize(("note", "told"), REJECTED, ids=[n for n, _ in REJECTED])
def test_rejection_notice_ends_the_reason_once(app, mod, group, topic, notifications_for, note, told):
    """The reason ends its sentence: a full stop is added when missing, never doubled, kept after ? or 。."""
    author = newcomer_in(group)
    decide_on_page(mod, held_reply(author, topic), "reject", note=note)
    (notice,) = notifications_for(author)
    assert notice.message == f"{told} and send it for review once more."
    assert told in page_text(browser(app, author).get("/notifications"))


@pytest.mark.parametrize(
    ("guideline", "note", "told"),
    [
        (
            "No selling or promotion",
            "",
            "A moderator did not publish your post because it goes against the guideline “No selling or promotion”. "
            "You may edit it and send it for review once more.",
        ),
        (
            "No selling or promotion",
            "Remove the shop link",
            "A moderator did not publish your post because it goes against the guideline “No selling or promotion”: "
            "Remove the shop link. You may edit it and send it for review once more.",
        ),
    ],
)
def test_rejection_notice_names_the_guideline(mod, group, topic, notifications_for, guideline, note, told):
    """A chosen guideline is named in a sentence of its own, not glued to the reason with a colon."""
    author = newcomer_in(group)
    decide_on_page(mod, held_reply(author, topic), "reject", guideline=guideline, note=note)
    assert [n.message for n in notifications_for(author)] == [told]


def test_rejection_log_keeps_the_guideline_and_reason(mod, group, topic):
    """The log still keeps the guideline's English value with the moderator's words, as before."""
    decide_on_page(mod, held_reply(newcomer_in(group), topic), "reject", guideline="Off-topic for this group", note="X")
    assert "Off-topic for this group: X" in page_text(mod.get("/mod/log"))


@pytest.mark.parametrize(
    ("guideline", "note", "told"),
    [
        ("", "", "A moderator hid your post."),
        ("", "Off-topic", "A moderator hid your post: Off-topic."),
        ("", "Off-topic!", "A moderator hid your post: Off-topic!"),
        (
            "Be kind and respectful",
            "",
            "A moderator hid your post because it goes against the guideline “Be kind and respectful”.",
        ),
        (
            "Be kind and respectful",
            "Name-calling.",
            "A moderator hid your post because it goes against the guideline “Be kind and respectful”: Name-calling.",
        ),
    ],
)
def test_hide_notice_ends_the_reason_once(mod, topic, notifications_for, guideline, note, told):
    """A hidden post's notice is one sentence, whether the moderator gave a guideline, a reason, both or neither."""
    author = make_member()
    decide_on_page(mod, open_item(flagged_post(topic, author=author)), "hide", guideline=guideline, note=note)
    assert [n.message for n in notifications_for(author)] == [told]


@pytest.mark.parametrize(("reason", "told"), [("Spam", "Spam."), ("Spam.", "Spam.")])
def test_hiding_a_single_post_ends_the_reason_once(app, moderator, topic, notifications_for, reason, told):
    """Hiding one post from its topic page tells the author the reason, punctuated once."""
    author = make_member()
    post = flagged_post(topic, author=author, flags=0)
    with app.test_request_context():
        set_post_hidden(moderator, post, True, reason)
    assert [n.message for n in notifications_for(author)] == [f"A moderator hid your post: {told}"]


@pytest.mark.parametrize(("reason", "told"), [("Spam", "Spam."), ("Spam!", "Spam!")])
def test_suspension_notice_ends_the_reason_once(app, moderator, notifications_for, reason, told):
    """A suspended member is told the reason as a whole sentence."""
    member = make_member()
    with app.test_request_context():
        suspend(moderator, member, reason)
    assert [n.message for n in notifications_for(member)] == [f"Your account is suspended: {told}"]


def test_timed_suspension_notice_ends_the_reason_once(app, moderator, notifications_for):
    """A suspension with an end date ends the reason with one full stop too."""
    member = make_member()
    with app.test_request_context():
        suspend(moderator, member, "Spam", until=utcnow() + timedelta(days=3))
    (notice,) = notifications_for(member)
    assert notice.message.startswith("Your account is suspended until ")
    assert notice.message.endswith(": Spam.")


def test_topic_hidden_notice_ends_the_reason_once(app, moderator, notifications_for):
    """A hidden topic's author is told the reason, punctuated once."""
    author = make_member()
    topic = make_topic(author=author, title="Tea")
    with app.test_request_context():
        set_topic_visibility(moderator, topic, ContentStatus.HIDDEN, "Off-topic")
    assert [n.message for n in notifications_for(author)] == ['A moderator hid your topic "Tea": Off-topic.']
