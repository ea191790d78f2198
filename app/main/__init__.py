from flask import Blueprint

bp = Blueprint("main", __name__)

from app.main import preview, routes, site_files  # noqa: E402, F401 - registers the views
