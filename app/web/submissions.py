"""Where a member lands when the same words arrive twice (see app.services.common.submissions), for every composer."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response


def to_first_submission(url: str | None) -> Response:
    """Say that nothing was stored twice, and show what the first submission created (`url`; None: the home page)."""
    flash(_("You just posted this, so it was not posted a second time. Here it is."), "info")
    return redirect(url or url_for("main.index"))
