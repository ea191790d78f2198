from flask import Blueprint

bp = Blueprint("reading", __name__)

from app.reading import routes  # noqa: E402, F401 - registers the views
