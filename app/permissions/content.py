"""What staff curate (resources, announcements, guidelines, the dashboard) and what members do with it."""

from __future__ import annotations

from app.models import ContentStatus, Member, Post
from app.permissions.common import Rule, signed_in, staff_only
from app.text.lazy import lazy_text as _l


def feature_post(member: Member | None, post: Post) -> str | None:
    if (reason := staff_only(member, post)) is not None:
        return reason
    if post.status != ContentStatus.VISIBLE or post.topic.status != ContentStatus.VISIBLE:
        return _l("Only published posts can be featured.")
    return None


RULES: dict[str, Rule] = {
    "feature_post": feature_post,
    "manage_resources": staff_only,
    "manage_announcements": staff_only,
    "dismiss_announcement": signed_in,
    "edit_guidelines": staff_only,
    "accept_guidelines": signed_in,
    "view_dashboard": staff_only,
}
