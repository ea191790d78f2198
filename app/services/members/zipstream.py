"""A ZIP archive streamed chunk by chunk: never written to disk, never assembled whole before it is sent."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

CHUNK = 64 * 1024


class _Pipe(io.RawIOBase):
    """A write-only stream whose bytes are handed on as they come: the ZIP never exists as a whole."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def drain(self) -> Iterator[bytes]:
        chunks, self.chunks = self.chunks, []
        yield from chunks


def zip_stream(files: dict[str, bytes]) -> Iterator[bytes]:
    """Stream a ZIP of these files, chunk by chunk, without writing anything to disk."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            with archive.open(name, "w") as entry:
                for start in range(0, len(content), CHUNK):
                    entry.write(content[start : start + CHUNK])
                    yield from pipe.drain()
    yield from pipe.drain()
