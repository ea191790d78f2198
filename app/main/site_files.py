"""What browsers fetch for the site itself rather than for a page: the icon at /favicon.ico and the web app manifest."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import cast

from flask import Response, current_app, send_from_directory, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _

from app.extensions import limiter
from app.main import bp
from app.permissions import PUBLIC, access

THEME_COLOUR = "#1f5f8b"  # --accent in static/kindred.css
BACKGROUND_COLOUR = "#ffffff"
# Browsers ask for these by fixed URLs, so they cannot carry a content version: keep them a week, not a year.
WEEK = 7 * 24 * 3600


@bp.record_once
def _theme_colour_in_templates(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals["theme_colour"] = THEME_COLOUR  # the pages' <meta name="theme-color">


@bp.route("/favicon.ico")
@access(PUBLIC)
@limiter.exempt
def favicon() -> Response:
    """Browsers ask every site for /favicon.ico, linked or not."""
    response = send_from_directory(current_app.static_folder or "", "favicon.ico", max_age=WEEK)
    response.cache_control.public = True
    return response


@bp.route("/manifest.webmanifest")
@access(PUBLIC)
@limiter.exempt
def manifest() -> Response:
    """The web app manifest: the community's name, colours and icons, for "add to home screen"."""
    static_url = cast(Callable[[str], str], current_app.jinja_env.globals["static_url"])
    name = current_app.config["SITE_NAME"]
    document = {
        "name": name,
        "short_name": name,
        "description": _("A peer-support community for patients and the people who care for them."),
        "start_url": url_for("main.index"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static_url("icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static_url("icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static_url("icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = Response(json.dumps(document, ensure_ascii=False), mimetype="application/manifest+json")
    response.cache_control.public = True
    response.cache_control.max_age = 24 * 3600
    response.vary.add("Accept-Language")  # the description is in the reader's language
    return response
