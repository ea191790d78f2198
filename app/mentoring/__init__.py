"""Mentoring: the welcome queue of new members' first posts, and the check-in list, at /mentor."""

from flask import Blueprint

bp = Blueprint("mentoring", __name__)

from app.mentoring import routes  # noqa: E402, F401 - registers the views
