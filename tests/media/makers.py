"""Real picture files for the tests, made with Pillow (or by hand where Pillow would refuse to write them)."""

from __future__ import annotations

import random
import struct
import zlib
from io import BytesIO

from PIL import ExifTags, Image, ImageCms, PngImagePlugin

SERIAL = "KINDRED-SN-4711-0815"
CAMERA = "Kindred PhoneCam 9"
TAKEN_AT = "2026:11:30 07:45:12"
LATITUDE = ((48, 1), (51, 1), (2437, 100))  # 48° 51' 24.37" N: a home, as far as the tests know
LONGITUDE = ((2, 1), (21, 1), (761, 100))
XMP_GPS = b"exif:GPSLatitude='48,51.4062N' exif:GPSLongitude='2,21.1268E'"
COMMENT = b"taken at 12 Rue Example, Paris"
IPTC_CITY = b"Kindred-IPTC-City"


def with_iptc(jpeg: bytes) -> bytes:
    """The JPEG with an APP13 (Photoshop IRB) segment holding IPTC: the city the photo was taken in."""
    iptc = b"\x1c\x02\x5a" + struct.pack(">H", len(IPTC_CITY)) + IPTC_CITY
    iptc += b"\0" * (len(iptc) % 2)
    resource = b"8BIM\x04\x04\0\0" + struct.pack(">I", len(iptc)) + iptc
    body = b"Photoshop 3.0\0" + resource
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def noise(size: tuple[int, int], mode: str = "RGB", seed: int = 1) -> Image.Image:
    """A photo-like picture: random coloured blocks smoothed a little, nothing a compressor finds flat."""
    rng = random.Random(seed)
    small = Image.frombytes(
        mode,
        (max(1, size[0] // 8), max(1, size[1] // 8)),
        rng.randbytes(max(1, size[0] // 8) * max(1, size[1] // 8) * len(mode)),
    )
    return small.resize(size, Image.Resampling.BICUBIC)


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def gps_exif() -> Image.Exif:
    """EXIF as a phone writes it: where (GPS), with what (make, model, serial) and when."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Kindred"
    exif[ExifTags.Base.Model] = CAMERA
    exif[ExifTags.Base.DateTime] = TAKEN_AT
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.BodySerialNumber] = SERIAL
    details[ExifTags.Base.DateTimeOriginal] = TAKEN_AT
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = tuple(numerator / denominator for numerator, denominator in LATITUDE)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = tuple(numerator / denominator for numerator, denominator in LONGITUDE)
    return exif


def jpeg_with_gps(size: tuple[int, int] = (640, 480)) -> bytes:
    """A phone photo: EXIF with GPS and serial, XMP with the position again, IPTC, a comment, an ICC profile."""
    xmp = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:Description " + XMP_GPS + b"/></x:xmpmeta>"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = encode(noise(size), "JPEG", exif=gps_exif(), xmp=xmp, comment=COMMENT, icc_profile=srgb, quality=90)
    return with_iptc(photo)


def png_with_text() -> bytes:
    """A PNG carrying text chunks of all three kinds (tEXt, zTXt, iTXt) and EXIF."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", COMMENT.decode())
    info.add_text("Location", "48.8566 N, 2.3522 E", zip=True)
    info.add_itxt("Author", "Serial " + SERIAL, lang="en")
    return encode(noise((300, 200)), "PNG", pnginfo=info, exif=gps_exif())


def cmyk_jpeg() -> bytes:
    """A print-shop JPEG in CMYK: pure cyan."""
    return encode(Image.new("CMYK", (120, 80), (255, 0, 0, 0)), "JPEG", quality=95)


def sixteen_bit_png(level: int = 32768) -> bytes:
    """A 16-bit grey PNG at half brightness (a plain convert to 8 bits would clip it to white)."""
    return encode(Image.new("I;16", (64, 64), level), "PNG")


def rotated_jpeg() -> bytes:
    """A photo stored sideways: 80 x 40 pixels with a red top-left corner, and orientation 6 (turn 90° clockwise)."""
    image = Image.new("RGB", (80, 40), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 20, 10))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    return encode(image, "JPEG", exif=exif, quality=95)


def animated_gif(frames: int, size: tuple[int, int] = (4, 4), duration: int = 40) -> bytes:
    """A GIF of `frames` frames, alternating black and white (so no encoder merges them)."""
    images = [Image.new("L", size, 255 * (index % 2)) for index in range(frames)]
    return encode(images[0], "GIF", save_all=True, append_images=images[1:], duration=duration, loop=0)


def endless_gif(frames: int = 10_000, side: int = 4, centiseconds: int = 4) -> bytes:
    """An animated GIF of `frames` frames written by hand (Pillow would take seconds to write 10,000 of them).

    LZW with a clear code before every pixel never grows its table, so each frame is a fixed run of 3-bit codes."""

    def frame(colour: int) -> bytes:
        codes = [4, colour] * (side * side) + [5]  # clear code, pixel, ...; then end of information
        bits = sum(code << (3 * index) for index, code in enumerate(codes))
        data = bits.to_bytes((3 * len(codes) + 7) // 8, "little")
        blocks = b"".join(bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255))
        control = b"\x21\xf9\x04\x08" + struct.pack("<H", centiseconds) + b"\x00\x00"  # disposal 2
        return control + b"\x2c" + struct.pack("<HHHHB", 0, 0, side, side, 0) + b"\x02" + blocks + b"\x00"

    header = b"GIF89a" + struct.pack("<HHBBB", side, side, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    pair = frame(0) + frame(1)  # black, white: no encoder may merge them
    return header + loop + pair * (frames // 2) + frame(0) * (frames % 2) + b"\x3b"


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` (valid CRCs), with a tiny IDAT: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
POLYGLOT_TAIL = b"<html><body><script>alert('polyglot')</script></body></html>"


def swapped_primaries_icc() -> bytes:
    """An RGB display profile (ICC v2, matrix and gamma) whose red and green primaries are sRGB's the other way round:
    a pixel stored as pure red means pure green, which only a conversion through the profile shows."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    text = b"Kindred swapped primaries\0"
    description = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 8 + b"\0" * 3 + b"\0" * 67
    gamma = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0233) + b"\0\0"
    tags = [
        (b"desc", description),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.3851, 0.7169, 0.0971)),  # sRGB's green primary (D50)
        (b"gXYZ", xyz(0.4361, 0.2225, 0.0139)),  # sRGB's red primary
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", gamma),
        (b"gTRC", gamma),
        (b"bTRC", gamma),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (
        struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ " + b"\0" * 12 + b"acsp"
        + b"\0" * 24 + struct.pack(">I", 0) + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48
    )  # fmt: skip
    return header + struct.pack(">I", len(tags)) + table + data
