"""Staff create and configure condition groups, and choose which groups a moderator looks after."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import delete, select

from app import permissions
from app.extensions import db
from app.models import Group, GroupVisibility, Member, ModeratorScope, PicturePolicy, Role
from app.services import Checks, ServiceError
from app.services.common.audit import audit

NAME_MAX = 80
DESCRIPTION_MAX = 1000
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _group_problems(
    name: str, slug: str, description: str, visibility: str, picture_policy: str, position: int
) -> Checks:
    """Every field's problem, so the form shows them all at once."""
    rules = (
        (not name or len(name) > NAME_MAX or "\x00" in name, "name",
         _("Give the group a name of 1 to %(limit)d characters.", limit=NAME_MAX)),
        (not SLUG_RE.match(slug) or len(slug) > 80, "slug",
         _("The web address may use lower-case letters, digits and single hyphens.")),
        (len(description) > DESCRIPTION_MAX or "\x00" in description, "description",
         _("Keep the description under %(limit)d characters.", limit=DESCRIPTION_MAX)),
        (visibility not in {v.value for v in GroupVisibility}, "visibility", _("Choose who can read the group.")),
        (picture_policy not in {p.value for p in PicturePolicy}, "picture_policy",
         _("Choose who may post pictures in the group.")),
        (not 0 <= position <= 10_000, "position", _("Position is a number from 0 to 10000.")),
    )  # fmt: skip
    checks = Checks()
    checks.errors.extend(ServiceError(message, field) for broken, field, message in rules if broken)
    return checks


def save_group(
    staff: Member,
    group: Group | None,
    *,
    name: str,
    slug: str,
    description: str,
    position: int,
    archived: bool,
    review_all_posts: bool,
    visibility: str = GroupVisibility.PUBLIC,
    picture_policy: str = PicturePolicy.EVERYONE,
) -> Group:
    """Create a group (group=None) or change one; every change is audited."""
    permissions.ensure(staff, "manage_groups", None)
    name, slug, description = " ".join(name.split()), slug.strip().lower(), description.strip()
    _group_problems(name, slug, description, visibility, picture_policy, position).settle()
    taken = db.session.scalar(select(Group.id).where(Group.slug == slug))
    if taken is not None and (group is None or taken != group.id):
        raise ServiceError(_("Another group already uses this web address."), "slug")
    fields = {
        "name": name,
        "slug": slug,
        "description": description,
        "position": position,
        "archived": archived,
        "review_all_posts": review_all_posts,
        "visibility": GroupVisibility(visibility),
        "picture_policy": PicturePolicy(picture_policy),
    }
    before = None if group is None else {key: getattr(group, key) for key in fields}
    if group is None:
        group = Group(**fields)
        db.session.add(group)
    else:
        for key, value in fields.items():
            setattr(group, key, value)
    db.session.flush()
    audit(
        staff, "create_group" if before is None else "edit_group", group, group_id=group.id, before=before, after=fields
    )
    db.session.commit()
    return group


def set_moderator_scope(staff: Member, moderator: Member, group_ids: list[int]) -> None:
    """Limit a moderator to these groups (an empty list: every group)."""
    permissions.ensure(staff, "manage_groups", None)
    if moderator.role != Role.MODERATOR:
        raise ServiceError(_("Only moderators can be limited to some groups."))
    known = set(db.session.scalars(select(Group.id).where(Group.id.in_(group_ids)))) if group_ids else set()
    if known != set(group_ids):
        raise ServiceError(_("Choose groups from the list."), "groups")
    before = sorted(db.session.scalars(select(ModeratorScope.group_id).where(ModeratorScope.member_id == moderator.id)))
    db.session.execute(delete(ModeratorScope).where(ModeratorScope.member_id == moderator.id))
    db.session.add_all(ModeratorScope(member_id=moderator.id, group_id=gid) for gid in sorted(known))
    audit(staff, "set_moderator_groups", moderator, before={"groups": before}, after={"groups": sorted(known)})
    db.session.commit()
