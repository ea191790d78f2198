"""Read replicas: page views that only read go to `DATABASE_REPLICA_URL`; every write goes to the primary.

The rule lives in one place, the session's `get_bind`, so views and services need not know a replica exists:

- a SELECT is sent to the replica when the request is a GET or HEAD of an endpoint that does not write, nothing in
  this request has written yet, and this browser has not posted in the last few seconds;
- everything else (INSERT/UPDATE/DELETE, the ORM's flushes, raw SQL, SELECT ... FOR UPDATE, CLI commands, POSTs)
  goes to the primary. The first write in a request sends its later reads to the primary too (read your writes).

After a POST the browser reads from the primary for `DATABASE_REPLICA_STICKY_SECONDS`, so the page it is
redirected to shows what it just wrote even when the replica lags behind. Signed-in sessions are looked up on the
primary (`on_primary()`): a session created a moment ago may not have reached the replica yet. When that lookup
records the session's last-used time (every few minutes), the rest of that one request reads the primary too.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context, has_request_context, request, session
from flask_sqlalchemy.session import Session
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select
from sqlalchemy.sql.selectable import CompoundSelect

EXTENSION = "kindred_replica"  # app.extensions key of the replica engine
READ_METHODS = frozenset({"GET", "HEAD"})
STICKY_KEY = "_primary_until"
# GET endpoints that write as they answer: they read what they are about to change from the primary.
# E-mail links (account.*) read the state their token is bound to, which may have changed a moment ago.
WRITES_ON_GET = frozenset({"members.open_notification", "account.verify_email", "account.confirm_email"})


def register(app: Flask) -> None:
    """Open the replica's engine (same pool settings as the primary's), and after a write request keep this
    browser on the primary for a few seconds. Nothing happens without DATABASE_REPLICA_URL.

    The engine is the app's own, not a Flask-SQLAlchemy bind: create_all(), migrations and other apps in the same
    process never see it.
    """
    url = app.config.get("DATABASE_REPLICA_URL")
    if not url:
        return
    app.extensions[EXTENSION] = create_engine(url, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))

    @app.after_request
    def stick_to_primary(response: Response) -> Response:
        if request.method not in READ_METHODS and request.method != "OPTIONS":
            session[STICKY_KEY] = int(time.time()) + app.config["DATABASE_REPLICA_STICKY_SECONDS"]
        return response


def replica_engine() -> Engine | None:
    """The current app's replica engine, or None when it has no replica (or there is no app)."""
    return current_app.extensions.get(EXTENSION) if has_app_context() else None


@contextmanager
def on_primary() -> Iterator[None]:
    """Read from the primary inside this block (reads that must be fresh, such as the signed-in session)."""
    if not has_request_context():
        yield
        return
    before = g.get("kindred_on_primary", False)
    g.kindred_on_primary = True
    try:
        yield
    finally:
        g.kindred_on_primary = before


def _replica_allowed() -> bool:
    if not has_request_context() or g.get("kindred_on_primary") or g.get("kindred_wrote"):
        return False
    if request.method not in READ_METHODS or request.endpoint in WRITES_ON_GET:
        return False
    return session.get(STICKY_KEY, 0) < time.time()


def _plain_select(clause: Any) -> bool:
    if isinstance(clause, CompoundSelect):
        return True
    return isinstance(clause, Select) and clause._for_update_arg is None


class RoutingSession(Session):
    """Flask-SQLAlchemy's session, choosing the replica or the primary per statement (see the module docstring)."""

    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any) -> Any:
        replica = replica_engine() if bind is None else None
        if replica is not None:
            if not self._flushing and _plain_select(clause):
                if _replica_allowed():
                    return replica
            elif has_request_context():
                g.kindred_wrote = True  # this request writes: what it reads next must see the write
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
