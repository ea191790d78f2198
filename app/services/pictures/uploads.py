"""The pictures sent with a form: checked all together before anything is stored, then stored with their rows.

A refusal (a missing description, too many, too large, empty, not a picture) raises ServiceError on the `images`
field before any file reaches storage or any row is written. Files are put just before the writer's commit; when
that commit fails, the files no row refers to are taken back out (`kept_only_if_committed`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from flask import current_app
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from app.extensions import db
from app.models import Member, Picture
from app.services import Checks, ServiceError
from app.services.media.processing import PictureRefused, ProcessedPicture, process_picture
from app.services.media.storage import get_storage
from app.services.pictures.files import release_files

ALT_MAX = 500
FIELD = "images"


@dataclass(frozen=True)
class Upload:
    """One picture as the form sent it: its file name (shown, never used as a path), its bytes, its description."""

    filename: str
    data: bytes
    alt: str
    too_large: bool = False  # more bytes were sent than KINDRED_UPLOAD_MAX_BYTES: only that many were read


@dataclass(frozen=True)
class Prepared:
    picture: ProcessedPicture
    alt: str


def _megabytes(size: int) -> str:
    return _("%(number)s MB", number=format_decimal(round(size / (1024 * 1024), 1)))


def _display_name(filename: str) -> str:
    """The name as the member's own computer calls it, without any folders a browser or a crafted form put first."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:120] or _("your picture")


def _check_one(upload: Upload, max_bytes: int) -> Prepared:
    name = _display_name(upload.filename)
    alt = " ".join(upload.alt.split())
    if "\x00" in alt:
        raise ServiceError(_("The description of “%(name)s” contains a character that cannot be stored.", name=name))
    if not alt:
        raise ServiceError(
            _(
                "Please describe “%(name)s” for people who cannot see it (for example: a rash on an arm).",
                name=name,
            )
        )
    if len(alt) > ALT_MAX:
        raise ServiceError(
            _("The description of “%(name)s” is too long: at most %(max)d characters.", name=name, max=ALT_MAX)
        )
    if upload.too_large:
        raise ServiceError(
            _("“%(name)s” is larger than %(size)s, the most one picture may be.", name=name, size=_megabytes(max_bytes))
        )
    if not upload.data:
        raise ServiceError(_("“%(name)s” is empty: please choose the picture again.", name=name))
    try:
        return Prepared(process_picture(upload.data, name), alt)
    except PictureRefused as refused:
        raise ServiceError(refused.message) from refused


def prepare_pictures(uploads: Sequence[Upload], already: int = 0) -> list[Prepared]:
    """Check and process every picture sent (with `already` attached before); each refusal is reported at once."""
    if not uploads:
        return []
    max_files = current_app.config["KINDRED_UPLOAD_MAX_FILES"]
    if already + len(uploads) > max_files:
        raise ServiceError(
            ngettext("You can attach at most %(num)d picture.", "You can attach at most %(num)d pictures.", max_files),
            FIELD,
        )
    checks = Checks()
    max_bytes = current_app.config["KINDRED_UPLOAD_MAX_BYTES"]
    prepared = [checks.run(partial(_check_one, upload, max_bytes), None) for upload in uploads]
    for error in checks.errors:
        error.field = FIELD
    if checks.errors:
        checks.errors.append(
            ServiceError(_("Nothing was sent yet: your text is kept, please choose the pictures again."), FIELD)
        )
    checks.settle()
    return [one for one in prepared if one is not None]


def attach_pictures(owner: Member, prepared: Sequence[Prepared], start: int = 0, **belongs_to: object) -> list[str]:
    """Put the files in storage and add their rows to the session (the caller commits); returns the keys put.

    `belongs_to` names what they belong to: post=, message=, resource= or announcement=."""
    storage, keys = get_storage(), []
    for position, one in enumerate(prepared, start=start):
        picture = one.picture
        storage.put(picture.full_key, picture.full, picture.content_type)
        storage.put(picture.thumb_key, picture.thumb, picture.content_type)
        keys += [picture.full_key, picture.thumb_key]
        db.session.add(
            Picture(
                owner=owner,
                position=position,
                alt=one.alt,
                full_key=picture.full_key,
                thumb_key=picture.thumb_key,
                width=picture.full_width,
                height=picture.full_height,
                thumb_width=picture.thumb_width,
                thumb_height=picture.thumb_height,
                byte_size=len(picture.full),
                content_type=picture.content_type,
                **belongs_to,
            )
        )
    return keys


@contextmanager
def kept_only_if_committed(keys: list[str]) -> Iterator[None]:
    """Around the write that names `keys`: if it fails, roll back and remove the files no row refers to."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        if keys:
            release_files(keys)
        raise
