"""Hostile files sent through the real reply form: each refused clearly by name, with nothing stored (no row, no
file); a real picture under a hostile name is stored under its content hash only."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image

from tests.factories import make_group, make_member, make_topic
from tests.pictures.images import jpeg, picture_rows, png, stored, upload_form
from tests.support import browser, read_corpus, soup

ACCEPTED = "please choose a JPEG, PNG, WebP or GIF file"


def svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'


def polyglot() -> bytes:
    """A valid JPEG whose comment segment holds an HTML page with a script."""
    data = jpeg(40, 40)
    comment = b"<html><body><script>alert(document.cookie)</script></body></html>"
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return data[:2] + segment + data[2:]


def claims_size(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` × `height` pixels (its CRC fixed, so decoders believe it)."""
    data = bytearray(png(8, 8))
    ihdr = bytes(data[12:16]) + struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(ihdr))
    return bytes(data)


def strip() -> bytes:
    out = io.BytesIO()
    Image.new("L", (100_000, 1), 128).save(out, "PNG")
    return out.getvalue()


def many_frames() -> bytes:
    frames = [Image.new("RGB", (2, 2), (255, 255, 255) if i % 2 else (0, 0, 0)) for i in range(10_000)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=10)
    return out.getvalue()


HOSTILE = {
    "svg-renamed": (svg, "drawing.png", ACCEPTED),
    "empty": (lambda: b"", "empty.jpg", "“empty.jpg” is empty"),
    "eleven-mb": (lambda: os.urandom(11 * 1024 * 1024), "huge.jpg", "“huge.jpg” is larger than 10 MB"),
    "polyglot": (polyglot, "photo.jpg", "contains web page code as well as a picture"),
    "strip": (strip, "strip.png", "too long and narrow"),
    "claims-50000": (lambda: claims_size(50_000, 50_000), "bomb.png", "a picture may have at most 40 megapixels"),
    "10000-frames": (many_frames, "frames.gif", "has too many frames"),
    "html": (lambda: b"<!doctype html><p>hello</p>", "page.html", ACCEPTED),
    "pdf": (lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "scan.pdf", ACCEPTED),
    "truncated": (lambda: jpeg()[:300], "cut.jpg", "is damaged or incomplete"),
    "dot-dot": (svg, "../../etc/passwd.png", "“passwd.png” is not a picture"),
}


def as_browsers_send(name: str) -> str:
    """A file name as the HTML standard has browsers write it in a multipart body (quotes and newlines escaped)."""
    return name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def reply_with(app: Flask, data: bytes, name: str, alt: str = "What it shows"):  # noqa: ANN201
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    body = "My words stay on the page."
    response = upload_form(browser(app, member), f"/t/{topic.id}/reply", {"body": body}, (data, name, alt))
    return response, soup(response)


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_refused_by_name_and_nothing_is_stored(app: Flask, uploads: Path, case: str) -> None:
    """Each hostile file gets a clear refusal naming it; no row and no file is left, and the text is kept."""
    make, name, message = HOSTILE[case]
    response, page = reply_with(app, make(), name)
    assert response.status_code == 422
    assert message in page.select_one("#images-error").text
    assert page.select_one("#body").text.strip() == "My words stay on the page."
    assert (picture_rows(), stored(uploads)) == (0, [])


@pytest.mark.parametrize("name", ["../../../../tmp/evil.png", "..\\\\..\\\\win.png", "/etc/cron.d/x.png"])
def test_picture_under_a_path_name_is_stored_by_hash_only(app: Flask, uploads: Path, name: str) -> None:
    """A real picture named like a path is stored under its content hash inside the storage folder, nowhere else."""
    response, _ = reply_with(app, png(), name)
    assert response.status_code == 302
    assert picture_rows() == 1
    assert all(len(file) == 68 and file.endswith(".png") for file in stored(uploads))
    assert not Path("/tmp/evil.png").exists()  # noqa: S108 - the place the name points at, checked empty


def test_odd_unicode_names_and_descriptions_survive(app: Flask, uploads: Path) -> None:
    """Names and descriptions from the hostile corpora never cause a 500: refusals name the file as text."""
    for line in read_corpus("hostile-inputs.txt")[:40] + read_corpus("xss-payloads.txt")[:20]:
        name = as_browsers_send(f"{line}.png")
        response, page = reply_with(app, svg(), name, alt=line)
        assert response.status_code == 422, line
        assert page.select("script:not([src])") == [], line
    assert (picture_rows(), stored(uploads)) == (0, [])
