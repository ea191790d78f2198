from flask import Blueprint

bp = Blueprint("media", __name__, url_prefix="/media")

from app.media import routes  # noqa: E402, F401 - registers the views
