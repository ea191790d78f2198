"""Events: the list (upcoming and past), each event's page with its replies, and calendar files."""

from flask import Blueprint

bp = Blueprint("events", __name__)

from app.events import routes  # noqa: E402, F401 - registers the views
