"""The member's own account: profile settings, data export and account deletion (under /account)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/account")

from app.privacy import routes  # noqa: E402, F401 - registers the views
