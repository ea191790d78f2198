"""Flagging posts through /p/<id>/flag: what is stored, the review item it opens, and when flags hide a post."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, MemberStatus, Post, Role
from app.models.moderation import Flag, ReviewEvent, ReviewItem, ReviewKind, ReviewStatus
from app.models.settings import Setting
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import (
    browser,
    count_rows,
    counters_and_recounts,
    opening_post,
    page_text,
    post_bodies,
    refreshed,
    soup,
    stored_state,
    topic_url,
)

REASONS = ["spam", "misinformation", "harassment", "personal_information", "at_risk", "other"]
THANKS = "Thank you. The moderators will look at this post."
ALREADY = "You have already flagged this post. Thank you — the moderators will look at it."
OWN_POST = "You cannot flag your own post. You can edit or delete it instead."
SUSPENDED_FLAG = "Your account is suspended, so you cannot flag posts."
NEEDS_DETAILS = "Please tell the moderators what is wrong."
NO_REASON = "Please choose why you are flagging this post."


@pytest.fixture
def author():  # noqa: ANN201
    """The member whose post gets flagged."""
    return make_member(display_name="Poster")


@pytest.fixture
def topic(author):  # noqa: ANN001, ANN201
    """A published topic by the author, with one reply from someone else."""
    topic = make_topic(author=author, title="Living with AF", body="The opening post")
    make_post(topic=topic, body="A kind answer")
    return topic


@pytest.fixture
def post(topic, author):  # noqa: ANN001, ANN201
    """A published reply by the author, the post flagged in these tests."""
    return make_post(topic=topic, author=author, body="Buy my miracle cure")


@pytest.fixture
def flagger(app):  # noqa: ANN001, ANN201
    """A trusted member's browser."""
    return browser(app, make_member(display_name="Flagger"))


def flag(client, post, reason: str = "spam", details: str = ""):  # noqa: ANN001, ANN201
    """Submit the flag form for `post`."""
    return client.post_form(f"/p/{post.id}/flag", {"reason": reason, "details": details})


def flag_from(app, post, count: int, reason: str = "spam", **member_fields) -> None:  # noqa: ANN001, ANN003
    """`count` different members, made with `member_fields`, each flag the post through the page."""
    for _ in range(count):
        assert flag(browser(app, make_member(**member_fields)), post, reason).status_code == 302


def open_item(post):  # noqa: ANN001, ANN201
    """The post's open review item, or None."""
    return db.session.scalar(
        select(ReviewItem).where(ReviewItem.post_id == post.id, ReviewItem.status == ReviewStatus.OPEN)
    )


def set_setting(key: str, value: str) -> None:
    """Store a run-time setting, as staff would on /mod/settings."""
    db.session.add(Setting(key=key, value=value))
    db.session.commit()


def moderation_state() -> dict[str, int]:
    """How many flags, review items and review events are stored."""
    return {"flags": count_rows(Flag), "items": count_rows(ReviewItem), "events": count_rows(ReviewEvent)}


# The form


def test_flag_page_offers_every_reason(flagger, post):
    """The flag page quotes the post and offers each of the six reasons."""
    response = flagger.get(f"/p/{post.id}/flag")
    assert response.status_code == 200
    assert "Buy my miracle cure" in page_text(response)
    assert [radio["value"] for radio in soup(response).select("input[name=reason]")] == REASONS


def test_topic_page_offers_flag_link_on_others_posts_only(app, author, topic, post):
    """Members see a Flag link on other people's posts, never on their own."""
    response = browser(app, author).get(topic_url(topic))
    links = [a["href"] for a in soup(response).select(".post-actions a") if a.get_text(strip=True) == "Flag"]
    others = db.session.scalars(select(Post.id).where(Post.topic_id == topic.id, Post.author_id != author.id))
    assert links == [f"/p/{post_id}/flag" for post_id in others]


def test_visitor_flag_page_sends_to_login(client, post):
    """A visitor asking for the flag page is sent to sign in, and comes back afterwards."""
    response = client.get(f"/p/{post.id}/flag")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_visitor_flag_post_sends_to_login_and_stores_nothing(client, post):
    """A visitor's flag submission is sent to sign in and stores nothing."""
    response = client.post_form(f"/p/{post.id}/flag", {"reason": "spam"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert count_rows(Flag) == 0


# A flag


@pytest.mark.parametrize("reason", REASONS)
def test_flag_is_stored_with_its_reason(flagger, post, reason):
    """Each reason is accepted and stored with the flagger and the details given."""
    response = flag(flagger, post, reason, details="Looks like an advert")
    assert response.status_code == 302
    stored = db.session.scalar(select(Flag))
    assert (stored.post_id, stored.member.display_name, stored.reason.value) == (post.id, "Flagger", reason)
    assert stored.details == "Looks like an advert"


def test_flag_thanks_and_returns_to_the_post(flagger, post):
    """After flagging, the member is thanked on the topic page, at the post."""
    response = flag(flagger, post)
    assert response.headers["Location"].endswith(f"#p{post.id}")
    assert THANKS in page_text(flagger.get(response.headers["Location"]))


def test_flag_opens_a_review_item(flagger, post):
    """A first flag opens a flagged-post review item in the post's group, saying why."""
    flag(flagger, post, "misinformation", "Says to stop taking warfarin")
    item = open_item(post)
    assert (item.kind, item.group_id, item.urgent) == (ReviewKind.FLAGGED_POST, post.topic.group_id, False)
    assert item.reasons == ["flagged: Medical misinformation — Says to stop taking warfarin"]


def test_more_flags_add_to_the_open_item(app, post):
    """Later flags add their reasons to the same open item instead of opening another."""
    flag(browser(app, make_member()), post, "spam")
    flag(browser(app, make_member()), post, "harassment")
    item = open_item(post)
    assert count_rows(ReviewItem) == 1
    assert item.reasons == ["flagged: Spam or advertising", "flagged: Harassment or unkindness"]
    assert [event.action for event in item.events] == ["opened", "added to"]


def test_at_risk_flag_opens_an_urgent_item(flagger, post):
    """A flag saying someone may be at risk opens an urgent item."""
    flag(flagger, post, "at_risk")
    assert open_item(post).urgent is True


def test_at_risk_flag_makes_an_open_item_urgent(app, post):
    """An at-risk flag on a post already in the queue raises its item to urgent."""
    flag(browser(app, make_member()), post, "spam")
    flag(browser(app, make_member()), post, "at_risk")
    assert open_item(post).urgent is True


def test_flag_leaves_the_post_published(flagger, post):
    """One flag changes nothing about the post or any counter."""
    before = stored_state()
    flag(flagger, post)
    assert stored_state() == before


# Refusals


def test_second_flag_by_the_same_member_is_refused_politely(flagger, post):
    """Flagging the same post twice answers with a polite message and stores nothing more."""
    flag(flagger, post)
    before = moderation_state()
    response = flag(flagger, post, "harassment")
    assert response.status_code == 422
    assert ALREADY in page_text(response)
    assert moderation_state() == before


def test_own_post_cannot_be_flagged(app, author, post):
    """An author flagging their own post is led back to it with the reason, and nothing is stored."""
    client = browser(app, author)
    response = flag(client, post)
    assert response.status_code == 302
    assert OWN_POST in page_text(client.get(response.location))
    assert moderation_state() == {"flags": 0, "items": 0, "events": 0}


def test_own_post_flag_page_is_refused(app, author, post):
    """The flag page itself sends the post's author back to the post, saying why."""
    client = browser(app, author)
    response = client.get(f"/p/{post.id}/flag")
    assert response.status_code == 302
    assert OWN_POST in page_text(client.get(response.location))


@pytest.mark.parametrize("details", ["", "   "], ids=["empty", "blank"])
def test_other_reason_needs_details(flagger, post, details):
    """ "Something else" without details is refused with a message, and nothing is stored."""
    response = flag(flagger, post, "other", details)
    assert response.status_code == 422
    assert NEEDS_DETAILS in page_text(response)
    assert moderation_state() == {"flags": 0, "items": 0, "events": 0}


@pytest.mark.parametrize("reason", ["", "rude", "SPAM"], ids=["missing", "unknown", "wrong-case"])
def test_flag_without_a_known_reason_is_refused(flagger, post, reason):
    """A missing or unknown reason is refused with a message, and nothing is stored."""
    response = flag(flagger, post, reason)
    assert response.status_code == 422
    assert NO_REASON in page_text(response)
    assert count_rows(Flag) == 0


def test_overlong_details_are_refused(flagger, post):
    """Details over 500 characters are refused with a message, and nothing is stored."""
    response = flag(flagger, post, "spam", "x" * 501)
    assert response.status_code == 422
    assert "Please keep the details under 500 characters." in page_text(response)
    assert count_rows(Flag) == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_suspended_member_cannot_flag(app, post, method):
    """A suspended member gets 403 with the reason from the flag page and its form, and nothing is stored."""
    member = make_member(status=MemberStatus.SUSPENDED, suspension_reason="Repeated advertising")
    client = browser(app, member)
    response = client.get(f"/p/{post.id}/flag") if method == "get" else flag(client, post)
    assert response.status_code == 403
    assert SUSPENDED_FLAG in page_text(response)
    assert count_rows(Flag) == 0


@pytest.mark.parametrize("status", [ContentStatus.HIDDEN, ContentStatus.PENDING, ContentStatus.REJECTED])
def test_unpublished_post_cannot_be_flagged_by_members(flagger, topic, status):
    """Posts a member cannot see answer 404 to the flag page and form."""
    hidden = make_post(topic=topic, status=status)
    assert flag(flagger, hidden).status_code == 404
    assert count_rows(Flag) == 0


def test_moderator_cannot_flag_a_held_post(app, topic):
    """A moderator who can see a held post still cannot flag it: only published posts are flagged."""
    held = make_post(topic=topic, status=ContentStatus.PENDING)
    response = flag(browser(app, make_member(role=Role.MODERATOR)), held)
    assert response.status_code == 403
    assert "Only published posts can be flagged." in page_text(response)
    assert count_rows(Flag) == 0


# Hiding at the threshold


def test_flags_below_the_threshold_leave_the_post_up(app, post):
    """Two flags from trusted members (the default threshold is three) leave the post published."""
    flag_from(app, post, 2)
    assert refreshed(post).status == ContentStatus.VISIBLE


def test_threshold_of_trusted_flags_hides_the_post(app, post):
    """The third flag from trusted members hides the post pending review."""
    flag_from(app, post, 3)
    assert refreshed(post).status == ContentStatus.HIDDEN
    assert open_item(post) is not None


def test_hiding_by_flags_keeps_counters_exact(app, post, author):
    """A post hidden by flags leaves its topic's, group's and author's counts, which match a recount."""
    topic, group = post.topic, post.topic.group
    counts = (topic.reply_count, group.post_count, author.post_count)
    flag_from(app, post, 3)
    assert (refreshed(topic).reply_count, refreshed(group).post_count, refreshed(author).post_count) == tuple(
        n - 1 for n in counts
    )
    stored, counted = counters_and_recounts()
    assert stored == counted


def test_flags_hiding_an_opening_post_hide_the_topic(app, topic):
    """An opening post hidden by flags takes its topic out of the group, with exact counters."""
    flag_from(app, opening_post(topic), 3)
    group = refreshed(topic.group)
    assert refreshed(topic).status == ContentStatus.HIDDEN
    assert (group.topic_count, group.post_count) == (0, 0)
    stored, counted = counters_and_recounts()
    assert stored == counted


def test_post_hidden_by_flags_disappears_for_members(app, post, topic):
    """Once hidden by flags, the post is no longer shown to members on the topic page."""
    flag_from(app, post, 3)
    response = browser(app, make_member()).get(topic_url(topic))
    assert "Buy my miracle cure" not in post_bodies(response)


def test_post_hidden_by_flags_waits_in_the_queue(app, post):
    """Moderators find the hidden post in the queue with the number of flags."""
    flag_from(app, post, 3)
    response = browser(app, make_member(role=Role.MODERATOR)).get("/mod/queue")
    text = page_text(response)
    assert "Buy my miracle cure" in text
    assert "post is hidden" in text
    assert "3 flags" in text


def test_untrusted_flags_do_not_count_towards_hiding(app, post):
    """Five flags from newcomers and two from trusted members leave the post published."""
    flag_from(app, post, 5, approved_posts=0)
    flag_from(app, post, 2)
    assert refreshed(post).status == ContentStatus.VISIBLE
    assert count_rows(Flag) == 7


def test_untrusted_flags_still_reach_the_queue(app, post):
    """A newcomer's flag is stored and opens a review item, though it does not count towards hiding."""
    flag_from(app, post, 1, approved_posts=0)
    assert count_rows(Flag) == 1
    assert open_item(post) is not None


@pytest.mark.parametrize(
    ("fields", "counts"),
    [
        ({"approved_posts": 0}, False),
        ({"approved_posts": 1}, False),
        ({"approved_posts": 2}, True),
        ({"approved_posts": 0, "role": Role.MENTOR}, True),
        ({"approved_posts": 0, "role": Role.MODERATOR}, True),
        ({"approved_posts": 0, "role": Role.STAFF}, True),
        ({"approved_posts": 0, "role": Role.ADMIN}, True),
    ],
    ids=["newcomer", "one-approved", "trusted-at-two", "mentor", "moderator", "staff", "admin"],
)
def test_whose_flags_count_towards_hiding(app, post, fields, counts):
    """With a threshold of one, a flag hides the post exactly when its flagger is trusted."""
    set_setting("flags_to_hide", "1")
    flag_from(app, post, 1, **fields)
    assert (refreshed(post).status == ContentStatus.HIDDEN) is counts


@pytest.mark.parametrize("threshold", [1, 5])
def test_threshold_follows_the_setting(app, post, threshold):
    """The flags_to_hide setting decides how many trusted flags hide a post."""
    set_setting("flags_to_hide", str(threshold))
    flag_from(app, post, threshold - 1)
    assert refreshed(post).status == ContentStatus.VISIBLE
    flag_from(app, post, 1)
    assert refreshed(post).status == ContentStatus.HIDDEN


def test_flags_in_other_groups_do_not_add_up(app, author):
    """Flags on two different posts are counted per post."""
    first = make_post(topic=make_topic(group=make_group()), author=author)
    second = make_post(topic=make_topic(group=make_group()), author=author)
    flag_from(app, first, 2)
    flag_from(app, second, 2)
    assert (refreshed(first).status, refreshed(second).status) == (ContentStatus.VISIBLE, ContentStatus.VISIBLE)


def test_dismissed_flags_do_not_hide_the_post_again(app, post):
    """After a moderator keeps a flagged post up, one new flag does not hide it again on its own."""
    flag_from(app, post, 3)
    moderator = browser(app, make_member(role=Role.MODERATOR))
    item = open_item(post)
    response = moderator.post_form(f"/mod/items/{item.id}/decide", {"action": "dismiss", "version": item.version})
    assert response.status_code == 302
    assert refreshed(post).status == ContentStatus.VISIBLE
    flag_from(app, post, 1)
    assert refreshed(post).status == ContentStatus.VISIBLE
    assert open_item(post) is not None


def test_new_flags_after_a_dismissal_count_afresh(app, post):
    """After a moderator keeps a flagged post up, a new threshold of trusted flags hides it again."""
    flag_from(app, post, 3)
    item = open_item(post)
    moderator = browser(app, make_member(role=Role.MODERATOR))
    moderator.post_form(f"/mod/items/{item.id}/decide", {"action": "dismiss", "version": item.version})
    flag_from(app, post, 3)
    assert refreshed(post).status == ContentStatus.HIDDEN
