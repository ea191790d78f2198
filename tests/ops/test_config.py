"""Starting safely in production, and answering clearly when the database or the code fails."""

import secrets

import pytest

from app import create_app, permissions
from app.extensions import db
from app.services.members import passwords
from config import DEV_SECRET_KEY
from tests.live_server import free_port

SECRET_RULE = "SECRET_KEY"


@pytest.mark.parametrize(
    ("secret_key", "reason"),
    [
        (None, "missing"),
        ("", "missing"),
        (DEV_SECRET_KEY, "development placeholder"),
        ("only-twenty-characters", "too short"),
        ("x" * 31, "too short"),
    ],
    ids=["none", "empty", "development-default", "twenty-characters", "thirty-one-characters"],
)
def test_production_refuses_weak_secret_key(database_url, secret_key, reason):
    """Production will not start without a long, real SECRET_KEY, and says why."""
    with pytest.raises(RuntimeError, match=SECRET_RULE) as refused:
        create_app("production", {"SECRET_KEY": secret_key, "SQLALCHEMY_DATABASE_URI": database_url})
    assert reason in str(refused.value)


def test_production_starts_with_strong_secret_key(database_url):
    """With a long random SECRET_KEY, production starts and serves requests."""
    secret_key = secrets.token_urlsafe(48)
    production = create_app(
        "production",
        {"SECRET_KEY": secret_key, "SQLALCHEMY_DATABASE_URI": database_url, "BASE_URL": "https://forum.example.org"},
    )
    try:
        assert production.config["SECRET_KEY"] == secret_key
        assert production.test_client().get("/healthz").json == {"status": "ok", "database": "ok"}
    finally:
        with production.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("config_name", ["production", "development"])
def test_passwords_are_hashed_at_full_cost_outside_tests(database_url, config_name):
    """Production and development hash with argon2id at RFC 9106's low-memory cost; only the test suite's
    configuration makes hashing cheap, and a test-cost hash is upgraded at the member's next sign-in."""
    settings = {"SECRET_KEY": secrets.token_urlsafe(48), "SQLALCHEMY_DATABASE_URI": database_url}
    app = create_app(config_name, {**settings, "BASE_URL": "https://forum.example.org"})
    with app.test_request_context():
        stored = passwords.hash_password("plum kettle lantern")
        cheap = create_app("testing", settings)
        with cheap.app_context():
            cheap_hash = passwords.hash_password("plum kettle lantern")
        assert passwords.verify(cheap_hash, "plum kettle lantern") and passwords.needs_rehash(cheap_hash)
        db.engine.dispose()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert cheap_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")


@pytest.mark.parametrize("base_url", ["", "forum.example.org", "javascript:alert(1)", "https://"])
def test_production_refuses_to_start_without_a_base_url(database_url, base_url):
    """E-mail links never come from the Host header: production needs KINDRED_BASE_URL, a real web address."""
    settings = {"SECRET_KEY": secrets.token_urlsafe(48), "SQLALCHEMY_DATABASE_URI": database_url, "BASE_URL": base_url}
    with pytest.raises(RuntimeError, match="KINDRED_BASE_URL"):
        create_app("production", settings)


@pytest.fixture(params=["sqlite-in-missing-folder", "postgresql-nothing-listening"])
def app_without_database(request, tmp_path):  # noqa: ANN001, ANN201
    """An app whose database cannot be reached."""
    if request.param == "sqlite-in-missing-folder":
        url = f"sqlite:///{tmp_path / 'no-such-folder' / 'kindred.sqlite3'}"
    else:
        url = f"postgresql+psycopg://kindred@127.0.0.1:{free_port()}/kindred?connect_timeout=2"
    unreachable = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    yield unreachable
    with unreachable.app_context():
        db.engine.dispose()


@pytest.mark.server_error
def test_healthz_reports_database_unavailable(app_without_database):
    """/healthz answers 503 and names the database when it cannot be reached."""
    response = app_without_database.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unavailable"}


@pytest.mark.server_error
@pytest.mark.parametrize(("url", "signed_in"), [("/", False), ("/guidelines", True)], ids=["visitor", "member"])
def test_page_with_database_down_gives_503_page(app_without_database, url, signed_in):
    """With the database down, pages answer the 503 page in the site's layout, never a traceback."""
    client = app_without_database.test_client()
    if signed_in:
        with client.session_transaction() as session:
            session["_user_id"] = secrets.token_urlsafe(32)  # loading this member needs the database
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "Kindred is briefly unavailable" in page
    assert "reach our database" in page
    assert 'class="site-header"' in page
    assert "Traceback" not in page
    assert "OperationalError" not in page


def test_unknown_url_gives_friendly_404_page(client):
    """An unknown address answers the 404 page in the site's layout, with a way back to the groups."""
    response = client.get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "We couldn&#39;t find that page" in page
    assert 'class="site-header"' in page
    assert ">Go to the groups</a>" in page


@pytest.mark.server_error
@pytest.mark.own_app
@pytest.mark.parametrize("app_overrides", [{"PROPAGATE_EXCEPTIONS": False}])
def test_failing_route_gives_500_page_without_stack_trace(app, client, monkeypatch):
    """A bug in a view answers the 500 page, showing neither the traceback nor the error's text."""

    @app.route("/test-only/failing")
    @permissions.access(permissions.PUBLIC)
    def failing():  # noqa: ANN202
        raise RuntimeError("internal detail a7f3")

    response = client.get("/test-only/failing")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert 'class="site-header"' in page
    assert "Traceback" not in page
    assert "RuntimeError" not in page
    assert "internal detail a7f3" not in page


def test_gunicorn_refuses_the_placeholder_secret(tmp_path):
    """`gunicorn wsgi:app` without KINDRED_ENV=production and without a SECRET_KEY does not serve at all."""
    from tests.live_server import AppServer

    log = tmp_path / "gunicorn.log"
    server = AppServer({"DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}"}, log_path=log)
    for name in ("KINDRED_ENV", "SECRET_KEY"):  # as on a fresh server where nobody set them
        server.env.pop(name, None)
    with pytest.raises(RuntimeError, match="exited"):
        server.start(timeout=30)
    assert "placeholder SECRET_KEY" in log.read_text()


def test_served_config_warns_outside_production():
    """With a real secret but development settings, serving warns loudly instead of staying silent."""
    from config import check_served_config

    assert "not production" in (check_served_config("development", secrets.token_urlsafe(48)) or "")
    assert check_served_config("production", secrets.token_urlsafe(48)) is None
