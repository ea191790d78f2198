"""Questions in advance of events: asking and "I want to know too", their review, and staff's answers afterwards."""

from flask import Blueprint

bp = Blueprint("questions", __name__)

from app.questions import routes, staff  # noqa: E402, F401 - registers the views
