"""Where picture files are kept: a directory on this machine (KINDRED_UPLOADS=local)."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from flask import current_app

_KEY = re.compile(r"[0-9a-f]{64}\.(jpg|png|webp|gif)")


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    modified_at: datetime


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def read(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def files(self) -> Iterator[StoredFile]: ...


class LocalStorage:
    """Files in one directory, named by their key; written whole (temporary file, then rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):  # keys are content hashes we made: never a path
            raise KeyError(key)
        return self.root / key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        self.root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.root, prefix=".part-", delete=False) as part:
            part.write(data)
        os.replace(part.name, path)

    def read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as error:
            raise KeyError(key) from error

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def files(self) -> Iterator[StoredFile]:
        if not self.root.is_dir():
            return
        for path in self.root.iterdir():
            if _KEY.fullmatch(path.name):
                stat = path.stat()
                yield StoredFile(path.name, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC))


def get_storage() -> Storage:
    """The storage configured by KINDRED_UPLOADS."""
    kind = current_app.config.get("KINDRED_UPLOADS", "local")
    if kind != "local":
        raise RuntimeError(f"KINDRED_UPLOADS={kind!r} is not a storage this version knows (use 'local').")
    root = current_app.config.get("KINDRED_UPLOADS_DIR") or os.path.join(current_app.instance_path, "uploads")
    return LocalStorage(Path(root))
