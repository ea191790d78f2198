from flask import Blueprint

bp = Blueprint("community", __name__)

from app.community import revisions, routes  # noqa: E402, F401 - registers the views
