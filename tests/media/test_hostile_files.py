"""Hostile uploads are refused by name with a sentence for the member, or rebuilt so that nothing hostile survives."""

from __future__ import annotations

import tracemalloc
from io import BytesIO

import pytest
from PIL import Image

from app.services.media.processing import PictureRefused, process_picture, safe_filename
from tests.media import makers
from tests.support import read_corpus

NOT_ACCEPTED = "please choose a JPEG, PNG, WebP or GIF file"


def refusal(data: bytes, filename: str = "upload.png", **options: int) -> str:
    with pytest.raises(PictureRefused) as refused:
        process_picture(data, filename, **options)
    assert str(refused.value) == refused.value.message
    return refused.value.message


def test_a_polyglot_is_refused() -> None:
    """A valid JPEG followed by HTML with a script is refused by name, not stored even rebuilt."""
    message = refusal(makers.jpeg_with_gps() + makers.POLYGLOT_TAIL, "polyglot.jpg")
    assert message == "“polyglot.jpg” contains web page code as well as a picture, so it is not accepted."


@pytest.mark.parametrize("marker", [b"<SCRIPT>", b"<svg onload=x>", b"javascript:alert(1)", b"<!DOCTYPE html>"])
def test_markup_hidden_in_a_picture_comment_is_refused(marker: bytes) -> None:
    """Markup anywhere in the bytes (here a JPEG comment segment), whatever its case, refuses the file."""
    jpeg = makers.jpeg_with_gps()
    segment = b"\xff\xfe" + (len(marker) + 2).to_bytes(2, "big") + marker
    assert "web page code" in refusal(jpeg[:2] + segment + jpeg[2:], "photo.jpg")


def test_a_photo_of_noise_is_not_mistaken_for_markup() -> None:
    """Compressed pixels of a large noisy photo are accepted: the markup check has no false alarm there."""
    picture = process_picture(makers.encode(makers.noise((1200, 900)), "JPEG"), "noise.jpg")
    assert picture.content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (makers.SVG, "drawing.png"),
        (makers.SVG, "drawing.svg"),
        (makers.HTML, "page.jpg"),
        (makers.PDF, "letter.pdf"),
        (makers.HEIC, "IMG_2041.heic"),
        (b"BM" + b"\0" * 64, "bitmap.bmp"),
        (makers.encode(makers.noise((20, 20)), "TIFF"), "scan.tiff"),
        (b"\x00\x00\x01\x00" + b"\0" * 40, "favicon.ico"),
    ],
)
def test_files_that_are_not_one_of_the_four_formats_are_refused(data: bytes, filename: str) -> None:
    """SVG (whatever its name), HTML, PDF, HEIC and the formats Pillow could read but Kindred does not take."""
    message = refusal(data, filename)
    assert NOT_ACCEPTED in message and filename in message


def test_an_empty_file_is_refused_by_name() -> None:
    """A 0-byte file is refused, named."""
    assert refusal(b"", "blank.jpg") == "“blank.jpg” is empty: please choose the picture again."


@pytest.mark.parametrize("cut", [200, 2000, -400])
def test_a_truncated_jpeg_is_refused_as_damaged(cut: int) -> None:
    """A JPEG cut short, early or late, is damaged, not foreign."""
    message = refusal(makers.jpeg_with_gps()[:cut], "cut.jpg")
    assert "“cut.jpg” is damaged or incomplete" in message


def test_a_truncated_png_is_refused_as_damaged() -> None:
    """A PNG cut short is refused as damaged."""
    assert "damaged" in refusal(makers.png_with_text()[:-300], "cut.png")


def test_a_one_pixel_high_strip_is_refused() -> None:
    """A 100,000 x 1 PNG (under the pixel limit) is refused as too long and narrow to show."""
    message = refusal(makers.encode(makers.noise((100_000, 1), "L"), "PNG"), "strip.png")
    assert "too long and narrow" in message and "25" in message


def test_a_header_claiming_fifty_thousand_squared_pixels_is_refused_before_decoding() -> None:
    """A PNG claiming 50,000 x 50,000 pixels is refused from its header, without memory spent on its pixels."""
    tracemalloc.start()
    message = refusal(makers.png_header(50_000, 50_000), "bomb.png")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert message == "“bomb.png” is too large: a picture may have at most 40 megapixels."
    assert peak < 5_000_000


def test_a_header_just_over_the_limit_is_refused_by_our_own_check() -> None:
    """41 megapixels (below Pillow's own bomb limit) are refused by the 40-megapixel check."""
    assert "at most 40 megapixels" in refusal(makers.png_header(8000, 5125), "big.png")


def test_the_pixel_limit_can_be_lowered() -> None:
    """max_pixels is the limit used, and the message says it."""
    assert "at most 1 megapixels" in refusal(
        makers.encode(makers.noise((1200, 1000)), "PNG"), "a.png", max_pixels=1_000_000
    )


def test_a_ten_thousand_frame_gif_is_refused_after_reading_a_hundred_and_one() -> None:
    """An animated GIF of 10,000 frames is refused by name, with little memory: frame 101 is the last one read."""
    upload = makers.endless_gif(10_000)
    assert Image.open(BytesIO(upload)).n_frames == 10_000  # type: ignore[attr-defined]
    tracemalloc.start()
    message = refusal(upload, "endless.gif")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert message == "“endless.gif” has too many frames: an animation may have at most 100."
    assert peak < 30_000_000


def test_a_gif_of_a_hundred_frames_stays_animated() -> None:
    """At the frame bound exactly, the animation is kept whole."""
    picture = process_picture(makers.endless_gif(100), "hundred.gif")
    assert Image.open(BytesIO(picture.full)).n_frames == 100  # type: ignore[attr-defined]


def test_a_long_gif_keeps_at_most_sixty_seconds() -> None:
    """Frames beyond a minute of animation are dropped."""
    picture = process_picture(makers.animated_gif(90, duration=1000), "slow.gif")
    assert Image.open(BytesIO(picture.full)).n_frames == 60  # type: ignore[attr-defined]


def test_a_file_name_with_folders_is_shown_without_them() -> None:
    """A name with ../ or back-slashed folders is shown as its last part only."""
    assert "“passwd.png”" in refusal(b"", "../../etc/passwd.png")
    assert "“evil.png”" in refusal(b"", "..\\..\\windows\\evil.png")
    assert safe_filename("../..") == "unnamed file"


def test_odd_unicode_in_a_file_name_is_shown_harmlessly() -> None:
    """Bidi overrides, zero-width and control characters are dropped; the visible letters stay."""
    assert safe_filename("photo\u202egnp.exe\u200b\x00\x1b[31m.png") == "photognp.exe[31m.png"
    assert safe_filename("Ärztin\u2028befund.jpg") == "Ärztin befund.jpg"
    assert safe_filename("a" + "\u0301" * 50 + ".jpg") == "\u00e1\u0301\u0301.jpg"  # at most two marks on a letter


def test_a_long_file_name_is_capped() -> None:
    """Names are cut to 60 characters, the cut shown."""
    shown = safe_filename("x" * 500 + ".jpg")
    assert len(shown) == 60 and shown.endswith("…")


@pytest.mark.parametrize("corpus", ["hostile-inputs.txt", "xss-payloads.txt"])
def test_every_hostile_name_gives_a_short_refusal_without_controls(corpus: str) -> None:
    """Each line of the shared corpora as a file name: a sentence of bounded length, no control or bidi character."""
    for line in read_corpus(corpus):
        message = refusal(b"", line)
        shown = safe_filename(line)
        assert f"“{shown}”" in message and len(shown) <= 60
        assert not any(char in shown for char in "\x00\r\n\t\u202e\u200b\u2028\u0085/\\")


def test_a_header_past_pillows_own_warning_limit_is_refused_as_too_large() -> None:
    """100 megapixels (past Pillow's warning, below its error) get the same clear refusal."""
    assert "at most 40 megapixels" in refusal(makers.png_header(10_000, 10_000), "huge.png")
