"""An admin resets another member's second factor: reason required, audit-logged, the member e-mailed."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Role
from app.models.two_factor import TotpSecret
from tests.factories import PASSWORD, make_member
from tests.members.two_factor_support import enrol
from tests.support import audit_events, outbox, soup


def _reset(client, member, reason: str):  # noqa: ANN001, ANN202
    return client.post_form(f"/mod/members/{member.id}/two-factor/reset", {"reset-reason": reason})


def test_admin_sees_the_reset_form_on_the_members_page(client, login_as) -> None:
    """The admin's view of a member with two-factor on offers the reset, with a reason field."""
    member = make_member()
    enrol(member)
    login_as(make_member(role=Role.ADMIN))
    html = soup(client.get(f"/mod/members/{member.id}"))
    form = html.select_one(f"form[action='/mod/members/{member.id}/two-factor/reset']")
    assert form is not None and form.select_one("textarea[name='reset-reason']") is not None


def test_reset_needs_a_reason(client, login_as) -> None:
    """Without a reason nothing changes, nothing is logged and no mail goes out; the field says why."""
    member = make_member()
    enrol(member)
    login_as(make_member(role=Role.ADMIN))
    before = len(audit_events())
    response = _reset(client, member, "   ")
    assert response.status_code == 422
    assert "Say why" in soup(response).select_one("#reset-reason-error").get_text()
    assert db.session.get(TotpSecret, member.id) is not None
    assert len(audit_events()) == before
    assert outbox(member.email) == []


def test_reset_removes_the_factor_logs_the_reason_and_mails_the_member(client, login_as, app) -> None:
    """The reset takes the factor away, writes the audit event with the reason and e-mails the member."""
    member = make_member()
    enrol(member)
    admin = make_member(role=Role.ADMIN)
    login_as(admin)
    response = _reset(client, member, "Lost phone and codes; identity checked by phone call")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TotpSecret, member.id) is None
    event = audit_events()[-1]
    assert (event.action, event.actor_id, event.target_id) == ("reset_two_factor", admin.id, member.id)
    assert event.reason == "Lost phone and codes; identity checked by phone call"
    mails = outbox(member.email)
    assert len(mails) == 1 and "two-factor" in mails[0].subject
    assert "/account/two-factor" in mails[0].body_text
    other = app.test_client()
    signed = other.post_form("/login", {"email": member.email, "password": PASSWORD})
    assert not signed.location.endswith("/login/two-factor")


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.STAFF])
def test_only_admins_may_reset(client, login_as, role: Role) -> None:
    """Moderators and staff are refused, and the factor stays."""
    member = make_member()
    enrol(member)
    login_as(make_member(role=role))
    assert _reset(client, member, "Please").status_code == 403
    assert db.session.get(TotpSecret, member.id) is not None


def test_admin_cannot_reset_their_own(client, login_as) -> None:
    """An admin's own factor is turned off with their password and a code, on their account page."""
    admin = make_member(role=Role.ADMIN)
    enrol(admin)
    login_as(admin)
    assert _reset(client, admin, "Testing").status_code == 403
    assert db.session.get(TotpSecret, admin.id) is not None
