"""Rendered pages, kept in each process's memory and dropped as soon as anything they show is written.

Two audiences share the mechanism:

- visitors: every visitor sees the same page at a given URL, so the first visitor's rendering serves the next ones
  (with an ETag, and a 304 when their copy is current);
- members: a page is personal (names, unread count, buttons, forms), so a rendering serves only the same signed-in
  browser again — its reload, back button or return to a topic it is waiting on. Forms on the page keep their CSRF
  token (it belongs to this browser's session) and get fresh submission keys, so two tabs never look like one post.

An entry is valid while its audience's *version* is the one it was rendered under, and for at most
PAGE_CACHE_SECONDS, so "3 minutes ago" and an announcement's last day move on. A commit that wrote a row a visitor
may see moves both versions on; a commit that wrote only rows members see of themselves (their notifications, their
sign-ins and sign-outs) moves only the members' one, so marking notifications read or signing out elsewhere takes
effect at once. Versions are shared between processes:

- with `REDIS_URL`, they are Redis counters, shared by every app server;
- without it, they are the modification times of two files in the instance folder, shared by the processes of
  one machine (several machines need Redis).

A version is read before a page is rendered and the page is stored under it, so a page rendered from data older
than a write is never stored under the version that follows the write (with a read replica that lags behind, a
page rendered from it can still be kept for up to PAGE_CACHE_SECONDS; the writer's own pages come from the primary,
app/database/replica.py). Members' entries are found by their sign-in
token before Flask-Login loads anyone: a hit costs no SQL. It is safe to answer before the access gate because the
same browser passed it for the same URL at the same version, a moment ago.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, g, get_flashed_messages, request, session
from flask_login import current_user
from redis.exceptions import RedisError  # redis is installed with Flask-Limiter[redis]

from app.web.drafts import DRAFT_KEY
from app.web.forms import issued_submission_keys, new_submission_key
from app.web.i18n import visitor_locale
from app.web.page_cache_writes import MEMBERS, VISITORS, watch_writes
from app.web.text_size import text_size

# Pages read far more often than anything on them changes.
CACHEABLE = frozenset({"main.index", "community.group", "community.topic", "members.profile", "search.search"})
VERSION_KEY_NAMES = {VISITORS: "content-version", MEMBERS: "member-version"}
MAX_BYTES = 32 * 1024 * 1024  # per process: about 800 topic pages
READ_STAMP_KEY = "_read_stamp"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    version: str
    stored_at: float
    body: bytes
    mimetype: str
    etag: str
    submission_keys: tuple[str, ...] = ()  # in the body's forms; replaced by fresh ones on every reuse


class PageCache:
    """A small LRU of rendered pages, bounded in bytes, each valid for one version of its audience."""

    def __init__(self, app: Flask) -> None:
        self.max_age = app.config["PAGE_CACHE_SECONDS"]
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()
        redis_url = app.config.get("REDIS_URL")
        self.redis = _redis_client(redis_url) if redis_url else None
        prefix = app.config.get("REDIS_KEY_PREFIX", "kindred")  # communities sharing one Redis keep apart
        self.version_keys = {audience: f"{prefix}:{name}" for audience, name in VERSION_KEY_NAMES.items()}
        content = Path(app.config.get("PAGE_CACHE_VERSION_FILE") or Path(app.instance_path) / "content-version")
        self.version_files = {VISITORS: content, MEMBERS: content.with_name(content.name + "-members")}

    def version(self, audience: str = VISITORS) -> str | None:
        """The audience's current version (one Redis GET, or one stat of a file); None if unknown."""
        if self.redis is not None:
            key = self.version_keys[audience]
            try:
                value = self.redis.get(key)
                if value is None:  # a new or restarted Redis: start at random, so no earlier version comes back
                    self.redis.set(key, _random_start(), nx=True)
                    value = self.redis.get(key)
                return str(value, "ascii")
            except RedisError:  # Redis away: render every page, as without a cache
                return None
        try:
            return str(self.version_files[audience].stat().st_mtime_ns)
        except FileNotFoundError:
            return "0"

    def bump(self, visible: bool = True) -> None:
        """Something was written: pages rendered before now are out of date, in every process — members' pages
        always, visitors' pages when the write was `visible` to them."""
        audiences = (VISITORS, MEMBERS) if visible else (MEMBERS,)
        try:
            if self.redis is not None:
                with self.redis.pipeline(transaction=False) as pipe:
                    for audience in audiences:
                        pipe.set(self.version_keys[audience], _random_start(), nx=True)
                        pipe.incr(self.version_keys[audience])
                    pipe.execute()
                return
            now = time.time_ns()
            for audience in audiences:
                path = self.version_files[audience]
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
                os.utime(path, ns=(now, now))
        except (OSError, RedisError):  # the write itself is committed: don't fail it; pages age out instead
            logger.warning("page cache: could not move the version on; cached pages expire by age only")

    def get(self, key: str, version: str) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry.version != version or time.monotonic() - entry.stored_at > self.max_age:
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = entry
            self.size += len(entry.body)
            while self.size > MAX_BYTES and len(self.entries) > 1:
                self._drop(next(iter(self.entries)))

    def clear(self) -> None:
        """Forget every stored page (a test suite reusing one app starts each test from an empty cache)."""
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        self.size -= len(self.entries.pop(key).body)


def _random_start() -> int:
    return secrets.randbelow(2**62)


def renew_read_stamp() -> None:
    """This browser's member read something new: their cached pages (with the old unread markers) are not reused."""
    session[READ_STAMP_KEY] = secrets.token_urlsafe(6)


def _redis_client(url: str):  # noqa: ANN202
    import redis

    return redis.Redis.from_url(url, socket_timeout=1)


def register(app: Flask) -> None:
    """Answer GETs from the cache and fill it; move the versions on after every commit that wrote.

    Register it before the access gate: a member's hit must not load the member (app/web/access.py)."""
    if not app.config.get("PAGE_CACHE"):
        return
    cache = app.extensions["kindred_page_cache"] = PageCache(app)
    remember_cookie = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    watch_writes()

    @app.before_request
    def serve_cached() -> Response | None:
        found = _audience_and_key(remember_cookie)
        if found is None:
            return None
        audience, key = found
        version = cache.version(audience)
        hard_reload = "no-cache" in request.headers.get("Cache-Control", "")  # the browser asks for a fresh page
        entry = cache.get(key, version) if version is not None and not hard_reload else None
        if entry is None:
            g.page_cache_slot = (audience, key, version)  # stored under the version read before rendering
            return None
        if audience == MEMBERS:
            return Response(_with_fresh_keys(entry), mimetype=entry.mimetype)
        return _conditional(Response(entry.body, mimetype=entry.mimetype), entry.etag)

    @app.after_request
    def store(response: Response) -> Response:
        slot = g.pop("page_cache_slot", None)
        if slot is None or slot[2] is None or not _storable(response, slot[0]):
            return response
        audience, key, version = slot
        body = response.get_data()
        etag = hashlib.blake2b(body, digest_size=12).hexdigest()
        mimetype = response.mimetype or "text/html"  # _storable let only HTML through
        cache.put(key, Entry(version, time.monotonic(), body, mimetype, etag, issued_submission_keys()))
        return _conditional(response, etag) if audience == VISITORS else response


def _audience_and_key(remember_cookie: str) -> tuple[str, str] | None:
    """Whose page a GET is and where it is kept, without loading anyone: visitors share a URL's page, a signed-in
    browser has its own (keyed by a digest of its sign-in token and session). None when it must be rendered."""
    if request.method != "GET" or request.endpoint not in CACHEABLE or "_flashes" in session or DRAFT_KEY in session:
        return None
    token = session.get("_user_id")
    if token is None:
        if remember_cookie in request.cookies:  # Flask-Login is about to sign this browser in from the cookie
            return None
        return VISITORS, f"{visitor_locale()} {text_size()} {request.url}"
    # The session's CSRF secret too: the page's forms carry a token made from it, valid only in this session. The
    # browser's language and text size as well: a member who never chose a language reads the browser's own.
    # And its read stamp: recording what it read renews the stamp, so its pages with the old markers are not reused
    # (without moving anyone's version on: other browsers' and visitors' pages stay valid).
    browser = f"{token} {session.get('csrf_token', '')} {session.get(READ_STAMP_KEY, '')}"
    digest = hashlib.blake2b(browser.encode(), digest_size=16).hexdigest()
    return MEMBERS, f"{digest} {visitor_locale()} {text_size()} {request.url}"


def _storable(response: Response, audience: str) -> bool:
    """A complete HTML page, rendered for the audience it will be served to, with nothing on it for this
    request alone (no message flashed, no change to the browser's session or cookies for visitors)."""
    if not (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and not get_flashed_messages()  # the ones this page showed (base.html shows every one)
    ):
        return False
    if audience == MEMBERS:
        # Signed in with the token the page is kept under; a session changed by this request (a first CSRF token,
        # say) may not reach the browser before the page is reused, so only a settled one is stored.
        return current_user.is_authenticated and not session.modified
    return (
        not current_user.is_authenticated
        and not g.get("kindred_private_pictures")  # links a picture visitors may not see (app/web/pictures.py)
        and "Set-Cookie" not in response.headers
        and b'name="csrf_token"' not in response.get_data()  # a personal form slipped in: not the same for everyone
    )


def _with_fresh_keys(entry: Entry) -> bytes:
    body = entry.body
    for key in entry.submission_keys:
        body = body.replace(key.encode(), new_submission_key().encode())
    return body


def _conditional(response: Response, etag: str) -> Response:
    """Let the browser revalidate its copy: 304 when it still has this page."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    response.make_conditional(request)  # turns this response into a 304 in place when the browser's copy is current
    return response
