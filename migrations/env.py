"""Alembic environment, run through Flask-Migrate (`flask --app wsgi db upgrade`)."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

db = current_app.extensions["migrate"].db
target_metadata = db.metadata


def render_item(type_, obj, autogen_context):
    """Write our UTCDateTime as the plain column type it stores, so migrations don't import app code."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def _options():
    from app.services.search.index import include_name

    return {
        "target_metadata": target_metadata,
        # The search index (hand-written in migration 0002) is not part of the models.
        "include_name": include_name,
        "compare_type": True,
        "render_item": render_item,
        # SQLite can't ALTER most things; batch mode rebuilds the table instead.
        "render_as_batch": True,
    }


def run_migrations_offline():
    context.configure(url=str(db.engine.url), literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = db.engine  # Flask-SQLAlchemy 3: the engine, not the deprecated get_engine()
    with connectable.connect() as connection:
        context.configure(connection=connection, **_options())
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
