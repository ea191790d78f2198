"""Static files under URLs that change with their content, so browsers may keep each one for a year.

Templates write `static_url("kindred.css")`, which adds the file's content digest (`/static/kindred.css?v=3f2a…`).
A request naming a version is answered with a year's lifetime, marked immutable: after an upgrade, pages name the
new digest and browsers fetch the new file. Without a version, Flask's default (revalidate) applies.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, request, url_for

YEAR = 365 * 24 * 3600


def register(app: Flask) -> None:
    digests: dict[str, str] = {}

    def static_url(filename: str) -> str:
        digest = digests.get(filename)
        if digest is None or app.debug:  # under `make run`, an edited file gets a new URL at once
            assert app.static_folder is not None  # create_app sets static_folder
            content = (Path(app.static_folder) / filename).read_bytes()
            digest = digests[filename] = hashlib.blake2b(content, digest_size=6).hexdigest()
        return url_for("static", filename=filename, v=digest)

    app.jinja_env.globals["static_url"] = static_url

    @app.after_request
    def keep_versioned_files(response: Response) -> Response:
        if request.endpoint == "static" and request.args.get("v") and response.status_code in (200, 304):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
