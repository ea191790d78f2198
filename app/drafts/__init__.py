"""A member's drafts: the list at /drafts, saving from the composer (JavaScript), discarding, and clean-up."""

from flask import Blueprint

bp = Blueprint("drafts", __name__, cli_group=None)  # `flask purge-drafts`, not `flask drafts ...`

from app.drafts import cli, routes  # noqa: E402, F401 - registers the views and the command
