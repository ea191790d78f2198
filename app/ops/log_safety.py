"""Keep members' data out of the logs (SECURITY.md #21), however verbose an operator makes them.

SQL logging (`sqlalchemy.engine` at INFO/DEBUG) would otherwise print every bound value (e-mail addresses,
password hashes, post and message bodies, token hashes) and, at DEBUG, every result row. Statements stay
visible, which is what an operator debugging a slow page needs; values and rows never are.
"""

from __future__ import annotations

import logging

from flask import Flask

SQL_LOGGER = "sqlalchemy.engine.Engine"
# Authlib logs the PKCE code verifier (and OAuth 1 request tokens) at DEBUG: secrets of a sign-in in progress.
AUTHLIB_LOGGER = "authlib.integrations.base_client.sync_app"
# urllib3 logs each request line at DEBUG: the path of a webhook address is often a credential of its own.
URLLIB3_LOGGER = "urllib3.connectionpool"


class DropResultRows(logging.Filter):
    """SQLAlchemy logs each fetched row at DEBUG ("Row %r"); hide_parameters does not cover those."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


class DropAuthlibSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            isinstance(record.msg, str) and record.msg.startswith(("Using code_verifier", "Fetch request token"))
        )


class DropRequestLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and '"%s %s %s"' in record.msg)


def register(app: Flask) -> None:
    """Hide SQL parameters on every engine of this app, and drop logged result rows (once per process)."""
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
        "hide_parameters": True,
    }
    logger = logging.getLogger(SQL_LOGGER)
    if not any(isinstance(f, DropResultRows) for f in logger.filters):
        logger.addFilter(DropResultRows())
    authlib = logging.getLogger(AUTHLIB_LOGGER)
    if not any(isinstance(f, DropAuthlibSecrets) for f in authlib.filters):
        authlib.addFilter(DropAuthlibSecrets())
    pool = logging.getLogger(URLLIB3_LOGGER)
    if not any(isinstance(f, DropRequestLines) for f in pool.filters):
        pool.addFilter(DropRequestLines())
