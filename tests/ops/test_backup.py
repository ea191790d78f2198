"""`flask backup` / `flask restore`: a restored database serves the same pages (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.models import Post, Topic
from tests.factories import make_group, make_member, make_post, make_topic

VARYING = re.compile(r'(name="(?:csrf_token|submission_key)" type="hidden" value=")[^"]*"')


def pages(client, urls: list[str]) -> dict[str, str]:  # noqa: ANN001
    """What a visitor sees at these addresses (per-render form tokens blanked)."""
    seen = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = VARYING.sub(r'\1"', response.get_data(as_text=True))
    return seen


@pytest.fixture
def community():  # noqa: ANN201
    """A public group with a topic, replies by two members and a reply with Markdown."""
    ann, bo = make_member(display_name="Ann"), make_member(display_name="Bo")
    group = make_group(name="Long COVID", slug="long-covid", members=(ann, bo))
    topic = make_topic(group=group, author=ann, title="Pacing that works", body="What helps you **pace**?")
    make_post(topic=topic, author=bo, body="A daily step budget, and [this guide](https://example.org/pacing).")
    return group, topic, ["/", f"/g/{group.slug}", f"/t/{topic.id}/{topic.slug}"]


def invoke(app, *args: str, input: str | None = None):  # noqa: ANN001, ANN201, A002
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_restored_database_serves_the_same_pages(app, client, community, database_url, tmp_path):
    """Back up, change things, restore: the group and topic pages are exactly as at backup time."""
    group, topic, urls = community
    before = pages(client, urls)
    backup = tmp_path / "kindred.backup"
    result = invoke(app, "backup", str(backup))
    assert result.exit_code == 0, result.output
    assert backup.stat().st_size > 0
    if database_url.startswith("postgresql"):
        with scratch_database(database_url) as scratch_url:
            restored_app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": scratch_url})
            with restored_app.app_context():
                result = invoke(restored_app, "restore", str(backup), "--yes")
                assert result.exit_code == 0, result.output
                assert pages(restored_app.test_client(), urls) == before
                db.session.remove()
                db.engine.dispose()
        return
    make_post(topic=topic, body="Written after the backup.")
    group.name = "Renamed after the backup"
    db.session.commit()
    assert pages(client, urls) != before
    result = invoke(app, "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert pages(client, urls) == before


def test_restore_asks_first_and_stops_on_no(app, community, tmp_path):
    """Without --yes, restore asks; answering no changes nothing."""
    _, topic, _ = community
    backup = tmp_path / "kindred.backup"
    invoke(app, "backup", str(backup))
    make_post(topic=topic, body="Must survive the refused restore.")
    result = invoke(app, "restore", str(backup), input="n\n")
    assert "Replace everything in" in result.output
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.raw.like("Must survive%"))) == 1


def test_restore_refuses_a_file_that_is_not_a_backup(app, community, tmp_path):
    """A file that is not a backup is refused with a clear error, and the database keeps its data."""
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n" * 100)
    result = invoke(app, "restore", str(junk), "--yes")
    assert result.exit_code == 1
    assert "Error:" in result.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Topic)) == 1


def test_backup_says_how_to_install_missing_pg_tools(app, database_url, tmp_path, monkeypatch):
    """On PostgreSQL without pg_dump on the PATH, backup says what to install instead of failing obscurely."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite backups need no external tool")
    monkeypatch.setenv("PATH", str(tmp_path))
    result = invoke(app, "backup", str(tmp_path / "x.backup"))
    assert result.exit_code == 1
    assert "pg_dump was not found" in result.output
    assert "postgresql-client" in result.output


class scratch_database:  # noqa: N801 - used as a context manager, like a function
    """A PostgreSQL database created for one test and dropped afterwards, on the test server."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.name = f"kindred_scratch_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def __enter__(self) -> str:
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.url.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc: object) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def test_scratch_database_helper_cleans_up(database_url):
    """The scratch database used above is really dropped afterwards (no litter on the shared server)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    helper = scratch_database(database_url)
    with helper:
        pass
    engine = create_engine(make_url(database_url).set(database="postgres"))
    with engine.connect() as connection:
        found = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": helper.name})
    engine.dispose()
    assert found is None
