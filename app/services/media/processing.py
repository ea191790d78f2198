"""Turn an uploaded file into pictures that are safe to store and show: decided by content, re-encoded from pixels.

What comes in is read by Pillow restricted to JPEG, PNG, WebP and GIF (never judged by its name or Content-Type).
What goes out is rebuilt from the pixels alone, so no EXIF (GPS position, camera serial, time), XMP, IPTC, comment,
ICC profile or PNG text chunk survives. A file that also carries markup or script (a polyglot: a picture that a
browser could be tricked into reading as a web page) is refused outright, so it is never stored even rebuilt:

- The EXIF orientation is applied, colours are converted to sRGB (through the embedded ICC profile when there is
  one; CMYK becomes RGB, 16-bit greys become 8-bit), and the result is left untagged, which browsers read as sRGB.
- The picture is scaled to at most 2,048 px on its long side, the thumbnail to at most 400 px. A JPEG is decoded
  at 1/2, 1/4 or 1/8 scale when that loses at most 5% of the long side (a 4,000 x 3,000 photo becomes 2,000 x 1,500):
  several times faster and smaller in memory than decoding every pixel and resampling.
- Formats: a JPEG stays JPEG (quality 85, progressive; thumbnails 80). A PNG stays PNG (lossless, so screenshots and
  infographics keep sharp text), with its alpha channel, unless the PNG would weigh more than 4 MB (a photo saved as
  PNG): then it becomes WebP (quality 85), alpha kept. A WebP stays WebP (quality 85), alpha kept. A still GIF
  becomes PNG. Other animations (APNG, animated WebP) become a still of their first frame.
- Animated GIFs stay animated when they can be kept small: at most 800 px on the long side, 60 seconds and 16 million
  pixels over all kept frames; frames beyond those bounds are dropped (the animation ends sooner). One of more than
  100 frames is refused, found by reading frame 101, so a GIF of 10,000 frames costs no more than one of 100. A GIF
  whose canvas is over 4 megapixels becomes a still. The thumbnail of an animation is a still of its first frame
  (a gallery that does not move, and nothing that flashes unasked).
- Refused, each with a sentence naming the file: empty files; anything that is not one of the four formats; damaged
  or truncated files; more than `max_pixels` (40 megapixels), read from the header before any pixel is decoded
  (Pillow's own decompression-bomb guard is handled too); shapes more than 25 times longer than wide (a 1 x 100,000
  strip), which no page could show usefully.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from hashlib import sha256
from io import BytesIO

from flask_babel import gettext as _
from PIL import Image

from app.services.media import pixels

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_ASPECT_RATIO = 25
NAME_LENGTH = 60
# The first bytes of the accepted formats: a file that starts like one but cannot be read is damaged, not foreign.
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
# Markup a browser would act on. Compressed pixels contain one of these by chance about once in 2**48 positions per
# pattern, far rarer than a genuine photo; a hostile file has them in plain text.
_MARKUP = re.compile(rb"<(?:script|html|body|iframe|svg|object|embed|!doctype)[\s>/]|javascript:", re.IGNORECASE)


class PictureRefused(Exception):
    """A file that is not accepted. `message` is a whole translated sentence naming the file, for the member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedPicture:
    """What is stored for one upload: the picture and its thumbnail, named by the SHA-256 of their bytes."""

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


def process_picture(data: bytes, filename: str, *, max_pixels: int = 40_000_000) -> ProcessedPicture:
    """Read an upload by its content and rebuild it from its pixels; PictureRefused says why a file is not taken."""
    name = safe_filename(filename)
    if not data:
        raise PictureRefused(_("“%(name)s” is empty: please choose the picture again.", name=name))
    with _opened(data, name, max_pixels) as image:
        if _MARKUP.search(data):  # only now: what is no picture at all gets the message naming the formats
            raise PictureRefused(
                _("“%(name)s” contains web page code as well as a picture, so it is not accepted.", name=name)
            )
        _check_shape(image, name, max_pixels)
        try:
            encoded = pixels.rebuild(image)
        except pixels.TooManyFrames as error:
            raise PictureRefused(
                _(
                    "“%(name)s” has too many frames: an animation may have at most %(frames)s.",
                    name=name,
                    frames=pixels.MAX_FRAMES,
                )
            ) from error
        except Exception as error:  # hostile bytes: any failure of Pillow's while decoding means an unreadable file
            raise PictureRefused(_damaged(name)) from error
    full_key = f"{sha256(encoded.full).hexdigest()}.{encoded.extension}"
    thumb_key = f"{sha256(encoded.thumb).hexdigest()}.{encoded.extension}"
    return ProcessedPicture(
        full=encoded.full,
        full_width=encoded.full_size[0],
        full_height=encoded.full_size[1],
        thumb=encoded.thumb,
        thumb_width=encoded.thumb_size[0],
        thumb_height=encoded.thumb_size[1],
        content_type=encoded.content_type,
        extension=encoded.extension,
        full_key=full_key,
        thumb_key=thumb_key,
    )


def safe_filename(filename: str) -> str:
    """The file's name as it may be shown: no folders, no control or invisible characters, a bounded length."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    kept: list[str] = []
    marks = 0
    for char in name:
        category = unicodedata.category(char)
        marks = marks + 1 if category[0] == "M" else 0
        if category[0] == "Z" or char.isspace():
            kept.append(" ")
        elif category[0] != "C" and marks <= 2:  # no controls, bidi overrides, zero-widths, nor towers of accents
            kept.append(char)
    shown = " ".join("".join(kept).split())
    if shown in ("", ".", ".."):
        return _("unnamed file")
    if len(shown) > NAME_LENGTH:
        return shown[: NAME_LENGTH - 1] + "…"
    return shown


@contextmanager
def _opened(data: bytes, name: str, max_pixels: int) -> Iterator[Image.Image]:
    """The file opened by Pillow with only the accepted formats' readers: nothing but its header is read yet."""
    try:
        image = Image.open(BytesIO(data), formats=ACCEPTED_FORMATS)
    # Pillow's own guard: an error past twice its limit (~179 megapixels), a warning past it, which is an exception
    # where warnings are errors (the tests) and otherwise only logged, since max_pixels is checked just after anyway.
    # (warnings.catch_warnings would silence it, but it changes process-wide state and is not thread-safe.)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PictureRefused(_too_many_pixels(name, max_pixels)) from error
    except Exception as error:  # UnidentifiedImageError, or a reader choking on a damaged header
        if data.startswith(_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
            raise PictureRefused(_damaged(name)) from error
        raise PictureRefused(
            _("“%(name)s” is not a picture Kindred can take: please choose a JPEG, PNG, WebP or GIF file.", name=name)
        ) from error
    with image:
        yield image


def _check_shape(image: Image.Image, name: str, max_pixels: int) -> None:
    """Refuse from the header alone what would be too costly to decode or too odd to show."""
    width, height = image.size
    if width < 1 or height < 1:
        raise PictureRefused(_damaged(name))
    if width * height > max_pixels:
        raise PictureRefused(_too_many_pixels(name, max_pixels))
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise PictureRefused(
            _(
                "“%(name)s” is too long and narrow to show: a picture may be at most %(ratio)s times longer than it "
                "is wide.",
                name=name,
                ratio=MAX_ASPECT_RATIO,
            )
        )


def _damaged(name: str) -> str:
    return _("“%(name)s” is damaged or incomplete and could not be read: please choose another copy.", name=name)


def _too_many_pixels(name: str, max_pixels: int) -> str:
    return _(
        "“%(name)s” is too large: a picture may have at most %(megapixels)s megapixels.",
        name=name,
        megapixels=max_pixels // 1_000_000,
    )
