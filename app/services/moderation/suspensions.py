"""Suspending members (they keep read access) and lifting suspensions."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime, lazy_gettext
from flask_babel import gettext as _

from app import permissions
from app.extensions import db
from app.models import Member, MemberStatus
from app.models.base import utcnow
from app.services import Checks, ServiceError
from app.services.common.audit import audit, notify
from app.services.moderation.notices import ends_sentence
from app.services.moderation.queue import REASON_MAX


class _SuspensionEnd:
    """The last day of a suspension, written out when the notice is: in the recipient's language and time zone."""

    def __init__(self, until: datetime) -> None:
        self.until = until

    def __str__(self) -> str:
        return str(format_datetime(self.until, "dd MMMM y"))


def _suspension_notice(until: datetime | None, reason: str) -> str:
    ended = ends_sentence(reason)  # the reason as typed, given its full stop when it has none
    if until is None and ended:
        return lazy_gettext("Your account is suspended: %(reason)s", reason=reason)
    if until is None:
        return lazy_gettext("Your account is suspended: %(reason)s.", reason=reason)
    if ended:
        return lazy_gettext(
            "Your account is suspended until %(date)s: %(reason)s", date=_SuspensionEnd(until), reason=reason
        )
    return lazy_gettext(
        "Your account is suspended until %(date)s: %(reason)s.", date=_SuspensionEnd(until), reason=reason
    )


def _check_reason(reason: str) -> None:
    if not reason:
        raise ServiceError(_("Please give a reason: the member will see it."), "reason")
    if len(reason) > REASON_MAX or "\x00" in reason:
        raise ServiceError(_("Keep the reason under %(limit)d characters.", limit=REASON_MAX), "reason")


def suspend(moderator: Member, member: Member, reason: str, until: datetime | None = None) -> None:
    """Suspend until a date, or indefinitely; the reason is shown to the member."""
    permissions.ensure(moderator, "act_on_member", member)
    reason = (reason or "").strip()
    checks = Checks()  # the reason's problem and the date's at once
    checks.run(lambda: _check_reason(reason), None)
    if until is not None and until <= utcnow():
        checks.errors.append(ServiceError(_("The end of the suspension must be in the future."), "until"))
    checks.settle()
    before = {"status": member.status.value}
    member.status = MemberStatus.SUSPENDED
    member.suspended_until = until
    member.suspension_reason = reason
    notify(member.id, "suspended", _suspension_notice(until, reason))
    audit(
        moderator,
        "suspend_member",
        member,
        reason=reason,
        before=before,
        after={"status": "suspended", "until": until.isoformat() if until else None},
    )
    db.session.commit()


def lift_suspension(moderator: Member, member: Member, reason: str = "") -> None:
    """End a suspension early."""
    permissions.ensure(moderator, "act_on_member", member)
    if member.status != MemberStatus.SUSPENDED:
        raise ServiceError(_("This member is not suspended."))
    member.status = MemberStatus.ACTIVE
    member.suspended_until = None
    member.suspension_reason = None
    notify(member.id, "suspension_lifted", lazy_gettext("Your suspension has been lifted. Welcome back."))
    audit(
        moderator,
        "lift_suspension",
        member,
        reason=(reason or "").strip()[:REASON_MAX],
        before={"status": "suspended"},
        after={"status": "active"},
    )
    db.session.commit()
