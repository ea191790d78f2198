"""The member's own account: settings hub, password, e-mail address, verification and password reset."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from app.account import (  # noqa: E402, F401 - registers the views
    confirm,
    language,
    passkeys,
    recovery,
    routes,
    sessions,
    text_size,
    two_factor,
)
