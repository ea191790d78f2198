from flask import Blueprint

bp = Blueprint("helpful", __name__)

from app.helpful import routes  # noqa: E402, F401 - registers the views
