"""The Alembic migrations build exactly the schema the models describe, and undo it, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import create_engine, inspect, make_url, select, text

from app import create_app
from app.extensions import db
from app.models import GroupVisibility, Member, MemberStatus, ProfileVisibility
from app.services.search.index import include_name, is_search_table
from tests.factories import make_group, make_member

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = make_url(POSTGRES_URL).get_backend_name() == "postgresql" if POSTGRES_URL else False

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not ON_POSTGRES, reason="set TEST_DATABASE_URL to a PostgreSQL URL"),
    ),
]


@pytest.fixture
def throwaway_postgres_url() -> Iterator[str]:
    """A new, empty database on the TEST_DATABASE_URL server, dropped afterwards whatever is still connected."""
    server = make_url(POSTGRES_URL)
    name = f"kindred_migrations_{secrets.token_hex(6)}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh empty database: a new SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    return request.getfixturevalue("throwaway_postgres_url")


@pytest.fixture
def migrations_app(empty_database_url: str) -> Iterator[Flask]:
    """An app on the empty database, inside an app context; its connections are closed afterwards."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def schema_differences() -> list:
    """What autogenerate would write to make the database match the models (empty when they agree)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
        return compare_metadata(context, db.metadata)


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(app: Flask) -> str | None:
    config = app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


def table_names() -> set[str]:
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if not is_search_table(name)}


def test_upgrade_builds_the_schema_of_the_models(migrations_app: Flask) -> None:
    """`flask db upgrade` on an empty database leaves nothing for autogenerate to add, drop or alter."""
    flask_migrate.upgrade()
    assert current_revision() == head_revision(migrations_app)
    assert table_names() == set(db.metadata.tables)
    assert schema_differences() == []


def test_downgrade_to_base_removes_every_table(migrations_app: Flask) -> None:
    """Downgrading to base drops every table the migrations created."""
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")
    assert table_names() == set()
    assert current_revision() is None


def test_upgrade_after_downgrade_rebuilds_the_same_schema(migrations_app: Flask) -> None:
    """upgrade → downgrade → upgrade ends at head with the schema of the models again."""
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")
    flask_migrate.upgrade()
    assert current_revision() == head_revision(migrations_app)
    assert schema_differences() == []


def test_upgraded_database_accepts_every_enum_value(migrations_app: Flask) -> None:
    """Autogenerate does not compare CHECK constraints, so prove the migrated ones admit every value the models use
    (erased members are stored as 'deleted'; groups and profiles may be members-only)."""
    flask_migrate.upgrade()
    for status in MemberStatus:
        make_member(status=status, profile_visibility=ProfileVisibility.MEMBERS)
    make_group(visibility=GroupVisibility.MEMBERS)
    stored = db.session.scalars(select(Member.status).order_by(Member.id)).all()
    assert stored == list(MemberStatus)


def test_content_languages_keep_existing_rows_in_the_default_language(migrations_app: Flask) -> None:
    """Guidelines versions and announcements saved before 0007 come through it whole, in the community's default
    language, and the originals' numbers stay unique."""
    flask_migrate.upgrade(revision="0006")
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO guidelines_versions (number, raw, cooked, change_note, material, "
                                "created_at) VALUES (1, 'Be kind.', '<p>Be kind.</p>', 'First.', false, "
                                "'2026-12-01 10:00:00')"))  # fmt: skip
        connection.execute(text("INSERT INTO announcements (raw, cooked, created_at) VALUES "
                                "('Hello', '<p>Hello</p>', '2026-12-01 10:00:00')"))  # fmt: skip
    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        version = connection.execute(text("SELECT number, raw, locale, is_translation FROM guidelines_versions")).one()
        announcement = connection.execute(text("SELECT raw, locale FROM announcements")).one()
    assert tuple(version) == (1, "Be kind.", "en", False)
    assert tuple(announcement) == ("Hello", "en")
    with pytest.raises(Exception, match="(?i)unique"), db.engine.begin() as connection:
        connection.execute(text("INSERT INTO guidelines_versions (number, raw, cooked, change_note, locale, "
                                "is_translation, created_at) VALUES (1, 'b', 'b', 'n', 'en', false, "
                                "'2026-12-01 10:00:00')"))  # fmt: skip
