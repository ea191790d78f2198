from flask import Blueprint

bp = Blueprint("guidelines", __name__, url_prefix="/guidelines")

from app.guidelines import routes  # noqa: E402, F401 - registers the views
