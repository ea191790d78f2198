"""From an opened picture to clean output bytes: upright, sRGB, scaled, re-encoded (processing.py says what and why)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageCms, ImageOps

FULL_SIZE = 2048
THUMB_SIZE = 400
# Animated GIFs: what is kept of one (at most), so that a long or large animation costs a bounded time and memory.
ANIMATION_SIZE = 800
MAX_FRAMES = 100
MAX_ANIMATION_MS = 60_000
MAX_ANIMATION_PIXELS = 16_000_000  # canvas pixels over all frames read, so also a bound on what is kept
MAX_ANIMATED_CANVAS = 4_000_000
PNG_LIMIT = 4 * 1024 * 1024
_SRGB = ImageCms.createProfile("sRGB")
_RESAMPLE = Image.Resampling.LANCZOS
_OUTPUTS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}
_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


@dataclass(frozen=True)
class Encoded:
    """The output of one upload: both sizes in one format."""

    full: bytes
    full_size: tuple[int, int]
    thumb: bytes
    thumb_size: tuple[int, int]
    content_type: str
    extension: str


def rebuild(image: Image.Image) -> Encoded:
    """New pictures made from the pixels of `image` alone (its header has been checked already)."""
    width, height = image.size
    if image.format == "GIF" and getattr(image, "is_animated", False) and width * height <= MAX_ANIMATED_CANVAS:
        return _animation(image)
    output = _OUTPUTS[str(image.format)]
    full = _still(image, FULL_SIZE)
    thumb = full.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE), _RESAMPLE)
    full_bytes = _save(full, output)
    if output == "PNG" and len(full_bytes) > PNG_LIMIT:  # a photo saved as PNG: lossy WebP is a tenth of the size
        output = "WEBP"
        full_bytes = _save(full, output)
    content_type, extension = _TYPES[output]
    return Encoded(full_bytes, full.size, _save(thumb, output, thumb=True), thumb.size, content_type, extension)


def _still(image: Image.Image, box: int) -> Image.Image:
    """The first frame, scaled to fit `box`, upright and in sRGB (RGB, or RGBA where it has real transparency)."""
    icc = image.info.get("icc_profile")
    if image.format in ("JPEG", "MPO"):
        image.draft(image.mode, _draft_size(image.size, box))
    frame = _eight_bit(image)
    frame.thumbnail((box, box), _RESAMPLE)
    # After scaling: turning a smaller picture costs less. The frame still holds the EXIF that says how to turn it.
    upright = ImageOps.exif_transpose(frame)
    return _to_srgb(upright, icc)


def _draft_size(size: tuple[int, int], box: int) -> tuple[int, int]:
    """The smallest size to let the JPEG decoder scale down to (by 1/2, 1/4 or 1/8, far cheaper than resampling).

    Up to 5% under the bound: a 4,000 x 3,000 photo is decoded at 2,000 x 1,500 and needs no resampling at all."""
    scale = min(1.0, box / max(size)) * 0.95
    return max(1, int(size[0] * scale)), max(1, int(size[1] * scale))


def _eight_bit(image: Image.Image) -> Image.Image:
    """A mode that scaling and colour conversion understand: L, LA, RGB, RGBA or CMYK."""
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    if mode.startswith("I"):  # 16-bit greys: scale 0-65535 down to 0-255 (a plain convert would clip)
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = "A" in mode or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _to_srgb(frame: Image.Image, icc: bytes | None) -> Image.Image:
    """The frame's colours in sRGB: through its ICC profile when it has a usable one, by Pillow's formulas otherwise."""
    alpha = frame.getchannel("A") if frame.mode in ("LA", "RGBA") else None
    base = frame.convert("L" if frame.mode == "LA" else "RGB") if alpha is not None else frame
    rgb = None
    if icc:
        try:
            rgb = ImageCms.profileToProfile(base, ImageCms.ImageCmsProfile(BytesIO(icc)), _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            rgb = None  # a broken or mismatched profile: the colours are likely close enough without it
    if rgb is None:
        rgb = base.convert("RGB")
    if alpha is not None and alpha.getextrema() != (255, 255):  # an alpha channel that hides nothing is dropped
        rgb.putalpha(alpha)
    return rgb


def _save(image: Image.Image, output: str, *, thumb: bool = False) -> bytes:
    """Encode with nothing but pixels: no EXIF, XMP, ICC, comment or text chunk is passed on."""
    image.info = {}
    buffer = BytesIO()
    if output == "JPEG":
        image.save(buffer, "JPEG", quality=80 if thumb else 85, progressive=True, optimize=True)
    elif output == "PNG":
        image.save(buffer, "PNG", compress_level=6)
    else:
        image.save(buffer, "WEBP", quality=85, method=4)
    return buffer.getvalue()


def _animation(image: Image.Image) -> Encoded:
    """An animated GIF, kept animated within the bounds, and a still thumbnail of its first frame."""
    loop = image.info.get("loop")
    frames, durations = _frames(image)
    thumb = frames[0].copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE), _RESAMPLE)
    for frame in (*frames, thumb):
        frame.info = {}
    options: dict[str, object] = {"save_all": True, "append_images": frames[1:], "duration": durations, "disposal": 2}
    if loop is not None:
        options["loop"] = loop
    full = BytesIO()
    frames[0].save(full, "GIF", **options)
    still = BytesIO()
    thumb.save(still, "GIF")
    return Encoded(full.getvalue(), frames[0].size, still.getvalue(), thumb.size, "image/gif", "gif")


class TooManyFrames(Exception):
    """An animation longer than MAX_FRAMES frames: refused rather than cut, so nobody's GIF silently loses its end."""


def _frames(image: Image.Image) -> tuple[list[Image.Image], list[int]]:
    """The frames to keep (whole, scaled, sRGB) and their durations; reading stops at the first one beyond a bound.

    Past MAX_FRAMES frames the file is refused (TooManyFrames), found by reading one frame more, never all of them."""
    width, height = image.size
    icc = image.info.get("icc_profile")
    limit = max(1, min(MAX_FRAMES, MAX_ANIMATION_PIXELS // (width * height)))
    frames: list[Image.Image] = []
    durations: list[int] = []
    for index in range(limit):
        try:
            image.seek(index)
        except EOFError:
            break
        duration = int(image.info.get("duration") or 100)  # browsers show a frame of 0 ms for 100 ms
        if frames and sum(durations) + duration > MAX_ANIMATION_MS:
            break
        frame = image.convert("RGBA")  # the frame as shown: Pillow composes it over the ones before
        frame.thumbnail((ANIMATION_SIZE, ANIMATION_SIZE), _RESAMPLE)
        frames.append(_to_srgb(frame, icc).convert("RGBA"))
        durations.append(duration)
    if len(frames) == MAX_FRAMES and _has_frame(image, MAX_FRAMES):
        raise TooManyFrames
    return frames, durations


def _has_frame(image: Image.Image, index: int) -> bool:
    try:
        image.seek(index)
    except EOFError:
        return False
    return True
