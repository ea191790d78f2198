"""Picture benchmark: time and peak extra memory to process one 12-megapixel phone photo (target: < 1 s, < 150 MB).

    .venv/bin/python bench/pictures.py [--runs 7] [--width 4000 --height 3000]

A photo-like JPEG (smooth colour regions with sensor-like grain, quality 90, EXIF with GPS; not flat colour, which
would flatter the decoder) is made once. Each run processes it in a fresh Python process, so that the peak resident
memory (getrusage's ru_maxrss) is that run's own: "extra" is the peak minus what the process held just before the
call, the cost a web worker pays per upload. tracemalloc's peak (Python's own allocations, the bytes objects) is
shown beside it; Pillow's pixel buffers are outside tracemalloc and only RSS sees them. Prints the median of the runs.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 1.0
TARGET_MB = 150


def photo(width: int, height: int) -> bytes:
    """A 12-megapixel photo as a phone would send it: colour regions, grain, EXIF with a GPS position."""
    from PIL import ExifTags, Image

    rng = random.Random(12)  # noqa: S311 - a picture, not a secret
    small = (width // 40, height // 40)
    base = Image.frombytes("RGB", small, rng.randbytes(small[0] * small[1] * 3)).resize((width, height), Image.BICUBIC)
    grain = Image.effect_noise((width, height), 28).convert("RGB")
    picture = Image.blend(base, grain, 0.2)
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.37)
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def _status_kb(field: str) -> int | None:
    """A memory figure of this process from /proc (Linux), in KiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _peak_rss_kb() -> int:
    """The resident-memory high-water mark: VmHWM where /proc has it (resettable), getrusage's ru_maxrss otherwise."""
    return _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _start_peak() -> int:
    """Reset the high-water mark to what the process holds now (Linux: clear_refs 5) and return that."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:  # elsewhere ru_maxrss cannot be reset: the figure then includes what came before
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return _status_kb("VmRSS") or 0


def one_run(path: Path) -> dict[str, float | str]:
    """Process the photo once in this process and measure it."""
    from app.services.media.processing import process_picture

    data = path.read_bytes()
    process_picture(photo(64, 48), "warm-up.jpg")  # a worker has its libraries loaded before the upload comes
    before = _start_peak()
    tracemalloc.start()
    started = time.perf_counter()
    picture = process_picture(data, "IMG_0001.jpg")
    seconds = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "rss_extra_mb": (_peak_rss_kb() - before) / 1024,
        "traced_mb": traced / 1024 / 1024,
        "input_mb": len(data) / 1024 / 1024,
        "output_kb": len(picture.full) / 1024,
        "size": f"{picture.full_width}x{picture.full_height}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--width", type=int, default=4000)
    parser.add_argument("--height", type=int, default=3000)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # a single measured run, in a child process
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)  # write the photo, in a child process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one)))
        return
    if args.make:
        args.make.write_bytes(photo(args.width, args.height))
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "photo.jpg"
        _child("--make", path, "--width", str(args.width), "--height", str(args.height))  # this process stays small
        runs = [json.loads(_child("--one", path)) for _ in range(args.runs)]
    report(runs, args.width * args.height)


def _child(*arguments: str | Path) -> str:
    command = [sys.executable, __file__, *map(str, arguments)]
    return subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout  # noqa: S603


def report(runs: list[dict], pixels: int) -> None:
    seconds = statistics.median(run["seconds"] for run in runs)
    rss = statistics.median(run["rss_extra_mb"] for run in runs)
    traced = statistics.median(run["traced_mb"] for run in runs)
    first = runs[0]
    print(f"Picture processing, {pixels / 1e6:.1f}-megapixel JPEG of {first['input_mb']:.1f} MB, {len(runs)} runs")
    print(f"  output {first['size']}, {first['output_kb']:.0f} KB")
    slowest = max(run["seconds"] for run in runs)
    largest = max(run["rss_extra_mb"] for run in runs)
    print(f"  median time       {seconds:.3f} s (slowest {slowest:.3f} s; target < {TARGET_SECONDS} s)")
    print(f"  median extra RSS  {rss:.0f} MB (largest {largest:.0f} MB; target < {TARGET_MB} MB)")
    print(f"  median tracemalloc peak {traced:.0f} MB (Python objects only)")
    verdict = seconds < TARGET_SECONDS and rss < TARGET_MB
    print("  within target" if verdict else "  OVER TARGET")


if __name__ == "__main__":
    main()
