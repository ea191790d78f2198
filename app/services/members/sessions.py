"""The member's signed-in browsers: listing them, signing one or all others out, and the new-browser notice."""

from __future__ import annotations

from sqlalchemy import delete, select

from app import permissions
from app.database.dml import rows_matched
from app.extensions import db
from app.models import LoginSession, Member
from app.models.base import utcnow
from app.services import ServiceError
from app.services.members import account_mail
from app.services.members.accounts import SESSION_IDLE_LIMIT


def member_sessions(member: Member) -> list[LoginSession]:
    """The member's browsers that are still signed in, the most recently used first."""
    alive_since = utcnow() - SESSION_IDLE_LIMIT
    return list(
        db.session.scalars(
            select(LoginSession)
            .where(LoginSession.member_id == member.id, LoginSession.last_used_at >= alive_since)
            .order_by(LoginSession.last_used_at.desc(), LoginSession.id.desc())
        )
    )


def login_session_or_none(session_id: int) -> LoginSession | None:
    """The signed-in browser with this id, whoever's it is (the caller asks the permissions)."""
    if not 0 < session_id < 2**31:
        return None
    return db.session.get(LoginSession, session_id)


def end_login_session(member: Member, target: LoginSession) -> None:
    """Sign one of the member's browsers out: its cookie stops working at its next request."""
    reason = permissions.why_not(member, "end_login_session", target)
    if reason is not None:
        raise ServiceError(str(reason))
    db.session.execute(delete(LoginSession).where(LoginSession.id == target.id))
    db.session.commit()


def delete_other_sessions(member: Member) -> int:
    """Delete every session of the member but this browser's, in the caller's transaction; how many ended."""
    this_browser = member.current_login_session
    assert this_browser is not None  # only a signed-in member ends their other sessions
    return rows_matched(
        delete(LoginSession).where(LoginSession.member_id == member.id, LoginSession.id != this_browser.id)
    )


def end_other_sessions(member: Member) -> int:
    """ "Sign out everywhere else": only this browser stays signed in; returns how many were signed out."""
    ended = delete_other_sessions(member)
    db.session.commit()
    return ended


def notify_new_browser(member: Member, login_session: LoginSession) -> None:
    """Tell the member that their account was just signed in to from a browser it had not been used in before."""
    account_mail.queue_new_sign_in_notice(member, login_session)
    db.session.commit()
