"""Turning an upload into the picture we store: decoded and re-encoded from its pixels, so no metadata survives."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
FULL_SIDE, THUMB_SIDE = 2048, 400


class PictureRefused(Exception):
    """A file that is not accepted. `message` is a whole translated sentence naming the file, for the member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedPicture:
    full: bytes
    full_width: int
    full_height: int
    thumb: bytes
    thumb_width: int
    thumb_height: int
    content_type: str
    extension: str
    full_key: str
    thumb_key: str


def _refuse(filename: str) -> PictureRefused:
    return PictureRefused(
        _("“%(name)s” is not a picture we accept: please send a JPEG, PNG, WebP or GIF file.", name=filename)
    )


def _open(data: bytes, filename: str, max_pixels: int) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP", "GIF"])
        if image.width * image.height > max_pixels:
            raise PictureRefused(_("“%(name)s” has too many pixels to be shown here.", name=filename))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise _refuse(filename) from error
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85)
    else:
        image.save(out, fmt)
    return out.getvalue()


def process_picture(data: bytes, filename: str, *, max_pixels: int = 40_000_000) -> ProcessedPicture:
    """Check and re-encode an upload: upright, without metadata, at most FULL_SIDE px, with a thumbnail."""
    image = _open(data, filename, max_pixels)
    source_format = image.format or ""
    image = ImageOps.exif_transpose(image)
    fmt = "PNG" if source_format == "GIF" else source_format  # GIFs become a still of their first frame
    if fmt not in FORMATS:
        raise _refuse(filename)
    if fmt == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    full, thumb = image.copy(), image.copy()
    full.thumbnail((FULL_SIDE, FULL_SIDE))
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    content_type, extension = FORMATS[fmt]
    full_bytes, thumb_bytes = _encode(full, fmt), _encode(thumb, fmt)
    return ProcessedPicture(
        full=full_bytes,
        full_width=full.width,
        full_height=full.height,
        thumb=thumb_bytes,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
        content_type=content_type,
        extension=extension,
        full_key=f"{hashlib.sha256(full_bytes).hexdigest()}.{extension}",
        thumb_key=f"{hashlib.sha256(thumb_bytes).hexdigest()}.{extension}",
    )
