from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from app.staff import (  # noqa: E402, F401 - registers the views
    announcements,
    events,
    moderation,
    pins,
    reposts,
    resources,
    routes,
    webhooks,
)
