"""Turning an upload into the picture we store: decoded and re-encoded from its pixels, so no metadata survives.

A minimal version of the media core's interface: JPEG, PNG and WebP keep their format; a GIF (animated or not)
becomes a PNG still of its first frame; more than MAX_FRAMES frames, over 40 megapixels, or a strip narrower than
1:MAX_RATIO is refused from the header, before decoding."""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
FULL_SIDE, THUMB_SIDE = 2048, 400
MAX_SIDE, MAX_RATIO = 16_384, 50  # a 100,000 × 1 strip is a trap for decoders, not a photo
MAX_FRAMES = 500  # an animation of thousands of frames is refused before it is walked through
# Markup inside a picture file makes it a polyglot: harmless once re-encoded, but never a member's honest photo.
MARKUP = re.compile(rb"<(?:script|html|svg|iframe|body|!doctype)", re.IGNORECASE)


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


def _check_size(image: Image.Image, filename: str, max_pixels: int) -> None:
    """Refuse what would be costly to decode, from the header alone."""
    width, height = image.size
    if max(width, height) > MAX_RATIO * max(1, min(width, height)):
        raise PictureRefused(_("“%(name)s” is too long and narrow to be shown as a picture.", name=filename))
    if width * height > max_pixels or max(width, height) > MAX_SIDE:
        raise PictureRefused(_("“%(name)s” has too many pixels to be shown here.", name=filename))
    if getattr(image, "n_frames", 1) > MAX_FRAMES:
        raise PictureRefused(_("“%(name)s” has too many frames: please send a still picture.", name=filename))


def _open(data: bytes, filename: str, max_pixels: int) -> Image.Image:
    if MARKUP.search(data):
        raise _refuse(filename)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP", "GIF"])
            _check_size(image, filename, max_pixels)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PictureRefused(_("“%(name)s” has too many pixels to be shown here.", name=filename)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
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
