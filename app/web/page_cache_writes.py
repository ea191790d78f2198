"""Which commits move the page cache's versions on: any write a visitor may see moves both audiences' versions,
a write only its own member sees (notifications, sign-ins) moves the members' one, and rows no page shows move none.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

# Rows no page shows: writing them leaves every cached page as it is (an audit event comes with a visible write).
# Read positions show only on their own member's pages, which depend on the browser's read stamp instead
# (app/web/page_cache.py): a member reading a topic must not drop everyone's cached pages. Mentors' welcomes and
# check-ins show only on /mentor, which is never cached.
UNSHOWN_TABLES = frozenset({"login_throttles", "audit_events", "topic_reads", "welcomes", "check_ins"})
# Rows only their own member's pages reflect: writing them moves the members' version on, not the visitors'.
# Rows only their own member's pages reflect (bookmarks and drafts are private): writing them moves the members'
# version on, not the visitors'.
PERSONAL_TABLES = frozenset({"login_sessions", "notifications", "bookmarks", "drafts"})
# Touched on sign-in, every few minutes of activity and at each confirmation of the password; shown nowhere cached.
UNSHOWN_COLUMNS = frozenset({"members.last_seen_at", "login_sessions.last_used_at", "login_sessions.confirmed_at"})
VISITORS, MEMBERS = "visitors", "members"


def watch_writes() -> None:
    """Note in the session what a flush wrote; move the versions on once its transaction commits."""
    if event.contains(Session, "after_flush", _after_flush):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _after_statement)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", _after_rollback)


def _after_flush(session: Session, flush_context: object) -> None:
    added_or_deleted = [*session.new, *session.deleted]
    changed = [instance for instance in session.dirty if _changed_columns(instance) - UNSHOWN_COLUMNS]
    for instance in (*added_or_deleted, *changed):
        _note_write(session, getattr(instance, "__tablename__", None))


def _changed_columns(instance: object) -> set[str]:
    """ "table.column" of each attribute this flush changes (still readable: after_flush sees the old history)."""
    state = inspect(instance)
    table = getattr(instance, "__tablename__", "")
    return {f"{table}.{attr.key}" for attr in state.attrs if attr.history.has_changes()}


def _after_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:  # bulk statements, which flush events don't see
        _note_write(state.session, getattr(getattr(state.statement, "table", None), "name", None))


def _note_write(session: Session, table: str | None) -> None:
    """Remember the widest audience this transaction's writes concern: VISITORS (everyone) beats MEMBERS."""
    if table in UNSHOWN_TABLES or session.info.get("kindred_wrote") == VISITORS:
        return
    session.info["kindred_wrote"] = MEMBERS if table in PERSONAL_TABLES else VISITORS


def _after_commit(session: Session) -> None:
    wrote = session.info.pop("kindred_wrote", None)
    if wrote is None:
        return
    cache = current_app.extensions.get("kindred_page_cache") if has_app_context() else None
    if cache is not None:
        cache.bump(visible=wrote == VISITORS)


def _after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: nothing it marked was kept
        session.info.pop("kindred_wrote", None)
