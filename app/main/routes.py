"""The home page, the guidelines and the health check."""

from __future__ import annotations

from flask import jsonify, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.community.queries import groups_with_latest_topic, latest_topics, site_wide_pins
from app.community.reading import read_state
from app.extensions import db, limiter
from app.guidelines.routes import show_guidelines
from app.main import bp
from app.permissions import PUBLIC, access

LATEST_TOPICS_ON_HOME = 8


@bp.route("/")
@access(PUBLIC)
def index():  # noqa: ANN201
    """The groups, and the latest active topics so a returning member sees what is happening."""
    viewer = current_user._get_current_object() if current_user.is_authenticated else None
    groups = groups_with_latest_topic(viewer)
    return render_template(
        "main/index.html",
        groups=groups,
        latest=latest_topics(viewer, groups, LATEST_TOPICS_ON_HOME, read_state(viewer)),
        pinned=site_wide_pins(viewer),
    )


@bp.route("/guidelines")
@access(PUBLIC)
def guidelines():  # noqa: ANN201
    """The versioned guidelines (app.guidelines); the endpoint keeps its name for every url_for."""
    return show_guidelines()


@bp.route("/healthz")
@access(PUBLIC)
@limiter.exempt
def healthz():  # noqa: ANN201
    """For load balancers and monitoring: is this process able to reach its database?"""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
