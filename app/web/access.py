"""The first gate of every request: may this visitor or member reach this endpoint at all?"""

from __future__ import annotations

from flask import Flask, abort, request
from flask_login import current_user

from app import permissions
from app.extensions import login_manager


def register(app: Flask) -> None:
    @app.before_request
    def enforce_route_access():  # noqa: ANN202
        reason = permissions.route_refusal(current_user, request.endpoint)
        if reason is None:
            return None
        if reason == permissions.SIGN_IN:
            return login_manager.unauthorized()  # to the sign-in page, coming back here afterwards
        abort(403, description=reason)
