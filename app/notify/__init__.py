"""Follow and unfollow buttons, notification settings and one-click unsubscribe."""

from flask import Blueprint

bp = Blueprint("notify", __name__, cli_group=None)  # `flask send-digest`, not `flask notify ...`

from app.notify import cli, routes  # noqa: E402, F401 - registers the views and the command
