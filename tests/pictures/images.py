"""Picture files made by the tests themselves, with Pillow, and the form fields that send them."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import Picture


def png(width: int = 500, height: int = 300, colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 800, height: int = 600, colour: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


def stored(folder: Path) -> list[str]:
    """The names of the files in the storage folder, in all its shard folders (none when it was never made)."""
    return sorted(path.name for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def kept() -> list[str]:
    """The keys of every file in the app's storage, local folder or S3 bucket, as the backend itself lists them."""
    from app.services.media.storage import get_storage

    return sorted(stored.key for stored in get_storage().files())


def picture_rows() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Picture)) or 0


def upload_form(client, url: str, fields: dict, *pictures: tuple[bytes, str, str]):  # noqa: ANN001, ANN201
    """POST a composer's form with pictures, as a browser sends it (multipart, encoded in memory: the test
    client's own encoder leaves a temporary file open for large bodies)."""
    values = MultiDict({"csrf_token": client.csrf_token(), **fields})
    for data, name, alt in pictures:
        values.add("images", FileStorage(io.BytesIO(data), filename=name, content_type="application/octet-stream"))
        values.add("image_alt", alt)
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def make_picture(*, alt: str = "A picture", data: bytes | None = None, **belongs_to: object) -> Picture:
    """A stored picture row with its files, attached to post_id=, message_id=, ... (the owner is its author)."""
    from app.models import Member
    from app.services.media.processing import process_picture
    from app.services.media.storage import get_storage

    processed = process_picture(data or png(), "test.png")
    storage = get_storage()
    storage.put(processed.full_key, processed.full, processed.content_type)
    storage.put(processed.thumb_key, processed.thumb, processed.content_type)
    owner_id = belongs_to.pop("owner_id", None) or db.session.scalars(select(Member.id).limit(1)).one()
    picture = Picture(
        owner_id=owner_id, alt=alt, full_key=processed.full_key, thumb_key=processed.thumb_key,
        width=processed.full_width, height=processed.full_height, thumb_width=processed.thumb_width,
        thumb_height=processed.thumb_height, byte_size=len(processed.full), content_type=processed.content_type,
        **belongs_to,
    )  # fmt: skip
    db.session.add(picture)
    db.session.commit()
    return picture


def picture_path(picture: Picture, thumb: bool = False) -> str:
    return f"/media/{picture.id}/picture-{picture.id}.{picture.extension}" + ("?size=thumb" if thumb else "")
