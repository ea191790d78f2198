"""Draw Kindred's icon (two people side by side on the accent colour) as the files browsers ask for.

Writes static/icon.svg, static/favicon.ico (a 32 px PNG inside an ICO), static/apple-touch-icon.png (180 px) and the
web app manifest's static/icon-192.png and static/icon-512.png. Pure Python (no imaging library is a dependency):
the shapes are simple enough to rasterise here, with 4x4 supersampling for smooth edges. Run it after changing the
shapes: `python tools/make_icons.py`.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static"
ACCENT = (0x1F, 0x5F, 0x8B)  # --accent in kindred.css
WHITE = (0xFF, 0xFF, 0xFF)
# On a 100 x 100 canvas: the tile's corner radius, two heads (circles) and two shoulders (half discs).
CORNER = 22
HEADS = ((37.0, 38.0, 12.0), (63.0, 38.0, 12.0))
SHOULDERS = ((37.0, 82.0, 21.0), (63.0, 82.0, 21.0))
SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<rect width="100" height="100" rx="{CORNER}" fill="#{"".join(f"{c:02x}" for c in ACCENT)}"/>
<g fill="#fff">
{"".join(f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}"/>' for x, y, r in HEADS)}
{"".join(f'<path d="M{x - r:g} {y:g}a{r:g} {r:g} 0 0 1 {2 * r:g} 0z"/>' for x, y, r in SHOULDERS)}
</g>
</svg>
"""


def _in_tile(x: float, y: float) -> bool:
    cx = min(max(x, CORNER), 100 - CORNER)
    cy = min(max(y, CORNER), 100 - CORNER)
    return math.hypot(x - cx, y - cy) <= CORNER


def _is_figure(x: float, y: float) -> bool:
    if any(math.hypot(x - hx, y - hy) <= r for hx, hy, r in HEADS):
        return True
    return any(y <= sy and math.hypot(x - sx, y - sy) <= r for sx, sy, r in SHOULDERS)


def _pixel(px: int, py: int, size: int, samples: int = 4) -> bytes:
    tile = figure = 0
    for i in range(samples):
        for j in range(samples):
            x = (px + (i + 0.5) / samples) * 100 / size
            y = (py + (j + 0.5) / samples) * 100 / size
            if _in_tile(x, y):
                tile += 1
                figure += _is_figure(x, y)
    if tile == 0:
        return b"\0\0\0\0"
    share = figure / tile
    rgb = bytes(round(a + (w - a) * share) for a, w in zip(ACCENT, WHITE, strict=True))
    return rgb + bytes([round(255 * tile / samples**2)])


def png(size: int) -> bytes:
    """The icon as an RGBA PNG of `size` pixels square."""
    rows = b"".join(b"\0" + b"".join(_pixel(x, y, size) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def ico(image: bytes, size: int) -> bytes:
    """An ICO holding one PNG image (every current browser reads PNG inside ICO)."""
    directory = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), 6 + 16)
    return struct.pack("<HHH", 0, 1, 1) + directory + image


def main() -> None:
    (STATIC / "icon.svg").write_text(SVG)
    (STATIC / "favicon.ico").write_bytes(ico(png(32), 32))
    (STATIC / "apple-touch-icon.png").write_bytes(png(180))
    for size in (192, 512):
        (STATIC / f"icon-{size}.png").write_bytes(png(size))


if __name__ == "__main__":
    main()
