"""Picture files made by the tests themselves, with Pillow, and the form fields that send them."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

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


def files(*pictures: tuple[bytes, str, str]) -> dict[str, list]:
    """Form fields for (bytes, file name, description) triples, in order."""
    return {
        "images": [(io.BytesIO(data), name) for data, name, _ in pictures],
        "image_alt": [alt for _, _, alt in pictures],
    }


def stored(folder: Path) -> list[str]:
    """The names of the files in the storage folder (none when it was never made)."""
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def picture_rows() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Picture)) or 0


def upload_form(client, url: str, fields: dict, *pictures: tuple[bytes, str, str]):  # noqa: ANN001, ANN201
    """POST a composer's form with pictures, as a browser sends it (multipart)."""
    data = {"csrf_token": client.csrf_token(), **fields, **files(*pictures)}
    return client.post(url, data=data, content_type="multipart/form-data")
