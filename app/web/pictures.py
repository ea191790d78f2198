"""The picture fields every composer shares: `images` (files) and `image_alt` (one description per file, same
order), read into the uploads the services check; and the addresses pictures are shown at."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from wtforms import Field

from app import permissions
from app.extensions import limiter
from app.models import Group, Picture, PicturePolicy
from app.services.members.trust import is_trusted
from app.services.pictures.uploads import Upload

ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
UPLOAD_LIMIT = "30 per hour"  # pictures per member, counted across every composer


def _pictures_sent() -> int:
    return sum(1 for sent in request.files.getlist("images") if sent.filename)


def _uploader_key() -> str:
    return f"member:{current_user.id}" if current_user.is_authenticated else get_remote_address()


# Put under a composer's other limits: each picture a POST carries counts one against the member's hour.
upload_limit = limiter.shared_limit(
    UPLOAD_LIMIT,
    scope="pictures",
    key_func=_uploader_key,
    cost=_pictures_sent,
    exempt_when=lambda: request.method != "POST" or _pictures_sent() == 0,
)


class ListField(Field):
    """Every value sent under the field's name, in order (WTForms' text fields keep the first only)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = list(valuelist)

    def _value(self) -> str:
        return ""


class PictureFields:
    """Mixed into a composer's form: the files and their descriptions, and on an edit the pictures to take away."""

    images = ListField(_l("Pictures"), default=list)
    image_alt = ListField(_l("Descriptions of the pictures"), default=list)
    remove_picture = ListField(_l("Pictures to remove"), default=list)


def uploads_from(form: Any) -> list[Upload]:
    """The chosen files, each with the description sent in the same position; slots left empty are skipped.

    At most KINDRED_UPLOAD_MAX_BYTES + 1 bytes of a file are read: one more than allowed says it is too large."""
    max_bytes = current_app.config["KINDRED_UPLOAD_MAX_BYTES"]
    alts = [value if isinstance(value, str) else "" for value in form.image_alt.data or []]
    uploads = []
    for position, sent in enumerate(form.images.data or []):
        if not isinstance(sent, FileStorage) or not sent.filename:
            continue  # an empty file input, or text sent where a file belongs
        data = sent.stream.read(max_bytes + 1)
        alt = alts[position] if position < len(alts) else ""
        uploads.append(Upload(sent.filename, data[:max_bytes], alt, too_large=len(data) > max_bytes))
    return uploads


def removed_ids(form: Any) -> list[int]:
    """The ids of the pictures ticked for removal (anything else sent there is ignored)."""
    return [int(value) for value in form.remove_picture.data or [] if isinstance(value, str) and value.isdigit()]


def picture_url(picture: Picture, *, thumb: bool = False, public: bool = True) -> str:
    """Where a picture is served; a page linking a picture visitors may not see is never kept for visitors."""
    if not public:
        g.kindred_private_pictures = True
    size = "thumb" if thumb else None  # None adds nothing to the address
    return url_for("media.picture", picture_id=picture.id, filename=file_name(picture), size=size)


def file_name(picture: Picture) -> str:
    """A name that says nothing but what the file is (never the uploader's own file name)."""
    return f"picture-{picture.id}.{picture.extension}"


def shown_picture_url(picture: Picture, parent: Any, thumb: bool = False) -> str:
    """picture_url for a page: public or not as decided for a visitor looking at what it belongs to."""
    public = permissions.can(None, "view_picture", (picture, parent, None))
    return picture_url(picture, thumb=thumb, public=public)


def upload_limits() -> dict[str, Any]:
    """What the picture fields tell members before they choose: how many, and how large each may be."""
    from app.web.errors import human_size

    config = current_app.config
    return {"files": config["KINDRED_UPLOAD_MAX_FILES"], "size": human_size(config["KINDRED_UPLOAD_MAX_BYTES"])}


def may_post_pictures(group: Group) -> bool:
    """Whether the current member may attach pictures in `group` (trust is looked up only where the group asks)."""
    member = current_user._get_current_object() if current_user.is_authenticated else None
    trusted = group.picture_policy == PicturePolicy.TRUSTED and member is not None and is_trusted(member)
    return permissions.can(member, "post_pictures", (group, trusted))
