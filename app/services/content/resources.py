"""The resource library: creating, editing, ordering and archiving entries, and featuring members' posts."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask_babel import format_number, lazy_gettext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.extensions import db
from app.models import Group, Member, Picture, Post, Resource, ResourceKind
from app.services import Checks, ServiceError
from app.services.common.audit import audit, notify
from app.services.common.cleaning import BODY_MAX, clean_text, clean_title, visible_length
from app.services.pictures.files import keys_of, release_files
from app.services.pictures.uploads import Prepared, Upload, attach_pictures, kept_only_if_committed, prepare_pictures
from app.services.webhooks import events as webhook_events
from app.text.rendering import cook

URL_MAX = 2000
DESCRIPTION_MAX = 1000


@dataclass
class ResourceInput:
    """What a staff member typed into the resource form."""

    title: str = ""
    description: str = ""
    kind: str = ""
    url: str = ""
    body: str = ""
    group_ids: list[int] = field(default_factory=list)
    pictures: list[Upload] = field(default_factory=list)  # added beneath the page text
    remove_pictures: list[int] = field(default_factory=list)  # ids of the entry's pictures to take away


def clean_url(value: str) -> str:
    """An absolute http(s) address with a host and no credentials; anything else is refused with the reason."""
    value = value.strip()
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in value):
        raise ServiceError(_("A web address cannot contain spaces or control characters."), "url")
    if len(value) > URL_MAX:
        raise ServiceError(_("Web addresses can be at most %(limit)s characters.", limit=format_number(URL_MAX)), "url")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        raise ServiceError(_("This is not a valid web address."), "url") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise ServiceError(_("Only web addresses starting with http:// or https:// can be used."), "url")
    if not parts.hostname:
        raise ServiceError(_("This web address has no site name, e.g. https://www.nhs.uk/."), "url")
    if parts.username is not None or parts.password is not None:
        raise ServiceError(_("Web addresses with a user name or password are not allowed."), "url")
    return value


def _clean_title(title: str) -> str:
    """A resource's title by the topic-title rules, its messages speaking of "the title" rather than "your title"."""
    if "\x00" in title:
        raise ServiceError(_("The title contains a character that cannot be stored (NUL)."), "title")
    if not visible_length(title):
        raise ServiceError(_("Please give the resource a title."), "title")
    return clean_title(title)


def _apply(resource: Resource, data: ResourceInput, removed: list[Picture]) -> list[Prepared]:
    """Validate every field (refusing all that need changing at once), then write them all, or nothing; returns
    the pictures to attach, checked and processed."""
    checks = Checks()
    kept = len(resource.pictures) - len(removed) if resource.id is not None else 0
    prepared: list[Prepared] = checks.run(lambda: prepare_pictures(data.pictures, kept), [])
    title = checks.run(lambda: _clean_title(data.title), "")
    description = checks.run(
        lambda: clean_text(
            data.description, limit=DESCRIPTION_MAX, empty=None, noun="Descriptions", field="description"
        ),
        "",
    )
    checks.run(lambda: _check_kind(data.kind), None)
    url = checks.run(lambda: clean_url(data.url) if data.url.strip() else None, None)
    body = checks.run(lambda: clean_text(data.body, limit=BODY_MAX, empty=None, noun="Page texts") or None, None)
    if resource.source_post_id is None and not any(error.field in ("url", "body") for error in checks.errors):
        checks.run(lambda: _check_url_or_body(url, body), None)
    no_groups: list[Group] = []
    groups = checks.run(lambda: _groups(data.group_ids), no_groups)
    checks.settle()
    resource.title, resource.description, resource.kind = title, description, ResourceKind(data.kind)
    if resource.source_post_id is None:
        resource.url, resource.raw, resource.cooked = url, body, cook(body) if body else None
    resource.groups = groups
    return prepared


def _check_kind(value: str) -> None:
    if value not in {kind.value for kind in ResourceKind}:
        raise ServiceError(_("Choose what kind of resource this is."), "kind")


def _check_url_or_body(url: str | None, body: str | None) -> None:
    """A library entry of its own is a link or a page, exactly one of the two."""
    if url and body:
        raise ServiceError(_("Give either a web address or a page text, not both."), "url")
    if not url and not body:
        raise ServiceError(_("Give a web address (http or https), or write the page text."), "url")


def _groups(group_ids: list[int]) -> list[Group]:
    groups = list(db.session.scalars(select(Group).where(Group.id.in_(group_ids)))) if group_ids else []
    if len(groups) != len(set(group_ids)):
        raise ServiceError(_("Choose groups from the list."), "groups")
    return groups


def _next_position() -> int:
    return (db.session.scalar(select(func.max(Resource.position))) or 0) + 1


def create_resource(actor: Member, data: ResourceInput) -> Resource:
    """Add an entry at the end of the library."""
    permissions.ensure(actor, "manage_resources", None)
    resource = Resource(created_by_id=actor.id, position=_next_position())
    prepared = _apply(resource, data, [])
    db.session.add(resource)
    db.session.flush()
    audit(actor, "create_resource", resource, after={"title": resource.title})
    with kept_only_if_committed(attach_pictures(actor, prepared, resource_id=resource.id)):
        db.session.commit()
    return resource


def update_resource(actor: Member, resource: Resource, data: ResourceInput) -> None:
    """Change an entry's text, link, kind or groups."""
    permissions.ensure(actor, "manage_resources", resource)
    before = {"title": resource.title, "url": resource.url}
    removed = [picture for picture in resource.pictures if picture.id in set(data.remove_pictures)]
    prepared = _apply(resource, data, removed)
    audit(actor, "edit_resource", resource, before=before, after={"title": resource.title, "url": resource.url})
    for picture in removed:
        db.session.delete(picture)
    start = max((picture.position for picture in resource.pictures), default=-1) + 1
    with kept_only_if_committed(attach_pictures(actor, prepared, start=start, resource_id=resource.id)):
        db.session.commit()
    release_files(keys_of(removed))


def move_resource(actor: Member, resource: Resource, direction: str) -> None:
    """Swap places with the neighbouring entry above or below (archived entries keep their place)."""
    permissions.ensure(actor, "manage_resources", resource)
    if resource.archived:
        raise ServiceError(_("Archived entries are not in the list: restore this one first."))
    query = select(Resource).where(~Resource.archived, Resource.id != resource.id)
    if direction == "up":
        query = query.where(Resource.position < resource.position).order_by(Resource.position.desc())
    else:
        query = query.where(Resource.position > resource.position).order_by(Resource.position)
    neighbour = db.session.scalar(query.limit(1))
    if neighbour is None:
        raise ServiceError(_("This entry is already first.") if direction == "up" else _("This entry is already last."))
    resource.position, neighbour.position = neighbour.position, resource.position
    audit(actor, "move_resource", resource, after={"direction": direction})
    db.session.commit()


def set_archived(actor: Member, resource: Resource, archived: bool) -> None:
    """Archive (hide from members, keep for staff) or restore an entry; restored entries go last."""
    permissions.ensure(actor, "manage_resources", resource)
    if resource.archived == archived:
        raise ServiceError(_("This entry is already archived.") if archived else _("This entry is not archived."))
    resource.archived = archived
    if not archived:
        resource.position = _next_position()
    audit(actor, "archive_resource" if archived else "restore_resource", resource)
    db.session.commit()


def feature_post(actor: Member, post: Post) -> Resource:
    """One action: the post becomes a library entry in its group, credited to its author, who is told."""
    permissions.ensure(actor, "feature_post", post)
    if db.session.scalar(select(Resource.id).where(Resource.source_post_id == post.id)) is not None:
        raise ServiceError(_("This post is already in the resource library."))
    resource = Resource(
        title=post.topic.title,
        description="",
        kind=ResourceKind.ARTICLE,
        source_post_id=post.id,
        position=_next_position(),
        created_by_id=actor.id,
        groups=[post.topic.group],
    )
    db.session.add(resource)
    try:
        db.session.flush()
    except IntegrityError as error:  # featured by someone else a moment ago
        db.session.rollback()
        raise ServiceError(_("This post is already in the resource library.")) from error
    audit(actor, "feature_post", post, group_id=post.topic.group_id, after={"resource": resource.id})
    thanks = lazy_gettext("Staff added your post to the resource library. Thank you for sharing it.")
    notify(post.author_id, "featured", thanks, f"/resources/{resource.id}")
    webhook_events.resource_featured(resource, post)
    db.session.commit()
    return resource
