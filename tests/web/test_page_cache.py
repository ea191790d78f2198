"""Pages are rendered once and reused until something they show is written (app/web/page_cache.py): visitors share a
URL's page, a signed-in browser reuses only its own."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Group, GroupMembership, Member, Notification, Post, Role, Topic
from app.services.content.announcements import create_announcement, edit_announcement
from app.web.page_cache import MEMBERS, VISITORS, PageCache
from tests.conftest import FormClient, make_engine
from tests.factories import PASSWORD, make_member, make_post, make_topic
from tests.support import CSRF_RE, page_cache_on


@pytest.fixture
def app_overrides(tmp_path: Path) -> dict:
    return page_cache_on(tmp_path)


@pytest.fixture
def topic() -> Topic:
    return make_topic(title="Pacing after chemo")


def topic_url(topic: Topic) -> str:
    return f"/t/{topic.id}/{topic.slug}"


@pytest.fixture
def url(topic: Topic) -> str:
    """The topic's address, read once (the test's own reads of the topic must stay out of the counts)."""
    return topic_url(topic)


def test_second_visit_runs_no_sql(client: FormClient, count_queries: Callable, url: str) -> None:
    """A visitor's second GET of a topic is answered from the cache, without a single SQL statement."""
    first = client.get(url)
    with count_queries() as counter:
        second = client.get(url)
    assert second.status_code == 200 and second.data == first.data
    assert len(counter) == 0, counter.statements


def test_a_hard_reload_renders_afresh(client: FormClient, count_queries: Callable, url: str) -> None:
    """A browser's hard reload (Cache-Control: no-cache) gets a freshly rendered page, which then serves others."""
    client.get(url)
    with count_queries() as reloaded:
        client.get(url, headers={"Cache-Control": "no-cache"})
    with count_queries() as after:
        client.get(url)
    assert len(reloaded) > 0 and len(after) == 0


def test_a_reply_shows_at_once(client: FormClient, topic: Topic) -> None:
    """A new reply drops the cached page: the next visitor sees it."""
    client.get(topic_url(topic))
    make_post(topic=topic, body="Walking every morning helped me.")
    assert "Walking every morning helped me." in client.get(topic_url(topic)).get_data(as_text=True)


def test_a_bulk_update_drops_cached_pages(client: FormClient, topic: Topic) -> None:
    """A write made with an UPDATE statement (not through the ORM's objects) drops cached pages too."""
    client.get("/")
    db.session.execute(update(Group).where(Group.id == topic.group_id).values(name="Renamed by staff"))
    db.session.commit()
    assert "Renamed by staff" in client.get("/").get_data(as_text=True)


def test_rolled_back_write_keeps_the_cache(client: FormClient, count_queries: Callable, topic: Topic, url: str) -> None:
    """A change that was rolled back wrote nothing, so cached pages stay valid."""
    client.get(url)
    topic.title = "Never saved"
    db.session.flush()
    db.session.rollback()
    with count_queries() as counter:
        client.get(url)
    assert len(counter) == 0


def test_members_never_get_the_visitors_page(client: FormClient, login_as: Callable, topic: Topic) -> None:
    """A signed-in member gets a page rendered for them (with their name), not the cached visitor's page."""
    client.get(topic_url(topic))
    login_as(make_member(display_name="Marguerite"))
    page = client.get(topic_url(topic))
    assert "Marguerite" in page.get_data(as_text=True)
    assert "ETag" not in page.headers


def test_visitors_never_get_a_members_page(client: FormClient, login_as: Callable, url: str) -> None:
    """A member's cached page stays theirs: a visitor at the same URL gets the visitors' page."""
    login_as(make_member(display_name="Marguerite"))
    settled(client, url)
    stranger = FormClient(client.application, client.response_wrapper)
    assert "Marguerite" not in stranger.get(url).get_data(as_text=True)


def test_a_flash_message_is_never_shared(client: FormClient, login_as: Callable) -> None:
    """The home page a member sees after signing out, with its "signed out" message, is not served to others."""
    login_as(make_member())
    client.post_form("/logout")
    assert "You are signed out" in client.get("/").get_data(as_text=True)
    stranger = FormClient(client.application, client.response_wrapper)
    assert "You are signed out" not in stranger.get("/").get_data(as_text=True)


def test_redis_down_still_serves_pages(app: Flask, client: FormClient, url: str) -> None:
    """With Redis unreachable the cache steps aside: visitors get freshly rendered pages, not errors."""
    cache = app.extensions["kindred_page_cache"]
    redis = pytest.importorskip("redis")
    cache.redis = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_timeout=0.2)  # nothing listens there
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    make_post(topic=db.session.get(Topic, int(url.split("/")[2])), body="Still posting without Redis.")
    assert "Still posting without Redis." in client.get(url).get_data(as_text=True)
    cache.redis.close()


def test_unchanged_page_answers_304(client: FormClient, topic: Topic) -> None:
    """A visitor whose copy is current gets 304 Not Modified and no body."""
    etag = client.get(topic_url(topic)).headers["ETag"]
    again = client.get(topic_url(topic), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_changed_page_answers_200(client: FormClient, topic: Topic) -> None:
    """After a write, the old ETag no longer matches and the visitor gets the new page."""
    etag = client.get(topic_url(topic)).headers["ETag"]
    make_post(topic=topic, body="A reply that changes the page.")
    again = client.get(topic_url(topic), headers={"If-None-Match": etag})
    assert again.status_code == 200 and "A reply that changes the page." in again.get_data(as_text=True)


def test_cached_page_keeps_security_headers(client: FormClient, topic: Topic) -> None:
    """A page served from the cache still carries the Content-Security-Policy and asks to be revalidated."""
    client.get(topic_url(topic))
    cached = client.get(topic_url(topic))
    assert "frame-ancestors 'none'" in cached.headers["Content-Security-Policy"]
    assert cached.headers["Cache-Control"] == "no-cache"
    assert "Cookie" in cached.headers["Vary"]


def test_signing_in_keeps_the_cache(client: FormClient, count_queries: Callable, url: str) -> None:
    """Login sessions are no visitor's business: a member signing in leaves cached pages valid."""
    visitor = FormClient(client.application, client.response_wrapper)
    member = make_member()
    email = member.email
    visitor.get(url)
    client.post_form("/login", {"email": email, "password": PASSWORD})
    with count_queries() as counter:
        visitor.get(url)
    assert len(counter) == 0


def test_old_entries_expire(app: Flask, client: FormClient, count_queries: Callable, url: str) -> None:
    """With PAGE_CACHE_SECONDS at 0 every visit renders the page again ("3 minutes ago" moves on)."""
    app.extensions["kindred_page_cache"].max_age = 0
    client.get(url)
    with count_queries() as counter:
        client.get(url)
    assert len(counter) > 0


def test_a_write_in_another_process_drops_this_cache(app: Flask, client: FormClient, topic: Topic, url: str) -> None:
    """A write committed by another process (its own connection, its own cache object) shows here at once."""
    client.get(url)
    engine = make_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as other_process:
        other_process.execute(update(Topic).where(Topic.id == topic.id).values(title="Retitled elsewhere"))
    engine.dispose()
    PageCache(app).bump()  # what that process's commit hook does
    assert "Retitled elsewhere" in client.get(url).get_data(as_text=True)


def test_redis_holds_the_version_when_configured(app: Flask) -> None:
    """With REDIS_URL set, the version is a Redis counter: a bump by one app server is seen by another."""
    redis = pytest.importorskip("redis")
    config = {**app.config, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    here, there = PageCache(_Config(config)), PageCache(_Config(config))
    try:
        here.redis.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    before = here.version()
    there.bump()
    after = here.version()
    here.redis.close()
    there.redis.close()
    assert after != before


@pytest.mark.parametrize("redis_url", [None, "redis://127.0.0.1:6379/0"], ids=["file", "redis"])
def test_a_personal_write_moves_only_the_members_version(app: Flask, redis_url: str | None) -> None:
    """Marking notifications read (say) leaves visitors' pages valid everywhere and members' pages not."""
    cache = PageCache(_Config({**app.config, "REDIS_URL": redis_url}))
    if redis_url:
        redis = pytest.importorskip("redis")
        try:
            cache.redis.ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis on 127.0.0.1:6379")
    visitors, members = cache.version(VISITORS), cache.version(MEMBERS)
    cache.bump(visible=False)
    assert cache.version(VISITORS) == visitors and cache.version(MEMBERS) != members
    cache.bump()
    assert cache.version(VISITORS) != visitors
    if cache.redis is not None:
        cache.redis.close()


def test_a_restarted_redis_never_brings_an_old_version_back(app: Flask) -> None:
    """Redis runs without persistence: after a restart the versions start again at random, not at 0, so pages
    cached under a version from before the restart are not taken for current."""
    redis = pytest.importorskip("redis")
    cache = PageCache(_Config({**app.config, "REDIS_URL": "redis://127.0.0.1:6379/0"}))
    try:
        cache.redis.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    seen = set()
    for _ in range(3):
        seen.add(cache.version(MEMBERS))
        cache.redis.delete(*cache.version_keys.values())  # what a restart without persistence does
    cache.bump()  # a write straight after a restart starts at random too
    seen.add(cache.version(MEMBERS))
    cache.redis.close()
    assert len(seen) == 4 and "0" not in seen and "1" not in seen


class _Config:
    """Just what PageCache reads from an app: its configuration and instance folder."""

    def __init__(self, config: dict) -> None:
        self.config, self.instance_path = config, "/nonexistent"


# Members: a signed-in browser's own pages.


def settled(client: FormClient, url: str) -> str:
    """Visit twice: right after signing in, the first page also starts the session's CSRF token (a session change
    the browser must receive before a copy of the page may be reused), so the second one is the one kept."""
    client.get(url)
    return client.get(url).get_data(as_text=True)


def member_of(topic: Topic, **fields: object) -> Member:
    """A member of the topic's group, who may reply there."""
    member = make_member(**fields)
    db.session.add(GroupMembership(member_id=member.id, group_id=topic.group_id))
    db.session.commit()
    return member


def submission_keys(html: str) -> list[str]:
    return re.findall(r'name="submission_key" type="hidden" value="([^"]+)"', html)


def test_members_second_visit_runs_no_sql(
    client: FormClient, login_as: Callable, count_queries: Callable, topic: Topic, url: str
) -> None:
    """A member's reload is answered from their own cached copy, without a single SQL statement: same page, but
    the reply form carries a fresh submission key."""
    login_as(member_of(topic, display_name="Marguerite"))
    kept = settled(client, url)
    with count_queries() as counter:
        again = client.get(url).get_data(as_text=True)
    assert len(counter) == 0, counter.statements
    assert "Marguerite" in again and 'name="csrf_token"' in again
    assert submission_keys(kept) and submission_keys(again) != submission_keys(kept)
    assert re.sub(r'(submission_key" type="hidden" value=)"[^"]+"', "", again) == re.sub(
        r'(submission_key" type="hidden" value=)"[^"]+"', "", kept
    )


def test_two_tabs_of_a_cached_page_post_two_replies(client: FormClient, login_as: Callable, topic: Topic) -> None:
    """Two tabs opened on the same cached topic page each post their reply: a reused page never repeats a key."""
    login_as(member_of(topic))
    url = topic_url(topic)
    first_tab, second_tab = settled(client, url), client.get(url).get_data(as_text=True)
    for html, body in ((first_tab, "From the first tab."), (second_tab, "From the second tab.")):
        client.post_form(f"/t/{topic.id}/reply", {"body": body, "submission_key": submission_keys(html)[0]})
    bodies = db.session.scalars(select(Post.raw).where(Post.topic_id == topic.id)).all()
    assert "From the first tab." in bodies and "From the second tab." in bodies


def test_another_member_gets_their_own_page(client: FormClient, login_as: Callable, url: str) -> None:
    """Two members at the same URL: neither ever gets the other's page."""
    login_as(make_member(display_name="Marguerite"))
    settled(client, url)
    other = FormClient(client.application, client.response_wrapper)
    member = make_member(display_name="Bartholomew")
    other.post_form("/login", {"email": member.email, "password": PASSWORD})
    page = settled(other, url)
    assert "Bartholomew" in page and "Marguerite" not in page


def test_a_reply_by_someone_else_shows_at_once(client: FormClient, login_as: Callable, topic: Topic) -> None:
    login_as(make_member())
    settled(client, topic_url(topic))
    make_post(topic=topic, body="Walking every morning helped me.")
    assert "Walking every morning helped me." in client.get(topic_url(topic)).get_data(as_text=True)


def test_reading_notifications_updates_the_members_pages_only(
    client: FormClient, login_as: Callable, count_queries: Callable, url: str
) -> None:
    """Marking notifications read changes the member's header at once, and leaves visitors' pages cached."""
    member = make_member()
    db.session.add(Notification(member_id=member.id, kind="reply", message="Someone replied to Pacing after chemo"))
    db.session.commit()
    login_as(member)
    assert '1<span class="visually-hidden"> unread' in settled(client, url)
    visitor = FormClient(client.application, client.response_wrapper)
    visitor.get(url)
    client.post_form("/notifications/read-all", {})
    assert 'visually-hidden"> unread' not in client.get(url).get_data(as_text=True)
    with count_queries() as counter:
        visitor.get(url)
    assert len(counter) == 0


def test_a_copied_cookie_stops_at_sign_out(client: FormClient, login_as: Callable, url: str) -> None:
    """Signing out ends the session everywhere: a copy of the cookie gets no cached member page afterwards."""
    login_as(make_member(display_name="Marguerite"))
    settled(client, url)
    copy = FormClient(client.application, client.response_wrapper)
    copy.set_cookie("session", client.get_cookie("session").value)
    assert "Marguerite" in copy.get(url).get_data(as_text=True)
    client.post_form("/logout", {})
    assert "Marguerite" not in copy.get(url).get_data(as_text=True)


def test_a_flash_message_shows_once(client: FormClient, login_as: Callable, topic: Topic) -> None:
    """A page showing a message ("your post is waiting for a moderator") is not kept: a reload shows it no more."""
    login_as(member_of(topic, approved_posts=0))  # a newcomer: the reply is held, and the member is told
    url = topic_url(topic)
    settled(client, url)
    posted = client.post_form(f"/t/{topic.id}/reply", {"body": "Thank you all."}, follow_redirects=True)
    message = re.search(r'<p class="flash[^>]*>(.*?)</p>', posted.get_data(as_text=True), re.S)
    assert message, "the reply page shows a message"
    assert message.group(1) not in client.get(url).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.raw == "Thank you all.")) == 1


def test_a_page_that_started_the_sessions_token_is_not_reused(
    client: FormClient, login_as: Callable, topic: Topic
) -> None:
    """The first page after signing in also puts the CSRF token in the session cookie. Another tab that has not
    received that cookie yet must not get this page (its forms would fail): it gets its own."""
    login_as(member_of(topic))
    with client.session_transaction() as session:
        assert "csrf_token" not in session  # signing in starts a new session: its token comes with the first form
        session.pop("_flashes", None)  # the welcome message, shown elsewhere
    other_tab = FormClient(client.application, client.response_wrapper)
    other_tab.set_cookie("session", client.get_cookie("session").value)  # the cookie as it was at sign-in
    url = topic_url(topic)
    client.get(url)
    page = other_tab.get(url).get_data(as_text=True)
    form = {"csrf_token": CSRF_RE.search(page).group(1), "body": "Sent from the other tab."}
    assert other_tab.post(f"/t/{topic.id}/reply", data=form).status_code == 302


def test_the_banner_is_cached_per_language(client: FormClient, login_as: Callable, url: str) -> None:
    """A visitor's cached page shows the banner in the language it was rendered for: a Spanish page is never served
    to an English browser, nor the English one to a Spanish browser, before or after a translation is added."""
    staff = make_member(role=Role.STAFF)
    announcement = create_announcement(staff, "Closed on **Sunday**.", None, {"es": "Cerrado el **domingo**."})
    spanish, english = ({"Accept-Language": "es"}, {"Accept-Language": "en"})
    for _ in range(2):  # the second round comes from the cache
        assert banner_text(client.get(url, headers=spanish)) == "Cerrado el domingo."
        assert banner_text(client.get(url, headers=english)) == "Closed on Sunday."
    edit_announcement(staff, announcement, "Closed on **Sunday**.", {"es": "Cerrado el domingo.", "fr": "Fermé."})
    assert banner_text(client.get(url, headers={"Accept-Language": "fr"})) == "Fermé."
    assert banner_text(client.get(url, headers=spanish)) == "Cerrado el domingo."
    login_as(make_member(locale="fr"))
    assert banner_text(client.get(url, headers=spanish)) == "Fermé."


def banner_text(response) -> str:  # noqa: ANN001
    match = re.search(r'<div class="banner-body"[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S)
    assert match, "no banner"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()
