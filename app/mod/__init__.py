from flask import Blueprint

bp = Blueprint("mod", __name__, url_prefix="/mod")

from app.mod import groups, members, pictures, queue, settings, topics  # noqa: E402, F401 - registers the views
