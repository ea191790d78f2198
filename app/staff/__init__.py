from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from app.staff import announcements, pins, resources, routes, webhooks  # noqa: E402, F401 - registers the views
