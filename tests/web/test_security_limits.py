"""Production cookie and HSTS settings (SECURITY.md #2, #14) and the 429 limits on sign-up, posting and flagging
(#15), each through the real stack."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Post
from tests.factories import make_group, make_member, make_topic
from tests.support import browser, page_text, soup

RATE_LIMITED = pytest.mark.parametrize(
    "app_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}], ids=["rate-limited"]
)
STRONG_SECRET = "a-production-secret-of-more-than-32-characters-0123456789"


@pytest.fixture
def production_client(database_url, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": STRONG_SECRET,
            "RATELIMIT_STORAGE_URI": "memory://",
            "BASE_URL": "https://forum.example.org",
        },
    )
    with app.app_context():
        yield app.test_client()
        db.session.remove()  # requests reused this app context: give their connection back before disposing
        db.engine.dispose()


def test_production_session_cookie_is_secure_httponly_lax(production_client):
    """In production the session cookie is sent over HTTPS only, hidden from scripts, and SameSite=Lax."""
    response = production_client.get("/login")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_sends_hsts(production_client):
    """In production every page tells browsers to use HTTPS only (HSTS)."""
    assert "max-age=" in production_client.get("/login").headers["Strict-Transport-Security"]


def test_development_sends_no_hsts(client):
    """Outside production there is no HSTS (it would lock a local http:// address out)."""
    assert "Strict-Transport-Security" not in client.get("/login").headers


def assert_limited(response, wait: str = "1 minute") -> None:  # noqa: ANN001
    """The 429 page, in words: what happened and when to try again; never the limiter's "10 per 1 minute"."""
    assert response.status_code == 429
    text = page_text(response)
    assert "Please slow down a little" in text
    assert "that limit has been reached for now" in text
    assert f"You can try again in about {wait}." in text
    assert " per " not in text
    assert int(response.headers["Retry-After"]) > 0


@RATE_LIMITED
def test_sign_up_is_limited_per_address(client):
    """The 61st sign-up attempt within an hour from one address is refused with Retry-After (the form, kept)."""
    for _ in range(60):
        assert client.post_form("/register", {"email": "x"}).status_code == 422
    response = client.post_form("/register", {"email": "x"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "You can try again in about 1 hour." in page_text(response)


@RATE_LIMITED
def test_limit_page_offers_the_way_back(app):
    """The 429 page links back to the page the member came from, not only to the groups."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    here = f"http://localhost/t/{topic.id}/{topic.slug}"
    post_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id))
    for _ in range(20):
        client.post_form(f"/p/{post_id}/flag", {"reason": ""}, headers={"Referer": here})
    response = client.post_form(f"/p/{post_id}/flag", {"reason": ""}, headers={"Referer": here})
    assert response.status_code == 429
    assert soup(response).find("a", string="Back to the page you were on")["href"] == f"/t/{topic.id}/{topic.slug}"


@RATE_LIMITED
def test_replying_is_limited(app):
    """The 11th reply attempt within a minute gets 429: the reply form again, with the text and when to retry."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    for _ in range(10):
        assert client.post_form(f"/t/{topic.id}/reply", {"body": ""}).status_code == 422
    response = client.post_form(f"/t/{topic.id}/reply", {"body": "Words typed before the limit"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert soup(response).select_one("textarea[name=body]").get_text().strip() == "Words typed before the limit"
    assert "You can try again in about 1 minute." in page_text(response)
    assert db.session.scalar(select(Post.id).where(Post.raw == "Words typed before the limit")) is None


@RATE_LIMITED
def test_flagging_is_limited(app):
    """The 21st flag attempt within an hour gets the 429 page."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    post_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id))
    for _ in range(20):
        assert client.post_form(f"/p/{post_id}/flag", {"reason": ""}).status_code == 422
    assert_limited(client.post_form(f"/p/{post_id}/flag", {"reason": ""}), wait="1 hour")


@RATE_LIMITED
def test_limit_page_never_links_to_another_site(app):
    """A referrer naming another host, or a path a browser reads as one ("//host", "/\\host"), gives no way-back
    link."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    post_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id))
    for referrer in (
        "https://evil.example/t/1",
        "http://localhost//evil.example/x",
        "http://localhost/\\evil.example/x",
    ):
        for _ in range(21):
            response = client.post_form(f"/p/{post_id}/flag", {"reason": ""}, headers={"Referer": referrer})
        assert response.status_code == 429
        assert soup(response).find("a", string="Back to the page you were on") is None
