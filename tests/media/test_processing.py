"""Uploads are rebuilt from their pixels: no metadata survives, photos come out upright, sizes and formats bounded."""

from __future__ import annotations

import hashlib
import random
import struct
from io import BytesIO

import pytest
from PIL import Image

from app.services.media.processing import ProcessedPicture, process_picture
from tests.media import makers

METADATA_BYTES = [
    makers.SERIAL.encode(),
    makers.CAMERA.encode(),
    makers.TAKEN_AT.encode(),
    makers.XMP_GPS,
    makers.COMMENT,
    struct.pack(">LL", 2437, 100),  # the seconds of the GPS latitude, as Pillow's EXIF (big-endian) stores them
    b"Exif\x00\x00",
    b"http://ns.adobe.com/xap/1.0/",
    b"ICC_PROFILE",
    makers.IPTC_CITY,
    b"Photoshop 3.0",
]


def opened(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def outputs(picture: ProcessedPicture) -> list[bytes]:
    return [picture.full, picture.thumb]


def test_a_phone_photo_keeps_none_of_its_metadata_bytes() -> None:
    """GPS position, camera serial, time, XMP, comment and ICC profile are in the upload and in neither output."""
    upload = makers.jpeg_with_gps()
    assert all(needle in upload for needle in METADATA_BYTES)  # so the test can fail
    picture = process_picture(upload, "IMG_0001.jpg")
    for data in outputs(picture):
        assert [needle for needle in METADATA_BYTES if needle in data] == []


def test_a_phone_photo_has_no_metadata_as_pillow_reads_it() -> None:
    """Pillow finds no EXIF (GPS IFD included), XMP, comment or ICC profile in the stored JPEGs."""
    picture = process_picture(makers.jpeg_with_gps(), "IMG_0001.jpg")
    for data in outputs(picture):
        image = opened(data)
        assert len(image.getexif()) == 0
        assert image.getexif().get_ifd(0x8825) == {}
        assert {"exif", "xmp", "comment", "icc_profile", "photoshop"} & set(image.info) == set()


def test_png_text_chunks_are_gone() -> None:
    """tEXt, zTXt and iTXt chunks (and EXIF) of a PNG are not in the stored PNGs."""
    upload = makers.png_with_text()
    assert makers.SERIAL.encode() in upload
    picture = process_picture(upload, "chart.png")
    for data in outputs(picture):
        image = opened(data)
        assert image.text == {}  # type: ignore[attr-defined]
        assert len(image.getexif()) == 0
        for needle in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", makers.SERIAL.encode(), makers.COMMENT, b"48.8566"):
            assert needle not in data


def test_colours_are_converted_through_the_embedded_icc_profile() -> None:
    """A pixel stored as red in a profile whose red is sRGB's green comes out green, and the profile is not kept."""
    upload = makers.encode(Image.new("RGB", (32, 32), (255, 0, 0)), "PNG", icc_profile=makers.swapped_primaries_icc())
    picture = process_picture(upload, "wide-gamut.png")
    stored = opened(picture.full)
    red, green, blue = stored.convert("RGB").getpixel((5, 5))  # type: ignore[misc]
    assert red < 30 and green > 220 and blue < 30
    assert "icc_profile" not in stored.info


def test_a_broken_icc_profile_is_ignored() -> None:
    """An ICC profile that cannot be read costs only colour accuracy: the picture is still taken."""
    upload = makers.encode(Image.new("RGB", (32, 32), (255, 0, 0)), "PNG", icc_profile=b"not a profile" * 10)
    stored = opened(process_picture(upload, "odd.png").full)
    assert stored.convert("RGB").getpixel((5, 5)) == (255, 0, 0)


def test_a_multi_picture_jpeg_is_taken_as_its_first_picture() -> None:
    """An MPO (a camera's JPEG holding several pictures) is read as a JPEG and stored as one."""
    frames = [makers.noise((80, 60), seed=1), makers.noise((80, 60), seed=2)]
    upload = makers.encode(frames[0], "MPO", save_all=True, append_images=frames[1:])
    assert Image.open(BytesIO(upload)).format == "MPO"
    picture = process_picture(upload, "stereo.jpg")
    assert (picture.content_type, opened(picture.full).format) == ("image/jpeg", "JPEG")
    assert getattr(opened(picture.full), "n_frames", 1) == 1


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_other_animations_become_a_still_of_their_first_frame(fmt: str) -> None:
    """APNG and animated WebP are stored as one still picture: their first frame."""
    frames = [Image.new("RGB", (40, 40), colour) for colour in ((255, 0, 0), (0, 0, 255), (0, 255, 0))]
    upload = makers.encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100)
    stored = opened(process_picture(upload, f"moving.{fmt.lower()}").full)
    assert getattr(stored, "n_frames", 1) == 1
    red, green, blue = stored.convert("RGB").getpixel((20, 20))  # type: ignore[misc]
    assert red > 200 and green < 40 and blue < 40


def test_a_palette_png_with_transparency_keeps_it() -> None:
    """A palette PNG with a transparent colour becomes RGBA, transparent there."""
    image = Image.new("P", (40, 40), 0)
    image.putpalette([0, 0, 0, 255, 255, 255] + [0] * 762)
    image.paste(1, (0, 0, 20, 40))
    picture = process_picture(makers.encode(image, "PNG", transparency=0), "icon.png")
    stored = opened(picture.full)
    assert stored.mode == "RGBA" and stored.getpixel((30, 5))[3] == 0 and stored.getpixel((5, 5))[3] == 255  # type: ignore[index]


def test_a_rotated_photo_comes_out_upright() -> None:
    """The EXIF orientation is applied: a sideways 80 x 40 photo becomes 40 x 80 with its red corner top right."""
    picture = process_picture(makers.rotated_jpeg(), "sideways.jpg")
    image = opened(picture.full).convert("RGB")
    assert image.size == (40, 80) == (picture.full_width, picture.full_height)
    red, green, blue = image.getpixel((38, 1))  # type: ignore[misc]
    assert red > 200 and green < 60 and blue < 60
    assert image.getpixel((1, 1))[2] > 200  # type: ignore[index]
    assert 0x0112 not in opened(picture.full).getexif()


def test_a_cmyk_jpeg_becomes_rgb_with_its_colour() -> None:
    """CMYK is converted to RGB: pure cyan stays cyan."""
    picture = process_picture(makers.cmyk_jpeg(), "print.jpg")
    image = opened(picture.full)
    assert image.mode == "RGB" and picture.content_type == "image/jpeg"
    red, green, blue = image.getpixel((60, 40))  # type: ignore[misc]
    assert red < 60 and green > 200 and blue > 200


def test_a_sixteen_bit_png_becomes_eight_bit_without_clipping() -> None:
    """A 16-bit grey at half brightness comes out as an 8-bit grey near 128, not white."""
    picture = process_picture(makers.sixteen_bit_png(32768), "scan.png")
    image = opened(picture.full)
    assert image.mode == "RGB"
    assert all(120 <= channel <= 136 for channel in image.getpixel((10, 10)))  # type: ignore[union-attr]


def test_transparency_is_kept_for_png() -> None:
    """A PNG with see-through parts stays an RGBA PNG, transparent where it was."""
    image = makers.noise((100, 100)).convert("RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 50, 50))
    picture = process_picture(makers.encode(image, "PNG"), "logo.png")
    stored = opened(picture.full)
    assert (picture.content_type, picture.extension, stored.mode) == ("image/png", "png", "RGBA")
    assert stored.getpixel((10, 10))[3] == 0  # type: ignore[index]


def test_transparency_is_kept_for_webp() -> None:
    """A WebP with alpha stays WebP with alpha."""
    image = makers.noise((100, 100)).convert("RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 50, 50))
    picture = process_picture(makers.encode(image, "WEBP", lossless=True), "sticker.webp")
    stored = opened(picture.full)
    assert (picture.content_type, picture.extension, stored.format) == ("image/webp", "webp", "WEBP")
    assert stored.mode == "RGBA" and stored.getpixel((10, 10))[3] < 10  # type: ignore[index]


def test_an_opaque_alpha_channel_is_dropped() -> None:
    """An alpha channel that hides nothing adds only weight: the output is RGB."""
    picture = process_picture(makers.encode(makers.noise((60, 60)).convert("RGBA"), "PNG"), "flat.png")
    assert opened(picture.full).mode == "RGB"


def test_large_pictures_are_scaled_to_2048_and_thumbnails_to_400() -> None:
    """The long side is at most 2,048 px for the picture and 400 px for the thumbnail, proportions kept."""
    picture = process_picture(makers.encode(makers.noise((3000, 1000)), "JPEG"), "wide.jpg")
    assert (picture.full_width, picture.full_height) == (2048, 683)
    assert (picture.thumb_width, picture.thumb_height) == (400, 133)
    assert opened(picture.full).size == (2048, 683) and opened(picture.thumb).size == (400, 133)


def test_small_pictures_are_not_enlarged() -> None:
    """A picture smaller than the bounds keeps its size (and the thumbnail too)."""
    picture = process_picture(makers.encode(makers.noise((320, 240)), "PNG"), "small.png")
    assert (picture.full_width, picture.full_height, picture.thumb_width, picture.thumb_height) == (320, 240) * 2


def test_jpeg_stays_a_progressive_jpeg() -> None:
    """JPEG in, progressive JPEG out, under the .jpg extension."""
    picture = process_picture(makers.jpeg_with_gps(), "photo.jpeg")
    assert (picture.content_type, picture.extension) == ("image/jpeg", "jpg")
    assert opened(picture.full).info.get("progressive") == 1


def test_a_still_gif_becomes_png() -> None:
    """A GIF of one frame is stored as PNG."""
    picture = process_picture(makers.encode(makers.noise((50, 50)).convert("P"), "GIF"), "still.gif")
    assert (picture.content_type, picture.extension, opened(picture.full).format) == ("image/png", "png", "PNG")


def test_a_photo_saved_as_a_huge_png_becomes_webp() -> None:
    """A PNG that would weigh more than 4 MB after scaling (a photo) is stored as WebP instead."""
    noisy = Image.frombytes("RGB", (1300, 1200), random.Random(7).randbytes(1300 * 1200 * 3))
    picture = process_picture(makers.encode(noisy, "PNG", compress_level=0), "photo.png")
    assert (picture.content_type, picture.extension, opened(picture.full).format) == ("image/webp", "webp", "WEBP")


def test_keys_are_the_sha256_of_the_output() -> None:
    """Each key is the SHA-256 of the bytes stored under it, with the extension, so one picture is stored once."""
    picture = process_picture(makers.jpeg_with_gps(), "a.jpg")
    assert picture.full_key == f"{hashlib.sha256(picture.full).hexdigest()}.jpg"
    assert picture.thumb_key == f"{hashlib.sha256(picture.thumb).hexdigest()}.jpg"
    assert process_picture(makers.jpeg_with_gps(), "again.jpg").full_key == picture.full_key


def test_an_animated_gif_stays_animated_with_a_still_thumbnail() -> None:
    """A short animation keeps its frames and timing; its thumbnail is a still of the first frame."""
    picture = process_picture(makers.animated_gif(6, (120, 90), duration=80), "wave.gif")
    full, thumb = opened(picture.full), opened(picture.thumb)
    assert (picture.content_type, picture.extension) == ("image/gif", "gif")
    assert full.n_frames == 6 and full.info["duration"] == 80  # type: ignore[attr-defined]
    assert getattr(thumb, "n_frames", 1) == 1


@pytest.mark.parametrize("size", [(1000, 500), (900, 1700)])
def test_animations_are_scaled_to_800(size: tuple[int, int]) -> None:
    """Animated output is at most 800 px on its long side."""
    picture = process_picture(makers.animated_gif(3, size), "big.gif")
    assert max(picture.full_width, picture.full_height) == 800


def test_a_transparent_animation_keeps_its_transparency_frame_by_frame() -> None:
    """A red square moving over a see-through background: each stored frame shows it in its place only."""
    frames = []
    for index in range(3):
        frame = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
        frame.paste((255, 0, 0, 255), (index * 10, 0, index * 10 + 10, 10))
        frames.append(frame)
    upload = makers.encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0, disposal=2)
    stored = Image.open(BytesIO(process_picture(upload, "moving.gif").full))
    for index in range(3):
        stored.seek(index)
        shown = stored.convert("RGBA")
        assert [shown.getpixel((x * 10 + 5, 5))[3] for x in range(3)] == [255 if x == index else 0 for x in range(3)]  # type: ignore[index]
        assert shown.getpixel((index * 10 + 5, 5))[:3] == (255, 0, 0)  # type: ignore[index]
