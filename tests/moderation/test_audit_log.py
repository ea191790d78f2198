"""The append-only audit log: one event per decision, with who, what, target, why and before/after; the
/mod/log page lists and filters them; nothing can change or remove an event."""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import db
from app.models import AuditEvent, Group, ReviewItem, Role, Topic
from tests.factories import flagged_post, held_reply, make_group, make_member, make_topic, newcomer_in
from tests.support import audit_events, browser, decide_on_page, open_item, page_text, refreshed, soup


def item_of_kind(kind: str, group: Group, topic: Topic) -> ReviewItem:
    """An open item: a newcomer's held reply, or a published post flagged once."""
    if kind == "held":
        return held_reply(newcomer_in(group), topic)
    return open_item(flagged_post(topic))


DECISIONS = [
    # kind of item, decision, reason typed, post status before and after
    ("held", "approve", "", "pending", "visible"),
    ("held", "reject", "Please remove the shop link.", "pending", "rejected"),
    ("held", "hide", "Off-topic", "pending", "hidden"),
    ("flagged", "approve", "Fine as it is", "visible", "visible"),
    ("flagged", "reject", "Medical misinformation", "visible", "rejected"),
    ("flagged", "hide", "", "visible", "hidden"),
    ("flagged", "dismiss", "The flags were unfounded", "visible", "visible"),
]


# What a decision writes


@pytest.mark.parametrize(("kind", "action", "note", "status_before", "status_after"), DECISIONS)
def test_decision_writes_one_event_naming_who_what_and_why(
    mod, moderator, group, topic, kind, action, note, status_before, status_after
):
    """Each decision writes exactly one audit event with actor, action, target, group and reason."""
    item = item_of_kind(kind, group, topic)
    before = len(audit_events())
    decide_on_page(mod, item, action, note=note)
    events = audit_events()
    assert len(events) == before + 1
    event = events[-1]
    assert (event.actor_id, event.action, event.target_type, event.target_id, event.group_id, event.reason) == (
        moderator.id,
        f"review_{action}",
        "post",
        item.post_id,
        group.id,
        note,
    )
    assert event.created_at is not None


@pytest.mark.parametrize(("kind", "action", "note", "status_before", "status_after"), DECISIONS)
def test_decision_event_records_before_and_after(mod, group, topic, kind, action, note, status_before, status_after):
    """Each decision's audit event records the post's status before and after (no text when it was not edited)."""
    item = item_of_kind(kind, group, topic)
    decide_on_page(mod, item, action, note=note)
    event = audit_events()[-1]
    assert (event.before, event.after) == (
        {"status": status_before, "raw": None},
        {"status": status_after, "raw": None},
    )


def test_guideline_and_reason_are_logged_together(mod, group, topic):
    """A rejection logs the guideline chosen and the moderator's words as its reason."""
    item = item_of_kind("held", group, topic)
    decide_on_page(mod, item, "reject", guideline="No selling or promotion", note="Please remove the shop link.")
    assert audit_events()[-1].reason == "No selling or promotion: Please remove the shop link."


def test_edit_then_approve_logs_the_text_before_and_after(mod, moderator, group, topic):
    """Edit-then-approve logs one event holding the author's text and the moderator's text."""
    item = held_reply(newcomer_in(group), topic, "Call me on 0123 456 7890 for cheap pills.")
    mod.post_form(f"/mod/items/{item.id}/edit", {"body": "Removed by a moderator.", "note": "Removed a phone number"})
    (event,) = audit_events()
    assert (event.actor_id, event.action, event.reason) == (moderator.id, "review_approve", "Removed a phone number")
    assert event.before == {"status": "pending", "raw": "Call me on 0123 456 7890 for cheap pills."}
    assert event.after == {"status": "visible", "raw": "Removed by a moderator."}


def test_bulk_writes_one_event_per_decided_item(mod, moderator, group, topic, bulk_on_page):
    """A bulk decision writes one event for each item it decided, and none for items it could not decide."""
    items = [held_reply(newcomer_in(group), topic) for _ in range(3)]
    bulk_on_page(mod, [items[0].id, items[2].id, 999_999], "reject", note="Not for this group.")
    events = audit_events()
    assert sorted(e.target_id for e in events) == sorted([items[0].post_id, items[2].post_id])
    assert {(e.actor_id, e.action, e.reason) for e in events} == {
        (moderator.id, "review_reject", "Not for this group.")
    }


REFUSED = {
    "empty rejection reason": {"action": "reject", "note": "  "},
    "stale version": {"action": "approve", "version": 0},
    "unknown decision": {"action": "erase"},
    "dismissing a held post": {"action": "dismiss"},
}


@pytest.mark.parametrize("refusal", REFUSED.values(), ids=REFUSED.keys())
def test_refused_decision_writes_no_event(mod, group, topic, refusal):
    """A refused decision leaves the audit log as it was."""
    item = item_of_kind("held", group, topic)
    decide_on_page(mod, item, **refusal)
    assert audit_events() == []


def test_second_decision_on_a_decided_item_writes_no_event(app, mod, group, topic):
    """Only the first of two decisions on an item is logged."""
    item = item_of_kind("held", group, topic)
    decide_on_page(browser(app, make_member(display_name="Mod Bo", role=Role.MODERATOR)), item, "approve")
    decide_on_page(mod, item, "hide", version=refreshed(item).version)
    assert [e.actor.display_name for e in audit_events()] == ["Mod Bo"]


# The log page


def log_rows(response) -> list[tuple[str, ...]]:  # noqa: ANN001
    """The log table's rows, newest first, as (who, action, target, reason)."""
    rows = []
    for tr in soup(response).select("table tbody tr"):
        cells = [" ".join(td.get_text(" ").split()) for td in tr.find_all("td")]
        rows.append((cells[1], cells[2], cells[3], cells[4]))
    return rows


@pytest.fixture
def three_decisions(app: Flask, group: Group, topic: Topic) -> dict[str, object]:
    """Ada approves in Heart health, Bo rejects in Cancer, Ada hides in Cancer (in that order)."""
    cancer = make_group(name="Cancer")
    cancer_topic = make_topic(group=cancer)
    ada = make_member(display_name="Mod Ada", role=Role.MODERATOR)
    bo = make_member(display_name="Mod Bo", role=Role.MODERATOR)
    heart_item = item_of_kind("held", group, topic)
    reject_item = item_of_kind("held", cancer, cancer_topic)
    hide_item = item_of_kind("flagged", cancer, cancer_topic)
    ada_browser = browser(app, ada)
    decide_on_page(ada_browser, heart_item, "approve", note="Welcome")
    decide_on_page(browser(app, bo), reject_item, "reject", note="Selling")
    decide_on_page(ada_browser, hide_item, "hide", note="Rude")
    return {
        "browser": ada_browser,
        "Heart health": group.id,
        "Cancer": cancer.id,
        "Mod Ada": ada.id,
        "Mod Bo": bo.id,
        "rows": {
            "approve": ("Mod Ada", "review approve", f"post {heart_item.post_id}", "Welcome"),
            "reject": ("Mod Bo", "review reject", f"post {reject_item.post_id}", "Selling"),
            "hide": ("Mod Ada", "review hide", f"post {hide_item.post_id}", "Rude"),
        },
    }


def test_log_lists_decisions_newest_first(three_decisions):
    """The log lists every decision, newest first, with who, what, which post and why."""
    rows = three_decisions["rows"]
    response = three_decisions["browser"].get("/mod/log")
    assert response.status_code == 200
    assert log_rows(response) == [rows["hide"], rows["reject"], rows["approve"]]


def test_log_links_each_post(three_decisions):
    """Each entry links to the post it is about."""
    response = three_decisions["browser"].get("/mod/log")
    targets = [a["href"] for a in soup(response).select("table tbody a[href^='/p/']")]
    assert targets == [f"/p/{row[2].removeprefix('post ')}" for row in log_rows(response)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"action": "review_reject"}, ["reject"]),
        ({"action": "review_approve"}, ["approve"]),
        ({"group": "Heart health"}, ["approve"]),
        ({"group": "Cancer"}, ["hide", "reject"]),
        ({"actor": "Mod Ada"}, ["hide", "approve"]),
        ({"actor": "Mod Bo"}, ["reject"]),
        ({"actor": "Mod Ada", "group": "Cancer"}, ["hide"]),
        ({"actor": "Mod Bo", "action": "review_hide"}, []),
        ({"action": "no_such_action"}, []),
    ],
)
def test_log_filters_by_action_group_and_actor(three_decisions, filters, expected):
    """The action, group and actor filters narrow the log, and combine."""
    params = {name: three_decisions.get(value, value) for name, value in filters.items()}
    response = three_decisions["browser"].get("/mod/log", query_string=params)
    assert log_rows(response) == [three_decisions["rows"][name] for name in expected]


def test_log_offers_the_actions_it_holds(three_decisions):
    """The action filter offers exactly the actions the log holds."""
    response = three_decisions["browser"].get("/mod/log")
    options = [o["value"] for o in soup(response).select("select[name=action] option") if o["value"]]
    assert options == ["review_approve", "review_hide", "review_reject"]


def test_log_shows_text_before_and_after_an_edit(mod, group, topic):
    """An edit-then-approve entry shows the text before and after."""
    item = held_reply(newcomer_in(group), topic, "Buy my tea at tea-shop.com")
    mod.post_form(f"/mod/items/{item.id}/edit", {"body": "Green tea helps me.", "note": "Removed an advert"})
    text = page_text(mod.get("/mod/log"))
    assert "Before: Status: pending Text: Buy my tea at tea-shop.com" in text
    assert "After: Status: visible Text: Green tea helps me." in text


# Append-only


def one_event(mod, group: Group, topic: Topic) -> AuditEvent:  # noqa: ANN001
    """The audit event of one approval."""
    decide_on_page(mod, item_of_kind("held", group, topic), "approve", note="Welcome")
    (event,) = audit_events()
    return event


def test_audit_event_cannot_be_updated(mod, group, topic):
    """Changing an audit event through the ORM raises, and the event stays as written."""
    event = one_event(mod, group, topic)
    event.reason = "Nothing to see here"
    with pytest.raises(PermissionError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert [e.reason for e in audit_events()] == ["Welcome"]


def test_audit_event_cannot_be_deleted(mod, group, topic):
    """Deleting an audit event through the ORM raises, and the event stays."""
    db.session.delete(one_event(mod, group, topic))
    with pytest.raises(PermissionError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert len(audit_events()) == 1


def test_no_route_edits_or_deletes_the_log(app):
    """The log is served read-only: its URLs answer GET only, and no /mod URL edits or deletes log entries."""
    log_rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/mod/log")]
    assert [r.endpoint for r in log_rules] == ["mod.log"]
    assert log_rules[0].methods <= {"GET", "HEAD", "OPTIONS"}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/mod/") and ("log" in rule.rule or "audit" in rule.rule):
            assert not {"edit", "delete", "update", "remove"} & set(rule.rule.replace("-", "/").split("/"))


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_log_refuses_writes(mod, group, topic, method):
    """Writing to /mod/log is not allowed, and the log stays as it was."""
    one_event(mod, group, topic)
    response = mod.open("/mod/log", method=method)
    assert response.status_code == 405
    assert [e.reason for e in audit_events()] == ["Welcome"]


# Who may read the log


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MENTOR])
def test_members_get_403_from_the_log(app, role):
    """Members and mentors are refused the log."""
    assert browser(app, make_member(role=role)).get("/mod/log").status_code == 403


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.STAFF, Role.ADMIN])
def test_moderation_team_reads_the_log(app, role):
    """Moderators, staff and admins can read the log."""
    assert browser(app, make_member(role=role)).get("/mod/log").status_code == 200


def test_visitors_are_sent_to_login_from_the_log(client):
    """Visitors are sent to the sign-in page, coming back to the log afterwards."""
    response = client.get("/mod/log")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
