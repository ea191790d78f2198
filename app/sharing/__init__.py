"""Posts outside Kindred: share card images, the oEmbed provider, and the embeddable card other sites may frame."""

from flask import Blueprint

bp = Blueprint("sharing", __name__)

from app.sharing import routes  # noqa: E402, F401 - registers the views
