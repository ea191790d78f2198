from flask import Blueprint

bp = Blueprint("members", __name__)

from app.members import routes, suggest  # noqa: E402, F401 - registers the views
