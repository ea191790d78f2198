"""The review queue through the moderators' pages: what it shows, each decision, bulk decisions, bad input,
two moderators at once, the navigation count and the queue page's fixed number of SQL statements."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import event, select

from app import create_app
from app.extensions import db
from app.models import (
    AuditEvent,
    ContentStatus,
    Group,
    Member,
    ModeratorScope,
    Post,
    ReviewEvent,
    ReviewItem,
    ReviewStatus,
    Role,
    Topic,
)
from app.models.base import utcnow
from app.services import ServiceError
from app.services.moderation.flags import flag_post
from app.services.moderation.queue import Decision, decide
from tests.factories import flagged_post, held_reply, make_group, make_member, make_post, make_topic, newcomer_in
from tests.support import browser, counters_and_recounts, decide_on_page, open_item, page_text, refreshed, soup

NEEDS_REASON = "Please say why the post is rejected: the author will see your reason."
GONE = "This review item no longer exists."
CHANGED = "This item changed while you were looking at it. Please review it again."
RESUBMITTED_ONCE = "This post was already resubmitted once and can no longer be edited."


@pytest.fixture
def newcomer(group: Group) -> Member:
    """A member of the group whose posts are still held for review."""
    return newcomer_in(group, "New Nia")


@pytest.fixture
def item(newcomer: Member, topic: Topic) -> ReviewItem:
    """The newcomer's held reply, waiting in the queue."""
    return held_reply(newcomer, topic, "Hello, I was diagnosed last month.")


def queue_ids(response) -> list[int]:  # noqa: ANN001
    """The review items the queue page lists, in page order."""
    return [int(li["id"].removeprefix("item-")) for li in soup(response).select("li.queue-item")]


def entry_text(response, item: ReviewItem) -> str:  # noqa: ANN001
    """What the queue page says about one item."""
    entry = soup(response).select_one(f"li#item-{item.id}")
    assert entry is not None, f"item {item.id} is not listed"
    return " ".join(entry.get_text(" ").split())


def decision_events(item: ReviewItem) -> list[str]:
    """The decisions in an item's history."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ReviewEvent.action).where(
                ReviewEvent.item_id == item.id, ReviewEvent.action.in_(["approve", "reject", "hide", "dismiss"])
            )
        )
    )


def assert_counters_exact() -> None:
    stored, counted = counters_and_recounts()
    assert stored == counted


# What the queue shows


def test_mod_as_typed_opens_the_queue(mod, app):
    """/mod, which moderators type from memory, leads to the queue; a member is refused it like the queue."""
    assert mod.get("/mod").headers["Location"] == "/mod/queue"
    assert browser(app, make_member()).get("/mod").status_code == 403


def test_queue_lists_urgent_first_then_oldest(mod, newcomer, topic):
    """Open items are listed urgent first, then oldest first; decided items are not listed."""
    newer = held_reply(newcomer, topic, "Second thoughts on beta blockers.")
    older = held_reply(newcomer, topic, "First thoughts on beta blockers.")
    urgent = held_reply(newcomer, topic, "Some nights I want to die.")
    decided = held_reply(newcomer, topic, "Already looked at.")
    for held, hours_ago in ((older, 3), (newer, 2), (urgent, 1), (decided, 4)):
        held.created_at = utcnow() - timedelta(hours=hours_ago)
    decided.status = ReviewStatus.APPROVED
    db.session.commit()
    assert refreshed(urgent).urgent
    assert queue_ids(mod.get("/mod/queue")) == [urgent.id, older.id, newer.id]


def test_queue_shows_topic_group_and_why(mod, item):
    """Each item shows its topic, group, kind, the post and why it was opened."""
    text = entry_text(mod.get("/mod/queue"), item)
    assert "Held post Living with AF" in text
    assert "in Heart health" in text
    assert "Why: One of the member's first 2 posts." in text
    assert "Hello, I was diagnosed last month." in text


def test_queue_item_is_compact_with_its_decision_folded(mod, item):
    """An item shows a short excerpt; its whole post and decision form wait in a closed disclosure."""
    entry = soup(mod.get("/mod/queue")).select_one(f"li#item-{item.id}")
    assert entry.select_one(".queue-excerpt").get_text() == "Hello, I was diagnosed last month."
    folded = entry.select_one("details.queue-decide")
    assert not folded.has_attr("open")
    assert folded.select_one("form.decision") is not None
    assert folded.select_one(".post-body") is not None


def test_long_post_excerpt_is_cut(mod, newcomer, topic):
    """A long post is cut to its first words in the compact view, and shown whole in the disclosure."""
    long_item = held_reply(newcomer, topic, "Word " * 200)
    entry = soup(mod.get("/mod/queue")).select_one(f"li#item-{long_item.id}")
    excerpt = entry.select_one(".queue-excerpt").get_text()
    assert len(excerpt) <= 201 and excerpt.endswith("…")
    assert entry.select_one(".queue-decide .post-body").get_text().count("Word") == 200


def test_refused_decision_comes_back_with_its_form_open(mod, item, newcomer, topic):
    """A refused decision returns to the queue with that item's decision open, the others folded."""
    other = held_reply(newcomer, topic, "Another one.")
    response = decide_on_page(mod, item, "reject")  # no reason: refused
    assert NEEDS_REASON in page_text(response)
    page = soup(response)
    assert page.select_one(f"li#item-{item.id} details.queue-decide").has_attr("open")
    assert not page.select_one(f"li#item-{other.id} details.queue-decide").has_attr("open")


def test_queue_shows_author_history(mod, newcomer, topic, item):
    """The author's record is shown: published, pending, rejected and hidden posts and flags received."""
    make_post(topic=topic, author=newcomer, status=ContentStatus.REJECTED)
    make_post(topic=topic, author=newcomer, status=ContentStatus.HIDDEN)
    flagged_post(topic, author=newcomer)  # published, and flagged once
    text = entry_text(mod.get("/mod/queue"), item)
    assert "By New Nia (member, not yet trusted)" in text
    assert "1 published, 1 pending, 1 rejected, 1 hidden posts · 1 flags received" in text


@pytest.mark.parametrize(
    ("author_fields", "shown"),
    [
        ({"approved_posts": 0}, "(member, not yet trusted)"),
        ({"approved_posts": 10}, "(member, trusted)"),
        ({"approved_posts": 0, "role": Role.MENTOR}, "(mentor, trusted)"),
    ],
)
def test_queue_shows_author_trust(mod, topic, author_fields, shown):
    """The author's role and trust are shown next to their name."""
    post = flagged_post(topic, author=make_member(display_name="Pat", **author_fields))
    assert f"By Pat {shown}" in entry_text(mod.get("/mod/queue"), open_item(post))


def test_queue_shows_each_flag_with_reason_and_flagger(mod, topic):
    """A flagged post lists every flag: its reason, details and who raised it."""
    post = make_post(topic=topic)
    flag_post(make_member(display_name="Flo"), post, "misinformation")
    flag_post(make_member(display_name="Gus"), post, "other", "Selling supplements")
    text = entry_text(mod.get("/mod/queue"), open_item(post))
    assert "2 flags" in text
    assert "Medical misinformation — Flo" in text
    assert "Something else: “Selling supplements” — Gus" in text
    assert "Flagged: Medical misinformation." in text
    assert "Flagged: Something else. In their words: “Selling supplements”" in text


@pytest.fixture
def two_groups_items(group: Group, topic: Topic) -> dict[str, int]:
    """Three open items: a held and a flagged post in Heart health, a held post in Cancer."""
    cancer = make_group(name="Cancer")
    return {
        "heart held": held_reply(newcomer_in(group), topic).id,
        "heart flagged": open_item(flagged_post(topic)).id,
        "cancer held": held_reply(newcomer_in(cancer), make_topic(group=cancer)).id,
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"heart held", "heart flagged", "cancer held"}),
        ({"group": "Heart health"}, {"heart held", "heart flagged"}),
        ({"group": "Cancer"}, {"cancer held"}),
        ({"kind": "flagged_post"}, {"heart flagged"}),
        ({"kind": "held_post"}, {"heart held", "cancer held"}),
        ({"group": "Heart health", "kind": "held_post"}, {"heart held"}),
        ({"group": "Cancer", "kind": "flagged_post"}, set()),
        ({"kind": "no_such_kind"}, {"heart held", "heart flagged", "cancer held"}),
    ],
)
def test_queue_filters_by_group_and_kind(mod, two_groups_items, filters, expected):
    """The group and kind filters narrow the queue; an unknown kind is ignored."""
    params = dict(filters)
    if "group" in params:
        params["group"] = db.session.scalar(select(Group.id).where(Group.name == params["group"]))
    listed = set(queue_ids(mod.get("/mod/queue", query_string=params)))
    assert listed == {two_groups_items[name] for name in expected}


def test_queue_empty_says_so(mod):
    """With nothing open the queue says so."""
    assert "Nothing waiting for review." in page_text(mod.get("/mod/queue"))


# One open item per post


def test_second_reason_adds_to_the_open_item(app, topic):
    """Flagging a post that has an open item appends the reason to it instead of opening another."""
    post = make_post(topic=topic)
    for name, reason in (("Flo", "spam"), ("Gus", "harassment")):
        response = browser(app, make_member(display_name=name)).post_form(f"/p/{post.id}/flag", {"reason": reason})
        assert response.status_code == 302
    items = db.session.scalars(select(ReviewItem).where(ReviewItem.post_id == post.id)).all()
    assert len(items) == 1
    assert items[0].reasons == ["flagged: Spam or advertising", "flagged: Harassment or unkindness"]


def test_second_reason_is_a_history_event(mod, topic):
    """Adding to an open item is recorded in its history, with who and why, and shown in the queue."""
    post = flagged_post(topic, reason="spam")
    flag_post(make_member(display_name="Gus"), post, "harassment")
    item = open_item(post)
    assert [(e.action, e.note) for e in item.events] == [
        ("opened", "flagged: Spam or advertising"),
        ("added to", "flagged: Harassment or unkindness"),
    ]
    assert "added to by Gus Flagged: Harassment or unkindness." in entry_text(mod.get("/mod/queue"), item)


def test_resubmission_after_decision_opens_a_new_item(app, mod, newcomer, item):
    """A decided item stays closed: a later resubmission opens a fresh item for the same post."""
    decide_on_page(mod, item, "reject", note="Please remove the shop link.")
    browser(app, newcomer).post_form(f"/p/{item.post_id}/edit", {"body": "Better now."})
    items = db.session.scalars(
        select(ReviewItem).where(ReviewItem.post_id == item.post_id).order_by(ReviewItem.id)
    ).all()
    assert [i.status for i in items] == [ReviewStatus.REJECTED, ReviewStatus.OPEN]


# Approve


@pytest.fixture(params=["reply", "topic"])
def held(request, newcomer: Member, group: Group, topic: Topic, held_topic) -> ReviewItem:
    """A held reply, or a held new topic."""
    if request.param == "reply":
        return held_reply(newcomer, topic)
    return held_topic(newcomer, group)


def test_approve_publishes_the_post(mod, held):
    """Approving a held post (reply or new topic) makes it and its topic visible."""
    response = decide_on_page(mod, held, "approve")
    assert "Approved and published." in page_text(response)
    post = refreshed(held.post)
    assert (post.status, refreshed(post.topic).status) == (ContentStatus.VISIBLE, ContentStatus.VISIBLE)
    assert refreshed(held).status == ReviewStatus.APPROVED


def test_approve_counts_the_post_exactly(mod, held, newcomer, group):
    """Approving counts the post once: group, topic and author counters match a recount."""
    posts_before = refreshed(group).post_count
    decide_on_page(mod, held, "approve")
    assert_counters_exact()
    assert refreshed(group).post_count == posts_before + 1
    assert (refreshed(newcomer).post_count, newcomer.approved_posts) == (1, 1)


def test_approve_notifies_the_author(app, mod, newcomer, item):
    """The author finds an in-app notice that the post was approved."""
    decide_on_page(mod, item, "approve")
    text = page_text(browser(app, newcomer).get("/notifications"))
    assert "Your post was approved and is now visible to the community." in text


def test_approve_removes_the_item_from_the_queue(mod, item):
    """A decided item leaves the queue."""
    response = decide_on_page(mod, item, "approve")
    assert queue_ids(response) == []


# Reject


@pytest.mark.parametrize("note", ["", "   ", "\n\t"])
def test_reject_without_reason_is_refused(mod, item, note, moderation_state):
    """Rejecting with an empty reason is refused with a clear message, and nothing changes."""
    before = moderation_state()
    response = decide_on_page(mod, item, "reject", note=note)
    assert NEEDS_REASON in page_text(response)
    assert moderation_state() == before


def test_reject_takes_the_post_out_of_review(mod, item, newcomer):
    """A rejected post is marked rejected and counted nowhere."""
    decide_on_page(mod, item, "reject", note="Please remove the shop link.")
    assert refreshed(item.post).status == ContentStatus.REJECTED
    assert refreshed(item).status == ReviewStatus.REJECTED
    assert_counters_exact()
    assert refreshed(newcomer).approved_posts == 0


def test_reject_tells_the_author_which_guideline_and_why(app, mod, newcomer, item):
    """The author is told in-app which guideline the post broke and the moderator's reason."""
    decide_on_page(mod, item, "reject", guideline="No selling or promotion", note="Please remove the shop link.")
    text = page_text(browser(app, newcomer).get("/notifications"))
    assert "because it goes against the guideline “No selling or promotion”: Please remove the shop link." in text
    assert "You may edit it and send it for review once more." in text


def test_rejected_post_can_be_edited_and_resubmitted(app, mod, newcomer, item):
    """The author may edit a rejected post once: it goes back to the queue as pending."""
    decide_on_page(mod, item, "reject", note="Please remove the shop link.")
    response = browser(app, newcomer).post_form(f"/p/{item.post_id}/edit", {"body": "No links this time."})
    assert response.status_code == 302
    post = refreshed(item.post)
    assert (post.status, post.raw, post.resubmitted) == (ContentStatus.PENDING, "No links this time.", True)
    assert open_item(post).reasons[0] == "resubmitted after rejection"


def test_second_resubmission_is_refused(app, mod, newcomer, item, moderation_state):
    """After a second rejection the author cannot edit the post again."""
    author = browser(app, newcomer)
    decide_on_page(mod, item, "reject", note="Please remove the shop link.")
    author.post_form(f"/p/{item.post_id}/edit", {"body": "No links this time."})
    decide_on_page(mod, open_item(item.post), "reject", note="Still promotional.")
    before = moderation_state()
    response = author.post_form(f"/p/{item.post_id}/edit", {"body": "Third try."})
    assert response.status_code == 403
    assert RESUBMITTED_ONCE in page_text(response)
    assert moderation_state() == before


# Edit, then approve


def test_edit_page_shows_the_post_text(mod, item):
    """The edit-then-approve page starts from the author's text."""
    response = mod.get(f"/mod/items/{item.id}/edit")
    assert response.status_code == 200
    assert soup(response).select_one("textarea[name=body]").get_text().strip() == "Hello, I was diagnosed last month."


def test_edit_then_approve_publishes_the_new_text(mod, item):
    """Edit-then-approve stores and publishes the moderator's text, cooked."""
    response = mod.post_form(
        f"/mod/items/{item.id}/edit", {"body": "Hello, I was **diagnosed** recently.", "note": "Removed a name"}
    )
    assert response.status_code == 302
    post = refreshed(item.post)
    assert (post.status, post.raw) == (ContentStatus.VISIBLE, "Hello, I was **diagnosed** recently.")
    assert "<strong>diagnosed</strong>" in post.cooked
    assert refreshed(item).status == ReviewStatus.APPROVED
    assert_counters_exact()


def test_edit_then_approve_with_empty_text_is_refused(mod, item, moderation_state):
    """An empty edit is refused on the form, and nothing changes."""
    before = moderation_state()
    response = mod.post_form(f"/mod/items/{item.id}/edit", {"body": "  ", "note": ""})
    assert response.status_code == 422
    assert "Please write something before posting." in page_text(response)
    assert moderation_state() == before


def test_edit_then_approve_with_stale_version_is_refused(mod, topic, moderation_state):
    """Editing an item that changed since the page was loaded is refused, and nothing changes."""
    post = flagged_post(topic)
    seen = open_item(post).version
    flagged_post_again(post)
    before = moderation_state()
    response = mod.post_form(
        f"/mod/items/{open_item(post).id}/edit", {"body": "Edited.", "note": "", "version": str(seen)}
    )
    assert response.status_code == 422
    assert CHANGED in page_text(response)
    assert moderation_state() == before


def flagged_post_again(post: Post) -> None:
    """One more flag on the post, which bumps its open item's version."""
    flag_post(make_member(), post, "harassment")


# Hide and dismiss


@pytest.mark.parametrize("kind", ["held", "flagged"])
def test_hide_takes_the_post_down(mod, newcomer, topic, kind):
    """Hiding takes a held or a published post out of view, counters exact."""
    post = held_reply(newcomer, topic).post if kind == "held" else flagged_post(topic)
    decide_on_page(mod, open_item(post), "hide", note="Off-topic")
    assert refreshed(post).status == ContentStatus.HIDDEN
    assert_counters_exact()


def test_hide_notifies_the_author(mod, topic, notifications_for):
    """The author of a hidden post is told, with the reason."""
    author = make_member()
    post = flagged_post(topic, author=author)
    decide_on_page(mod, open_item(post), "hide", note="Off-topic")
    assert [n.message for n in notifications_for(author)] == ["A moderator hid your post: Off-topic."]


def test_dismiss_restores_a_post_hidden_by_flags(mod, topic):
    """Dismissing the flags on a post they hid brings it back, counters exact."""
    post = flagged_post(topic, flags=3)
    assert refreshed(post).status == ContentStatus.HIDDEN
    assert_counters_exact()
    decide_on_page(mod, open_item(post), "dismiss")
    assert refreshed(post).status == ContentStatus.VISIBLE
    assert_counters_exact()


def test_dismiss_leaves_a_flagged_post_up(mod, topic):
    """Dismissing the flags on a published post closes the item and leaves the post as it was."""
    post = flagged_post(topic)
    item = open_item(post)
    decide_on_page(mod, item, "dismiss")
    assert (refreshed(post).status, refreshed(item).status) == (ContentStatus.VISIBLE, ReviewStatus.DISMISSED)
    assert_counters_exact()


def test_dismiss_is_refused_for_a_held_post(mod, item, moderation_state):
    """A held post must be approved, rejected or hidden: dismissing it would leave it pending forever."""
    before = moderation_state()
    response = decide_on_page(mod, item, "dismiss")
    assert "cannot be dismissed" in page_text(response)
    assert moderation_state() == before


# Bulk


@pytest.fixture
def three_held(group: Group, topic: Topic) -> list[ReviewItem]:
    """Three held replies by three newcomers."""
    return [held_reply(newcomer_in(group), topic, f"Held reply {n}") for n in range(3)]


def test_bulk_approve_decides_only_the_ticked_items(mod, three_held, bulk_on_page):
    """Bulk approve publishes the ticked items and leaves the others open."""
    first, second, third = three_held
    response = bulk_on_page(mod, [first.id, third.id], "approve")
    assert "2 items approved." in page_text(response)
    statuses = [refreshed(i).status for i in three_held]
    assert statuses == [ReviewStatus.APPROVED, ReviewStatus.OPEN, ReviewStatus.APPROVED]
    assert_counters_exact()


def test_bulk_reject_rejects_and_tells_each_author(mod, three_held, bulk_on_page, notifications_for):
    """Bulk reject with a reason rejects every ticked item and tells each author why."""
    bulk_on_page(mod, [i.id for i in three_held], "reject", note="Please introduce yourself in the welcome group.")
    assert {refreshed(i.post).status for i in three_held} == {ContentStatus.REJECTED}
    for held in three_held:
        (notice,) = notifications_for(held.post.author)
        assert "Please introduce yourself in the welcome group." in notice.message


def test_bulk_reject_without_reason_changes_nothing(mod, three_held, bulk_on_page, moderation_state):
    """Bulk reject without a reason refuses every item, saying so, and nothing changes."""
    before = moderation_state()
    response = bulk_on_page(mod, [i.id for i in three_held], "reject")
    assert page_text(response).count(NEEDS_REASON) == 3
    assert moderation_state() == before


def test_bulk_with_already_decided_item(app, mod, three_held, bulk_on_page):
    """In a mix, already-decided items are reported by who handled them and the rest are decided."""
    first, second, third = three_held
    other = make_member(display_name="Mod Bo", role=Role.MODERATOR)
    decide_on_page(browser(app, other), second, "approve")
    response = bulk_on_page(mod, [first.id, second.id, third.id], "reject", note="Not for this group.")
    text = page_text(response)
    assert "2 items rejected." in text
    assert f"Item {second.id}: Already approved by Mod Bo." in text
    assert [refreshed(i).status for i in three_held] == [
        ReviewStatus.REJECTED,
        ReviewStatus.APPROVED,
        ReviewStatus.REJECTED,
    ]
    assert refreshed(second).decided_by_id == other.id
    assert decision_events(second) == ["approve"]


def test_bulk_with_nothing_ticked_is_refused(mod, three_held, bulk_on_page, moderation_state):
    """Bulk without ticked items asks for a selection and changes nothing."""
    before = moderation_state()
    assert "Select at least one item." in page_text(bulk_on_page(mod, [], "approve"))
    assert moderation_state() == before


def test_bulk_reports_a_missing_item(mod, three_held, bulk_on_page):
    """A ticked item that no longer exists is reported; the others are still decided."""
    response = bulk_on_page(mod, [three_held[0].id, 999_999], "approve")
    text = page_text(response)
    assert "1 item approved." in text
    assert f"Item 999999: {GONE}" in text


# Items that are gone, already decided or changed


def test_deciding_a_missing_item_is_refused(mod, item, moderation_state):
    """Deciding an item that does not exist says so and changes nothing."""
    before = moderation_state()
    response = mod.post_form("/mod/items/999999/decide", {"action": "approve", "version": "1"}, follow_redirects=True)
    assert GONE in page_text(response)
    assert moderation_state() == before


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_edit_page_of_a_missing_item_is_not_found(mod, method):
    """The edit-then-approve page of a missing item answers 404."""
    url = "/mod/items/999999/edit"
    response = mod.get(url) if method == "GET" else mod.post_form(url, {"body": "Edited."})
    assert response.status_code == 404


@pytest.mark.parametrize(("action", "note"), [("approve", ""), ("reject", "Spam."), ("hide", ""), ("dismiss", "")])
def test_deciding_an_already_decided_item_says_who(app, mod, topic, action, note, moderation_state):
    """A second decision is refused with "Already hidden by <name>.", and nothing changes."""
    item = open_item(flagged_post(topic))
    decide_on_page(browser(app, make_member(display_name="Mod Bo", role=Role.MODERATOR)), item, "hide")
    before = moderation_state()
    response = decide_on_page(mod, item, action, note=note, version=refreshed(item).version)
    assert "Already hidden by Mod Bo." in page_text(response)
    assert moderation_state() == before


def test_stale_version_is_refused(mod, topic, moderation_state):
    """A decision about an item that changed since the page was loaded is refused, and nothing changes."""
    post = flagged_post(topic)
    item = open_item(post)
    seen = item.version
    flagged_post_again(post)
    before = moderation_state()
    response = decide_on_page(mod, item, "dismiss", version=seen)
    assert CHANGED in page_text(response)
    assert moderation_state() == before


@pytest.mark.parametrize("action", ["", "delete", "suspend"])
def test_unknown_decision_is_refused(mod, item, action, moderation_state):
    """A decision that is not on the list is refused and nothing changes."""
    before = moderation_state()
    response = decide_on_page(mod, item, action)
    assert "Choose a decision." in page_text(response)
    assert moderation_state() == before


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MENTOR])
def test_non_moderator_cannot_decide(app, item, role, moderation_state):
    """Members and mentors get 403 from the decision URL, and nothing changes."""
    outsider = browser(app, make_member(role=role))
    before = moderation_state()
    response = outsider.post_form(f"/mod/items/{item.id}/decide", {"action": "approve"})
    assert response.status_code == 403
    assert moderation_state() == before


def test_scoped_moderator_cannot_decide_elsewhere(app, item, moderation_state):
    """A moderator scoped to another group gets 403, and nothing changes."""
    scoped = make_member(role=Role.MODERATOR)
    db.session.add(ModeratorScope(member_id=scoped.id, group_id=make_group(name="Cancer").id))
    db.session.commit()
    outsider = browser(app, scoped)
    before = moderation_state()
    response = outsider.post_form(f"/mod/items/{item.id}/decide", {"action": "approve"})
    assert response.status_code == 403
    assert moderation_state() == before


# Two moderators at once


def test_second_moderator_holding_a_stale_item_is_told(app, item):
    """A moderator whose page still shows the item open, after another decided it, is told who handled it."""
    ada = make_member(display_name="Mod Ada", role=Role.MODERATOR)
    bo = make_member(display_name="Mod Bo", role=Role.MODERATOR)
    with app.app_context(), app.test_request_context():  # Bo has the item open in his session
        stale = db.session.get(ReviewItem, item.id)
        assert stale.status == ReviewStatus.OPEN
        with app.app_context(), app.test_request_context():  # meanwhile Ada decides it
            decide(db.session.get(Member, ada.id), item.id, Decision("approve"), seen_version=stale.version)
        with pytest.raises(ServiceError, match=r"^Already approved by Mod Ada\.$"):
            decide(db.session.get(Member, bo.id), item.id, Decision("hide"), seen_version=stale.version)
    assert decision_events(item) == ["approve"]
    assert refreshed(item.post).status == ContentStatus.VISIBLE
    assert len(db.session.scalars(select(AuditEvent)).all()) == 1


def _decide_in_own_app(
    app: Flask, moderator_id: int, item_id: int, decision: Decision, barrier: threading.Barrier, outcomes: dict
) -> None:
    """One moderator's request on an engine of its own, waiting at the barrier just before its UPDATE."""
    with app.test_request_context():
        waited = False

        def wait_before_update(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
            nonlocal waited
            if not waited and statement.lstrip().upper().startswith("UPDATE REVIEW_ITEMS"):
                waited = True
                barrier.wait(timeout=20)

        event.listen(db.engine, "before_cursor_execute", wait_before_update)
        try:
            decide(db.session.get(Member, moderator_id), item_id, decision)
            outcomes[moderator_id] = "decided"
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails on anything unexpected
            outcomes[moderator_id] = getattr(error, "message", repr(error))
        finally:
            db.session.remove()
            db.engine.dispose()


def test_two_moderators_at_once_record_one_decision(app, database_url, item):
    """Two moderators deciding the same item in concurrent transactions: one decision, the other told who won."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (set TEST_DATABASE_URL): SQLite serialises writers")
    ada = make_member(display_name="Mod Ada", role=Role.MODERATOR)
    bo = make_member(display_name="Mod Bo", role=Role.MODERATOR)
    decisions = {ada.id: Decision("approve"), bo.id: Decision("hide", "Not suitable")}
    barrier, outcomes = threading.Barrier(2), {}
    threads = [
        threading.Thread(
            target=_decide_in_own_app,
            args=(create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url}), mid, item.id, d, barrier, outcomes),
        )
        for mid, d in decisions.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    item = refreshed(item)
    winner = {ada.id: ada, bo.id: bo}[item.decided_by_id]
    loser_id = bo.id if winner is ada else ada.id
    assert outcomes[winner.id] == "decided"
    verb = {ReviewStatus.APPROVED: "approved", ReviewStatus.HIDDEN: "hidden"}[item.status]
    assert outcomes[loser_id] == f"Already {verb} by {winner.display_name}."
    assert decision_events(item) == [decisions[winner.id].action]
    assert len(db.session.scalars(select(AuditEvent)).all()) == 1
    assert_counters_exact()


# Navigation and page cost


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        (None, None),
        ("member", None),
        ("mentor", None),
        ("moderator", "Review queue 2 open"),
        ("staff", "Review queue 2 open"),
        ("admin", "Review queue 2 open"),
        ("moderator of another group", "Review queue"),
    ],
)
def test_nav_shows_open_items_to_moderators_only(app, group, topic, who, shown):
    """The navigation shows the open-item count to the moderation team (within their scope), to nobody else."""
    held_reply(newcomer_in(group), topic)
    open_item(flagged_post(topic))
    member = None
    if who is not None:
        member = make_member(role=Role(who.split()[0]))
        if who.endswith("another group"):
            db.session.add(ModeratorScope(member_id=member.id, group_id=make_group().id))
            db.session.commit()
    link = soup(browser(app, member).get("/guidelines")).find("a", href="/mod/queue")
    assert (link and " ".join(link.get_text(" ").split())) == shown


def queue_statements(app: Flask, client, count_queries) -> int:  # noqa: ANN001
    """The SQL statements one GET of the queue runs."""
    with app.app_context(), count_queries() as counter:
        response = client.get("/mod/queue")
    assert response.status_code == 200
    return len(counter)


def add_queue_items(group: Group, topic: Topic, pairs: int) -> None:
    """`pairs` held posts and `pairs` flagged posts, each by a different author, each flagged by someone new."""
    for _ in range(pairs):
        held_reply(newcomer_in(group), topic)
        flagged_post(topic, flags=2)


def test_queue_runs_a_fixed_number_of_statements(app, mod, group, topic, count_queries):
    """The queue page runs as many SQL statements for eight items as for two."""
    add_queue_items(group, topic, 1)
    mod.get("/mod/queue")  # warm up
    few = queue_statements(app, mod, count_queries)
    add_queue_items(group, topic, 3)
    assert len(queue_ids(mod.get("/mod/queue"))) == 8
    assert queue_statements(app, mod, count_queries) == few


# Who may see the queue


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MENTOR])
def test_members_get_403_from_the_queue(app, role):
    """Members and mentors are refused the queue."""
    assert browser(app, make_member(role=role)).get("/mod/queue").status_code == 403


def test_visitors_are_sent_to_login_from_the_queue(client):
    """Visitors are sent to the sign-in page."""
    response = client.get("/mod/queue")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
