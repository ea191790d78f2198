"""Member profiles."""

from __future__ import annotations

from flask import render_template

from app.community.queries import member_by_name_or_404, recent_public_posts
from app.members import bp


@bp.route("/u/<path:name>")
def profile(name: str):  # noqa: ANN201
    member = member_by_name_or_404(name)
    return render_template("members/profile.html", member=member, posts=recent_public_posts(member))
