"""The staff's webhook pages: list, add, change, test, delete; the delivery log; refused input; audit log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, DeliveryStatus, Role, Webhook, WebhookDelivery
from tests.conftest import FormClient
from tests.factories import make_member
from tests.support import STAFF_ONLY, browser, count_rows, page_text, soup, staff_page_executable_markup
from tests.webhooks.conftest import SECRET, make_webhook
from tests.webhooks.receiver import Receiver, signature_ok

ROLES = {"visitor": None, "member": Role.MEMBER, "mentor": Role.MENTOR, "moderator": Role.MODERATOR,
         "staff": Role.STAFF, "admin": Role.ADMIN}  # fmt: skip
HOSTILE = Path(__file__).resolve().parents[3] / "shared" / "data" / "hostile-inputs.txt"


def _add(client: FormClient, url: str, secret: str = SECRET, events: list[str] | None = None):  # noqa: ANN202
    return client.post_form("/staff/webhooks", {"url": url, "secret": secret, "events": events or []})


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_reach_the_webhook_pages(app: Flask, role: str) -> None:
    """Visitors are sent to sign in; members, mentors and moderators are refused; staff and admins see the pages."""
    webhook = make_webhook("https://hooks.example.org/kindred")
    client = browser(app, make_member(role=ROLES[role]) if ROLES[role] else None)
    for path in ("/staff/webhooks", f"/staff/webhooks/{webhook.id}"):
        response = client.get(path)
        if STAFF_ONLY[role]:
            assert response.status_code == 200
        else:
            assert response.status_code == (302 if role == "visitor" else 403)
    response = client.post_form(f"/staff/webhooks/{webhook.id}/delete")
    assert (count_rows(Webhook) == 0) is STAFF_ONLY[role]


def test_staff_add_a_webhook_and_it_is_audited(app: Flask, staff: FormClient, staff_member) -> None:  # noqa: ANN001
    """Adding stores the address, secret and events, shows the page without the secret, and writes the audit log
    with the address's host only."""
    response = _add(staff, "https://hooks.example.org/secret-path", events=["topic.created", "event.created"])
    assert response.status_code == 302
    webhook = db.session.scalar(select(Webhook))
    assert (webhook.url, webhook.secret, webhook.events) == (
        "https://hooks.example.org/secret-path",
        SECRET,
        ["topic.created", "event.created"],
    )
    page = staff.get(response.location)
    assert SECRET not in page.get_data(as_text=True)
    assert "A secret is set" in page_text(page)
    assert [box["value"] for box in soup(page).select("input[name=events][checked]")] == [
        "topic.created",
        "event.created",
    ]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create_webhook"))
    assert event.actor_id == staff_member.id and event.target_id == webhook.id
    assert event.after == {"host": "hooks.example.org", "events": ["topic.created", "event.created"]}
    assert SECRET not in json.dumps([event.before, event.after])


def test_editing_keeps_the_secret_unless_a_new_one_is_typed(app: Flask, staff: FormClient) -> None:
    """An empty secret box keeps the secret; a new one replaces it; both changes are audited."""
    webhook = make_webhook("https://hooks.example.org/a")
    path = f"/staff/webhooks/{webhook.id}"
    assert staff.post_form(path, {"url": "https://hooks.example.org/b", "secret": ""}).status_code == 302
    db.session.refresh(webhook)
    assert (webhook.url, webhook.secret, webhook.events) == ("https://hooks.example.org/b", SECRET, [])
    assert staff.post_form(path, {"url": webhook.url, "secret": "a-brand-new-secret-value"}).status_code == 302
    db.session.refresh(webhook)
    assert webhook.secret == "a-brand-new-secret-value"
    edits = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "edit_webhook")).all()
    assert [e.after["secret_replaced"] for e in edits] == [False, True]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"url": ""}, "url", "web address"),
        ({"url": "javascript:alert(1)"}, "url", "http:// or https://"),
        ({"url": "https://user:pw@hooks.example.org/"}, "url", "user name or password"),
        ({"url": "https://127.0.0.1/hook"}, "url", "private network"),
        ({"url": "https://[::ffff:10.0.0.1]/hook"}, "url", "private network"),
        ({"url": "http://169.254.169.254/latest/meta-data/"}, "url", "private network"),
        ({"url": "https://localhost:8080/"}, "url", "private network"),
        ({"url": "https://localhost.localdomain/"}, "url", "private network"),
        ({"url": "https://hooks.example.org/\r\nX-Evil: 1"}, "url", "spaces or control characters"),
        ({"secret": "short"}, "secret", "16 to 200 characters"),
        ({"secret": "x" * 201}, "secret", "16 to 200 characters"),
        ({"secret": "has a space in it, sixteen+"}, "secret", "spaces"),
        ({"events": ["topic.created", "member.deleted"]}, "events", "Choose events from the list."),
    ],
)
def test_bad_input_is_refused_beside_its_field(
    app: Flask, staff: FormClient, fields: dict, field: str, message: str
) -> None:
    """Each bad value gets a clear message next to its field, status 422, and nothing is stored."""
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    data = {"url": "https://hooks.example.org/kindred", "secret": SECRET, "events": [], **fields}
    response = staff.post_form("/staff/webhooks", data)
    assert response.status_code == 422
    error = soup(response).select_one(f"#{field}-error")
    assert error is not None and message in error.get_text()
    assert count_rows(Webhook) == 0


def test_production_refuses_plain_http(app: Flask, staff: FormClient) -> None:
    """Outside development and testing, a webhook address must use https."""
    app.config["KINDRED_ENV"] = "production"
    response = _add(staff, "http://hooks.example.org/kindred")
    assert response.status_code == 422
    assert "must start with https://" in soup(response).select_one("#url-error").get_text()


def test_hostile_inputs_never_break_the_pages(app: Flask, staff: FormClient) -> None:
    """Every line of the shared hostile-input corpus, in every field: never a server error, nothing executable on
    the pages that show it, and stored faithfully or refused with status 422."""
    if not HOSTILE.is_file():
        pytest.fail(f"{HOSTILE} is missing: the shared/ folder must sit beside the repository", pytrace=False)
    lines = [line for line in HOSTILE.read_text(encoding="utf-8").split("\n") if line]
    for line in lines:
        for data in (
            {"url": f"https://hooks.example.org/{line}", "secret": SECRET},
            {"url": line, "secret": SECRET},
            {"url": "https://hooks.example.org/", "secret": line},
            {"url": "https://hooks.example.org/", "secret": SECRET, "events": [line]},
        ):
            response = staff.post_form("/staff/webhooks", data)
            assert response.status_code in (302, 422), (line, response.status_code)
            if response.status_code == 302:
                page = staff.get(response.location)
                assert page.status_code == 200
                assert staff_page_executable_markup(soup(page)) == []
    listing = staff.get("/staff/webhooks")
    assert listing.status_code == 200 and staff_page_executable_markup(soup(listing)) == []


def test_send_a_test_reaches_the_receiver_and_shows_in_the_log(
    app: Flask, staff: FormClient, receiver: Receiver
) -> None:
    """The "Send a test" button sends a signed `webhook.test` at once, whatever events were chosen; the page's log
    shows the delivery with its status, attempts and the receiver's answer."""
    webhook = make_webhook(receiver.url, events=["announcement.published"])
    page = staff.get(f"/staff/webhooks/{webhook.id}")
    assert soup(page).find("button", string="Send a test") is not None
    response = staff.post_form(f"/staff/webhooks/{webhook.id}/test")
    assert response.status_code == 302
    (request,) = receiver.received
    assert request.headers["X-Kindred-Event"] == "webhook.test"
    assert signature_ok(SECRET, request.headers, request.body)
    log = staff.get(response.location)
    assert "The test was delivered." in page_text(log)
    (row,) = soup(log).select("table tbody tr")
    cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
    assert cells[1] == "webhook.test" and cells[2].startswith("Delivered") and cells[4] == "1"
    assert cells[5] == "HTTP 200"
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "test_webhook"))


def test_a_failed_test_says_so_and_waits_to_retry(app: Flask, staff: FormClient, receiver: Receiver) -> None:
    """A receiver that answers 503 leaves the test waiting for its retry, with the code in the log."""
    receiver.status = 503
    webhook = make_webhook(receiver.url)
    response = staff.post_form(f"/staff/webhooks/{webhook.id}/test")
    log = staff.get(response.location)
    assert "could not be delivered" in page_text(log)
    (row,) = soup(log).select("table tbody tr")
    assert "Waiting to retry" in row.get_text(" ") and "HTTP 503" in row.get_text(" ")
    assert db.session.scalar(select(WebhookDelivery.status)) == DeliveryStatus.QUEUED


def test_deleting_removes_the_webhook_and_its_log(app: Flask, staff: FormClient, receiver: Receiver) -> None:
    """Delete removes the webhook and its deliveries, and is audited."""
    webhook_id = make_webhook(receiver.url).id
    staff.post_form(f"/staff/webhooks/{webhook_id}/test")
    assert staff.post_form(f"/staff/webhooks/{webhook_id}/delete").status_code == 302
    assert count_rows(Webhook) == count_rows(WebhookDelivery) == 0
    assert db.session.scalar(select(AuditEvent.before).where(AuditEvent.action == "delete_webhook")) == {
        "host": "127.0.0.1",
        "events": [],
    }
    assert staff.get(f"/staff/webhooks/{webhook_id}").status_code == 404


def test_the_moderation_log_names_webhook_changes(app: Flask, staff: FormClient) -> None:
    """Staff changes to webhooks read as such in the moderation log, without the address's path."""
    assert _add(staff, "https://hooks.example.org/very-secret-path").status_code == 302
    log = staff.get("/mod/log")
    assert log.status_code == 200
    assert "add webhook" in page_text(log)
    assert "very-secret-path" not in log.get_data(as_text=True)
