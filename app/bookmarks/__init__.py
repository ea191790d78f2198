"""Bookmarks: the buttons on topics and posts, the member's list, and the page for a bookmark's note and reminder."""

from flask import Blueprint

bp = Blueprint("bookmarks", __name__)

from app.bookmarks import routes  # noqa: E402, F401 - registers the views
