"""Rendered pages for visitors: kept in each process's memory, dropped as soon as anything is written.

Every visitor sees the same page at a given URL, so the first visitor's rendering can serve the next ones. An entry
is valid while the site's *content version* is the one it was rendered under (and for at most PAGE_CACHE_SECONDS,
so "3 minutes ago" and an announcement's last day move on). Any commit that wrote a row, through any session of any
process, moves the version on:

- with `REDIS_URL`, the version is a Redis counter, shared by every app server;
- without it, the version is the modification time of a file in the instance folder, shared by the processes of
  one machine (several machines need Redis).

The version is read after the commit, and a page is stored under the version read *before* it was rendered, so a
page rendered from data older than a write is never stored under the version that follows the write. Visitors also
get an ETag, and a 304 when their copy is current. Members' pages are personal and never cached here.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, current_app, g, get_flashed_messages, has_app_context, request, session
from flask_login import current_user
from redis.exceptions import RedisError  # redis is installed with Flask-Limiter[redis]
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

# Pages every visitor sees alike. Pages with forms that carry a CSRF token are personal and stay out.
CACHEABLE = frozenset({"main.index", "community.group", "community.topic", "members.profile", "search.search"})
# Rows no visitor page shows: writing them leaves the cached pages as they are.
UNSEEN_TABLES = frozenset({"login_sessions", "login_throttles", "notifications", "audit_events"})
UNSEEN_COLUMNS = frozenset({"members.last_seen_at"})  # set on sign-in and every few minutes; shown nowhere
logger = logging.getLogger(__name__)
MAX_ENTRIES = 256
VERSION_KEY = "kindred:content-version"


@dataclass(frozen=True)
class Entry:
    version: str
    stored_at: float
    body: bytes
    mimetype: str
    etag: str


class PageCache:
    """A small LRU of rendered pages, keyed by URL, valid for one content version."""

    def __init__(self, app: Flask) -> None:
        self.max_age = app.config["PAGE_CACHE_SECONDS"]
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.lock = threading.Lock()
        redis_url = app.config.get("REDIS_URL")
        self.redis = _redis_client(redis_url) if redis_url else None
        self.version_file = Path(
            app.config.get("PAGE_CACHE_VERSION_FILE") or Path(app.instance_path) / "content-version"
        )

    def version(self) -> str | None:
        """The current content version (one Redis GET, or one stat of the version file); None if unknown."""
        if self.redis is not None:
            try:
                return str(self.redis.get(VERSION_KEY) or b"0", "ascii")
            except RedisError:  # Redis away: render every page, as without a cache
                return None
        try:
            return str(self.version_file.stat().st_mtime_ns)
        except FileNotFoundError:
            return "0"

    def bump(self) -> None:
        """Something was written: every page rendered before now is out of date, in every process."""
        try:
            if self.redis is not None:
                self.redis.incr(VERSION_KEY)
                return
            self.version_file.parent.mkdir(parents=True, exist_ok=True)
            self.version_file.touch()
            now = time.time_ns()
            os.utime(self.version_file, ns=(now, now))
        except (OSError, RedisError):  # the write itself is committed: don't fail it; pages age out instead
            logger.warning("page cache: could not move the content version on; cached pages expire by age only")

    def get(self, key: str, version: str) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry.version != version or time.monotonic() - entry.stored_at > self.max_age:
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)


def _redis_client(url: str):  # noqa: ANN202
    import redis

    return redis.Redis.from_url(url, socket_timeout=1)


def register(app: Flask) -> None:
    """Serve visitors' pages from the cache and fill it; bump the version on every commit that wrote."""
    if not app.config.get("PAGE_CACHE"):
        return
    cache = app.extensions["kindred_page_cache"] = PageCache(app)
    _watch_writes()

    @app.before_request
    def serve_cached() -> Response | None:
        if not _cacheable_request():
            return None
        version = cache.version()
        entry = cache.get(request.url, version) if version is not None else None
        if entry is None:
            g.page_cache_version = version  # render it, then store it under the version read before rendering
            return None
        response = Response(entry.body, mimetype=entry.mimetype)
        return _conditional(response, entry.etag)

    @app.after_request
    def store(response: Response) -> Response:
        version = g.pop("page_cache_version", None)
        if version is None or not _storable(response):
            return response
        body = response.get_data()
        if b'name="csrf_token"' in body:  # a personal form slipped in: this page is not the same for everyone
            return response
        etag = hashlib.blake2b(body, digest_size=12).hexdigest()
        cache.put(request.url, Entry(version, time.monotonic(), body, response.mimetype, etag))
        return _conditional(response, etag)


def _cacheable_request() -> bool:
    """A visitor's GET of a page every visitor sees alike, with no message waiting for this browser."""
    return (
        request.method == "GET"
        and request.endpoint in CACHEABLE
        and "_flashes" not in session
        and not current_user.is_authenticated
    )


def _storable(response: Response) -> bool:
    """A complete HTML page with nothing personal on it: no message flashed to this browser, no cookie set."""
    return (
        response.status_code == 200
        and not get_flashed_messages()  # the ones this page showed (base.html shows every one)
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and "Set-Cookie" not in response.headers
        and not current_user.is_authenticated
    )


def _conditional(response: Response, etag: str) -> Response:
    """Let the browser revalidate its copy: 304 when it still has this page."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")
    return response.make_conditional(request)


def _watch_writes() -> None:
    """Mark a session that wrote a row a visitor may see; bump the version once its transaction commits."""
    if event.contains(Session, "after_flush", _after_flush):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _after_statement)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", _after_rollback)


def _after_flush(session: Session, flush_context: object) -> None:
    for instance in (*session.new, *session.deleted):
        if getattr(instance, "__tablename__", None) not in UNSEEN_TABLES:
            session.info["kindred_wrote"] = True
            return
    for instance in session.dirty:
        if (
            getattr(instance, "__tablename__", None) not in UNSEEN_TABLES
            and _changed_columns(instance) - UNSEEN_COLUMNS
        ):
            session.info["kindred_wrote"] = True
            return


def _changed_columns(instance: object) -> set[str]:
    """ "table.column" of each attribute this flush changes (still readable: after_flush sees the old history)."""
    state = inspect(instance)
    table = getattr(instance, "__tablename__", "")
    return {f"{table}.{attr.key}" for attr in state.attrs if attr.history.has_changes()}


def _after_statement(state: object) -> None:
    if state.is_insert or state.is_update or state.is_delete:  # bulk statements, which flush events don't see
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if table not in UNSEEN_TABLES:
            state.session.info["kindred_wrote"] = True


def _after_commit(session: Session) -> None:
    if not session.info.pop("kindred_wrote", False):
        return
    cache = current_app.extensions.get("kindred_page_cache") if has_app_context() else None
    if cache is not None:
        cache.bump()


def _after_rollback(session: Session, previous_transaction: object) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: nothing it marked was kept
        session.info.pop("kindred_wrote", None)
