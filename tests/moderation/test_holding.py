"""Holding posts for review through the real forms: who is held, why, what is refused, and who sees a held post."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import (
    ContentStatus,
    Group,
    Member,
    ModeratorScope,
    Notification,
    Post,
    ReviewItem,
    ReviewKind,
    ReviewStatus,
    Role,
    Topic,
)
from app.services.moderation.settings import set_value
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_topic
from tests.support import (
    browser,
    count_rows,
    counters_and_recounts,
    newest_post,
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

FIRST_POSTS = "one of the member's first 2 posts"
GROUP_REVIEWS_ALL = "this group reviews every post"
CRISIS_REASON = "may be about self-harm or suicide"
CRISIS = "Some nights I want to end my life."
BLOCKED = "Your post uses words that are not allowed in this community."
AWAITING = "Thank you. Your post is waiting for a moderator and will appear once it is approved."
KINDS = ["topic", "reply"]
TEAM_ROLES = [Role.MODERATOR, Role.STAFF, Role.ADMIN]


@pytest.fixture
def newcomer() -> Member:
    """A member with no approved posts yet."""
    return make_member(display_name="Nia New", approved_posts=0)


@pytest.fixture
def regular() -> Member:
    """An established, trusted member."""
    return make_member(display_name="Rita Regular")


@pytest.fixture
def group(newcomer: Member, regular: Member) -> Group:
    """A group both the newcomer and the regular have joined."""
    return make_group(name="Asthma", members=(newcomer, regular))


@pytest.fixture
def topic(group: Group, regular: Member) -> Topic:
    """A published topic in that group, started by the regular."""
    return make_topic(group=group, author=regular, title="Living with asthma", body="Opening post")


@pytest.fixture
def nia(app: Flask, newcomer: Member) -> FormClient:
    """The newcomer's browser."""
    return browser(app, newcomer)


def submit(client: FormClient, kind: str, topic: Topic, body: str, title: str = "Inhaler question") -> TestResponse:
    """Start a topic in `topic`'s group, or reply to `topic`, through the real form."""
    if kind == "topic":
        return post_topic(client, topic.group, title, body)
    return post_reply(client, topic, body)


def new_post() -> Post:
    """The post the test just submitted: the newest one, which must not be a fixture's opening post."""
    post = newest_post()
    assert post.raw != "Opening post", "the form stored no post"
    return post


def open_items() -> list[ReviewItem]:
    """The open review items, oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(select(ReviewItem).where(ReviewItem.status == ReviewStatus.OPEN).order_by(ReviewItem.id))
    )


def only_open_item() -> ReviewItem:
    items = open_items()
    assert len(items) == 1, items
    return items[0]


def approve(app: Flask, moderator: Member, item: ReviewItem) -> None:
    """Approve a review item through the queue's decision form."""
    response = browser(app, moderator).post_form(
        f"/mod/items/{item.id}/decide", {"action": "approve", "version": str(item.version)}
    )
    assert response.status_code == 302
    assert refreshed(item).status == ReviewStatus.APPROVED


def watch(app: Flask, moderator: Member, phrase: str, action: str) -> None:
    """Add a watched phrase through the moderators' page."""
    response = browser(app, moderator).post_form("/mod/watched-words", {"phrase": phrase, "action": action})
    assert response.status_code == 302, page_text(response)


def setting(key: str, value: int | str) -> None:
    set_value(key, str(value))
    db.session.commit()


def joined(app: Flask, member: Member, group: Group) -> FormClient:
    """`member`'s browser, after joining `group` through its join button."""
    client = browser(app, member)
    assert client.post_form(f"/g/{group.slug}/join").status_code == 302
    return client


def add_scope(member: Member, group: Group) -> Member:
    """Limit a moderator to `group`."""
    db.session.add(ModeratorScope(member_id=member.id, group_id=group.id))
    db.session.commit()
    return member


# New members


@pytest.mark.parametrize("kind", KINDS)
def test_newcomers_first_post_is_held_pending(nia, topic, kind):
    """A newcomer's first topic or reply is stored as pending (with its topic, for a new topic)."""
    response = submit(nia, kind, topic, "Hello everyone, I am new here.")
    assert response.status_code == 302
    post = new_post()
    assert post.status == ContentStatus.PENDING
    assert post.topic.status == (ContentStatus.PENDING if kind == "topic" else ContentStatus.VISIBLE)


@pytest.mark.parametrize("kind", KINDS)
def test_held_post_opens_one_review_item_with_its_reason(nia, topic, kind):
    """Holding a post opens one held-post review item for it, in its group, saying why."""
    submit(nia, kind, topic, "Hello everyone, I am new here.")
    item = only_open_item()
    assert (item.kind, item.post_id, item.group_id) == (ReviewKind.HELD_POST, new_post().id, topic.group_id)
    assert (item.reasons, item.urgent) == ([FIRST_POSTS], False)


def test_held_post_author_is_told_it_awaits_review(nia, topic):
    """After posting, the newcomer is told their post waits for a moderator."""
    response = post_reply(nia, topic, "Hello everyone, I am new here.")
    assert AWAITING in page_text(nia.get(response.headers["Location"]))


@pytest.mark.parametrize("approved", [0, 1])
def test_both_of_the_first_two_posts_are_held(app, topic, approved):
    """With the default setting, a member's first and second posts are both held."""
    member = make_member(approved_posts=approved)
    post_reply(joined(app, member, topic.group), topic, "Still finding my feet.")
    assert new_post().status == ContentStatus.PENDING


@pytest.mark.parametrize("kind", KINDS)
def test_approved_held_post_is_published_and_counted(app, nia, newcomer, moderator, topic, kind):
    """Approving a held post publishes it and counts it for its topic, group and author."""
    submit(nia, kind, topic, "Hello everyone, I am new here.")
    approve(app, moderator, only_open_item())
    post, group = new_post(), refreshed(topic.group)
    assert (post.status, post.topic.status) == (ContentStatus.VISIBLE, ContentStatus.VISIBLE)
    assert (group.topic_count, group.post_count) == ((2, 2) if kind == "topic" else (1, 2))
    assert refreshed(topic).reply_count == (0 if kind == "topic" else 1)
    assert (refreshed(newcomer).post_count, newcomer.approved_posts) == (1, 1)


def test_member_posts_directly_once_enough_posts_were_approved(app, nia, newcomer, moderator, topic):
    """After trusted_after_posts approved posts, the member's next post is published without review."""
    for number in (1, 2):
        post_reply(nia, topic, f"Held reply {number}")
        approve(app, moderator, only_open_item())
    post_reply(nia, topic, "Now I post straight away, https://www.asthma.org.uk included")
    assert new_post().status == ContentStatus.VISIBLE
    assert open_items() == []


@pytest.mark.parametrize(
    ("hold_first_posts", "approved", "status"),
    [
        (0, 0, ContentStatus.VISIBLE),
        (1, 1, ContentStatus.VISIBLE),
        (3, 2, ContentStatus.PENDING),
        (5, 4, ContentStatus.PENDING),
    ],
)
def test_hold_first_posts_setting_decides_how_many_are_held(app, topic, hold_first_posts, approved, status):
    """The hold_first_posts setting is how many of a member's first posts are held."""
    setting("hold_first_posts", hold_first_posts)
    post_reply(joined(app, make_member(approved_posts=approved), topic.group), topic, "Hello again.")
    assert new_post().status == status


def test_staff_settings_page_changes_hold_first_posts(app, nia, topic):
    """Staff setting hold_first_posts to 0 on the settings page lets a newcomer's first post through."""
    form = {"hold_first_posts": "0", "trusted_after_posts": "2", "flags_to_hide": "3"}
    staff = browser(app, make_member(role=Role.STAFF))
    panel = soup(staff.get("/mod/settings")).select_one("textarea[name=crisis_panel]").get_text()
    assert staff.post_form("/mod/settings", {**form, "crisis_panel": panel}).status_code == 302
    post_reply(nia, topic, "Hello everyone.")
    assert new_post().status == ContentStatus.VISIBLE


@pytest.mark.parametrize("role", [Role.MENTOR, *TEAM_ROLES])
@pytest.mark.parametrize("kind", KINDS)
def test_mentors_and_team_are_never_held_as_newcomers(app, topic, role, kind):
    """Mentors, moderators, staff and admins with no approved posts publish directly."""
    submit(browser(app, make_member(role=role, approved_posts=0)), kind, topic, "Welcome, everyone.")
    assert new_post().status == ContentStatus.VISIBLE
    assert open_items() == []


# Sensitive groups


@pytest.mark.parametrize("kind", KINDS)
def test_sensitive_group_holds_an_established_members_post(app, regular, kind):
    """In a group set to review every post, even an established member's post is held, saying why."""
    group = make_group(review_all_posts=True, members=(regular,))
    topic = make_topic(group=group, body="Opening post")
    submit(browser(app, regular), kind, topic, "Sharing how my week went.")
    assert new_post().status == ContentStatus.PENDING
    assert only_open_item().reasons == [GROUP_REVIEWS_ALL]


@pytest.mark.parametrize("role", [Role.MENTOR, *TEAM_ROLES])
def test_sensitive_group_does_not_hold_mentors_and_team(app, role):
    """Mentors and the moderating team post directly in a sensitive group."""
    topic = make_topic(group=make_group(review_all_posts=True), body="Opening post")
    post_reply(browser(app, make_member(role=role)), topic, "Sharing how my week went.")
    assert new_post().status == ContentStatus.VISIBLE


# Links, phone numbers and e-mail addresses


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("Great info at https://cheap-inhalers.example/deal", "a link"),
        ("Mail me at nia@example.org for samples", "an e-mail address"),
        ("Ring me on 07700 900123 for samples", "a phone number"),
    ],
)
def test_untrusted_members_contact_details_are_held(app, topic, body, detail):
    """A member past their first posts but not yet trusted has posts with contact details held."""
    setting("trusted_after_posts", 5)
    client = joined(app, make_member(approved_posts=3), topic.group)
    # The author is first asked about a phone number or an address and confirms (content/test_nudges_posting.py).
    client.post_form(f"/t/{topic.id}/reply", {"body": body, "confirm_personal": "y"})
    assert new_post().status == ContentStatus.PENDING
    confirmed = [] if detail == "a link" else [f"the author confirmed posting what looks like {detail}"]
    assert only_open_item().reasons == [f"a newer member's post with {detail}", *confirmed]


def test_trusted_members_contact_details_are_published(app, regular, topic):
    """A trusted member's post with a link, an e-mail address and a phone number is published."""
    body = "See https://www.asthma.org.uk, help@example.org or 0300 222 5800"
    browser(app, regular).post_form(f"/t/{topic.id}/reply", {"body": body, "confirm_personal": "y"})
    assert new_post().status == ContentStatus.VISIBLE


# Watched words


@pytest.mark.parametrize(
    ("kind", "title", "body"),
    [
        ("topic", "Inhaler question", "Where can I buy steroids online?"),
        ("topic", "Buy STEROIDS online", "Any advice?"),
        ("reply", "", "Where can I buy steroids online?"),
    ],
    ids=["topic body", "topic title", "reply"],
)
def test_blocked_phrase_is_refused_and_nothing_is_stored(app, moderator, nia, topic, kind, title, body):
    """A blocked phrase answers 422 with a clear message and stores no post, topic, counter or review item."""
    watch(app, moderator, "buy steroids", "block")
    before = stored_state()
    response = submit(nia, kind, topic, body, title)
    assert response.status_code == 422
    assert BLOCKED in page_text(response)
    assert stored_state() == before
    assert count_rows(ReviewItem) == 0


def test_blocked_reply_keeps_the_typed_text(app, moderator, nia, topic):
    """A refused reply is shown again with the member's words, to rephrase."""
    watch(app, moderator, "buy steroids", "block")
    response = post_reply(nia, topic, "Where can I buy steroids online?")
    assert "Where can I buy steroids online?" in soup(response).select_one("textarea[name=body]").get_text()


def test_held_phrase_holds_an_established_members_post(app, moderator, regular, topic):
    """A phrase set to hold holds even a trusted member's post, naming the phrase."""
    watch(app, moderator, "miracle cure", "hold")
    post_reply(browser(app, regular), topic, "This MIRACLE CURE fixed my lungs")
    assert new_post().status == ContentStatus.PENDING
    assert only_open_item().reasons == ['contains the watched phrase "miracle cure" (hold)']


def test_flagged_phrase_publishes_and_opens_a_flagged_item(app, moderator, regular, topic):
    """A phrase set to flag publishes the post, counts it, and opens a flagged-post review item."""
    watch(app, moderator, "keto", "flag")
    post_reply(browser(app, regular), topic, "Has anyone tried keto for inflammation?")
    post = new_post()
    assert post.status == ContentStatus.VISIBLE
    assert refreshed(topic).reply_count == 1
    item = only_open_item()
    assert (item.kind, item.post_id, item.reasons) == (
        ReviewKind.FLAGGED_POST,
        post.id,
        ['contains the watched phrase "keto" (flag)'],
    )


def test_watched_phrase_added_by_service_applies_too(app, moderator, regular, topic):
    """A phrase added with add_watched_word() holds posts just like one added on the page."""
    from app.services.moderation.watched_words import add_watched_word

    add_watched_word(db.session.get(Member, moderator.id), "detox tea", "hold")
    post_reply(browser(app, regular), topic, "Detox   Tea helped me")
    assert new_post().status == ContentStatus.PENDING


# Crisis language


@pytest.mark.parametrize("kind", KINDS)
def test_crisis_post_is_held_as_an_urgent_item(app, regular, topic, kind):
    """Crisis language holds even an established member's post, as an urgent review item."""
    submit(browser(app, regular), kind, topic, CRISIS)
    assert new_post().status == ContentStatus.PENDING
    item = only_open_item()
    assert (item.kind, item.urgent, item.reasons) == (ReviewKind.HELD_POST, True, [CRISIS_REASON])


@pytest.mark.parametrize("kind", KINDS)
def test_crisis_post_shows_the_support_panel_at_once(app, regular, topic, kind):
    """The response to a crisis post is the crisis-support panel itself, with the helplines."""
    response = submit(browser(app, regular), kind, topic, CRISIS)
    assert response.status_code == 200
    panel = soup(response).select_one("section.crisis-panel[role=alert]")
    assert "Samaritans: 116 123" in panel.get_text()
    assert "999" in panel.get_text()


def test_editing_a_published_post_into_crisis_language_holds_it(app, regular, topic):
    """Crisis words added by an edit take the post down as an urgent held item, and show the panel."""
    author = browser(app, regular)
    submit(author, "reply", topic, "Feeling a bit better today.")
    post = new_post()
    response = author.post_form(f"/p/{post.id}/edit", {"body": CRISIS})
    db.session.refresh(post)
    assert post.status == ContentStatus.PENDING
    assert only_open_item().urgent
    assert "Samaritans" in response.get_data(as_text=True)


def test_crisis_panel_shows_the_text_staff_wrote(app, regular, topic):
    """Staff edit the crisis panel on the settings page, and authors see the new text and numbers."""
    form = {"hold_first_posts": "2", "trusted_after_posts": "2", "flags_to_hide": "3"}
    panel = "Call **Hopeline on 0800 068 4141**, any time."
    staff = browser(app, make_member(role=Role.STAFF))
    assert staff.post_form("/mod/settings", {**form, "crisis_panel": panel}).status_code == 302
    shown = soup(post_reply(browser(app, regular), topic, CRISIS)).select_one("section.crisis-panel")
    assert shown.select_one("strong").get_text() == "Hopeline on 0800 068 4141"
    assert "Samaritans" not in shown.get_text()


def test_urgent_item_is_first_in_the_queue(app, nia, moderator, regular, topic):
    """A crisis item comes before older, ordinary held items in the moderators' queue."""
    post_reply(nia, topic, "Hello, I am new.")
    post_topic(nia, topic.group, "Newcomer question", "What helps at night?")
    post_reply(browser(app, regular), topic, CRISIS)
    urgent = open_items()[-1]
    first = soup(browser(app, moderator).get("/mod/queue")).select("li.queue-item")[0]
    assert first["id"] == f"item-{urgent.id}"
    assert "Urgent" in first.select_one(".badge-urgent").get_text()


def test_mentors_crisis_post_is_published_flagged_urgently_with_the_panel(app, topic):
    """A mentor's crisis post is published, flagged urgently, and the panel is still shown."""
    response = post_reply(browser(app, make_member(role=Role.MENTOR)), topic, CRISIS)
    assert "Samaritans" in page_text(response)
    assert new_post().status == ContentStatus.VISIBLE
    item = only_open_item()
    assert (item.kind, item.urgent) == (ReviewKind.FLAGGED_POST, True)


def test_editing_a_held_post_into_crisis_language_makes_its_item_urgent(nia, topic):
    """A held post edited to include crisis language shows the panel and moves its item to urgent."""
    post_reply(nia, topic, "Hello, I am new.")
    post = new_post()
    response = nia.post_form(f"/p/{post.id}/edit", {"body": CRISIS})
    assert "Samaritans" in page_text(response)
    item = only_open_item()
    assert item.urgent
    assert CRISIS_REASON in item.reasons


# Who sees a held post

OUTSIDERS = ["visitor", "other member", "mentor", "other group's moderator"]
INSIDERS = ["moderator", "this group's moderator", "staff", "admin"]


def outsider(kind: str) -> Member | None:
    """Someone who must not see a held post."""
    if kind == "visitor":
        return None
    if kind == "mentor":
        return make_member(role=Role.MENTOR)
    if kind == "other group's moderator":
        return add_scope(make_member(role=Role.MODERATOR), make_group(name="Cancer"))
    return make_member()


def insider(kind: str, group: Group) -> Member:
    """Someone on the moderating team for `group`."""
    if kind == "this group's moderator":
        return add_scope(make_member(role=Role.MODERATOR), group)
    return make_member(role={"moderator": Role.MODERATOR, "staff": Role.STAFF, "admin": Role.ADMIN}[kind])


@pytest.mark.parametrize("reader", OUTSIDERS)
def test_held_topic_is_hidden_from_others(app, nia, topic, reader):
    """A held topic and its opening post answer 404 to visitors, members, mentors and other groups' moderators."""
    post_topic(nia, topic.group, "Newcomer question", "What helps at night?")
    held = new_post()
    client = browser(app, outsider(reader))
    assert client.get(topic_url(held.topic)).status_code == 404
    assert client.get(f"/p/{held.id}").status_code == 404


@pytest.mark.parametrize("reader", OUTSIDERS)
def test_held_reply_is_hidden_from_others(app, nia, topic, reader):
    """A held reply is left out of the topic page and its link is 404 for everyone but its author and moderators."""
    post_reply(nia, topic, "My held words")
    held = new_post()
    client = browser(app, outsider(reader))
    assert post_bodies(client.get(topic_url(topic))) == ["Opening post"]
    assert client.get(f"/p/{held.id}").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_held_post_is_shown_to_its_author_awaiting_review(nia, topic, kind):
    """The author sees their held post in place, labelled "Awaiting review"."""
    submit(nia, kind, topic, "My held words")
    held = new_post()
    shown = soup(nia.get(topic_url(held.topic))).select_one(f"#p{held.id}")
    assert "Awaiting review" in shown.get_text()
    assert "My held words" in shown.get_text()


@pytest.mark.parametrize("reader", INSIDERS)
def test_held_post_is_shown_to_the_moderating_team(app, nia, topic, reader):
    """Moderators of the group, staff and admins see the held post in its topic."""
    post_reply(nia, topic, "My held words")
    held = new_post()
    client = browser(app, insider(reader, topic.group))
    assert post_bodies(client.get(topic_url(topic)))[-1].endswith("My held words")
    assert client.get(f"/p/{held.id}").status_code == 302


@pytest.mark.parametrize(("reader", "listed"), [("other group's moderator", False), ("this group's moderator", True)])
def test_held_item_is_queued_only_for_the_groups_moderators(app, nia, topic, reader, listed):
    """The review queue lists a held post for its group's moderators, not for other groups' moderators."""
    post_reply(nia, topic, "My held words")
    moderator = outsider(reader) if reader in OUTSIDERS else insider(reader, topic.group)
    queue = soup(browser(app, moderator).get("/mod/queue"))
    assert (queue.select_one(f"#item-{only_open_item().id}") is not None) == listed


def test_held_topic_is_left_out_of_the_group_page(app, nia, topic):
    """The group page neither lists nor counts a held topic."""
    post_topic(nia, topic.group, "Newcomer question", "What helps at night?")
    response = browser(app).get(f"/g/{topic.group.slug}")
    assert topic_titles(response) == ["Living with asthma"]
    assert "1 topic" in page_text(response)


@pytest.mark.parametrize("kind", KINDS)
def test_held_post_changes_no_home_page_count_or_latest_topic(app, nia, topic, kind):
    """The home page keeps its topic and post counts, and its latest topic, when a post is held."""
    before = page_text(browser(app).get("/"))
    submit(nia, kind, topic, "My held words", title="Newcomer question")
    after = page_text(browser(app).get("/"))
    assert after == before
    assert "1 topic · 1 post" in after
    assert "Latest: Living with asthma" in after


@pytest.mark.parametrize("viewer", ["visitor", "author"])
def test_held_post_is_left_out_of_the_profile(app, nia, newcomer, topic, viewer):
    """The author's profile shows no held post and does not count it."""
    post_reply(nia, topic, "My held words")
    client = nia if viewer == "author" else browser(app)
    text = page_text(client.get("/u/Nia%20New"))
    assert "0 posts" in text
    assert "No posts yet." in text
    assert "My held words" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_held_post_sends_no_notifications(app, nia, regular, topic, kind):
    """Holding a post notifies nobody: not the topic's author, not the newcomer."""
    submit(nia, kind, topic, "My held words")
    assert count_rows(Notification) == 0
    assert "No notifications yet." in page_text(browser(app, regular).get("/notifications"))


# Counters


def test_counters_stay_exact_through_hold_and_approve(app, nia, regular, moderator, topic):
    """Stored counters equal the real counts after posts are held, and again after they are approved."""
    post_topic(nia, topic.group, "Newcomer question", "What helps at night?")
    post_reply(nia, topic, "Held reply")
    post_reply(browser(app, regular), topic, "Published reply")
    stored, counted = counters_and_recounts()
    assert stored == counted
    for item in open_items():
        approve(app, moderator, item)
    stored, counted = counters_and_recounts()
    assert stored == counted
    assert stored[f"group {topic.group.slug}"][:2] == (2, 4)


def test_approving_a_held_topic_lists_it_in_its_group(app, nia, moderator, topic):
    """Once approved, a held topic is listed on the group page like any other."""
    post_topic(nia, topic.group, "Newcomer question", "What helps at night?")
    approve(app, moderator, only_open_item())
    assert sorted(topic_titles(browser(app).get(f"/g/{topic.group.slug}"))) == [
        "Living with asthma",
        "Newcomer question",
    ]


def test_crisis_post_is_kept_word_for_word(nia, topic):
    """A crisis post is never silently dropped: exactly one post is stored, with the author's words."""
    before = count_rows(Post)
    post_reply(nia, topic, CRISIS)
    assert count_rows(Post) == before + 1
    assert db.session.scalar(select(Post.raw).order_by(Post.id.desc()).limit(1)) == CRISIS
