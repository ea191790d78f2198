from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import email_link, oidc, passkeys, routes, two_factor  # noqa: E402, F401 - registers the views
