"""Where processed pictures are kept: a local directory (one machine) or an S3-compatible bucket (several).

Keys are content names made by processing.py (64 hex digits of SHA-256, a dot, an extension): the same bytes always
get the same key, so putting a key again is harmless, and a key is never a path. Any other key is refused with
ValueError before storage is touched.

- `KINDRED_UPLOADS=local` (the default): files under `KINDRED_UPLOADS_DIR` (default `instance/uploads/`), sharded
  by the key's first two pairs of digits (`ab/cd/abcd….jpg`) so that no directory grows huge. Each file is written to
  a temporary file beside it and renamed into place, so a reader never sees half a picture.
- `KINDRED_UPLOADS=s3`: objects named by their key in `S3_BUCKET`, through boto3, at `S3_ENDPOINT_URL` (unset for
  AWS itself; MinIO, Ceph or Garage otherwise), `S3_REGION`, with `S3_ACCESS_KEY_ID`/`S3_SECRET_ACCESS_KEY` (unset:
  boto3's usual chain, such as an instance role).

Errors of the store itself (a full disk, an unreachable or refusing S3 endpoint) are raised as they come (OSError,
botocore's exceptions): the caller stores no row for a picture that could not be put.

Putting an existing key again renews its modification time on both backends, so a sweep of unreferenced files that
waits a grace period since the last put never removes a file an upload in progress is about to refer to.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from flask import current_app

KEY = re.compile(r"[0-9a-f]{64}\.(?:jpg|png|webp|gif)")
BACKENDS = ("local", "s3")


@dataclass(frozen=True)
class StoredFile:
    """One stored file, as a sweep or a backup needs to know it."""

    key: str
    size: int
    modified_at: datetime  # aware, UTC


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def read(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def files(self) -> Iterator[StoredFile]: ...


def check_key(key: str) -> str:
    """The key itself when it is a content name; ValueError otherwise (a path, a dot-dot, anything else)."""
    if not isinstance(key, str) or KEY.fullmatch(key) is None:
        raise ValueError("not a storage key")
    return key


class LocalStorage:
    """Files in a directory of this machine."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """Where the file of `key` lives (the key checked first)."""
        check_key(key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write the file atomically; a key already stored only has its time renewed."""
        target = self.path(key)
        if target.exists():
            os.utime(target)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, 0o640)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, key: str) -> bytes:
        """The file's bytes; KeyError when there is none."""
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        self.path(key).unlink(missing_ok=True)

    def files(self) -> Iterator[StoredFile]:
        """Every stored picture (temporary files of writes in progress left out), one folder at a time."""
        for first in _folders(self.root):
            for second in _folders(first):
                with os.scandir(second) as entries:
                    for entry in entries:
                        if KEY.fullmatch(entry.name) is None or entry.name[:4] != first.name + second.name:
                            continue
                        try:
                            stat = entry.stat()
                        except FileNotFoundError:  # deleted while we were listing
                            continue
                        yield StoredFile(entry.name, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC))


def _folders(path: Path) -> list[Path]:
    """The shard folders in `path` (two hex digits each), none when it does not exist."""
    try:
        with os.scandir(path) as entries:
            return sorted(Path(entry.path) for entry in entries if entry.is_dir() and len(entry.name) == 2)
    except FileNotFoundError:
        return []


class S3Storage:
    """Objects in an S3-compatible bucket, shared by every app server."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        import boto3
        from botocore.config import Config as BotoConfig

        self.bucket = config["S3_BUCKET"]
        self.client = boto3.client(
            "s3",
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region_name=config.get("S3_REGION") or None,
            aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            config=BotoConfig(
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
                # MinIO, Ceph and Garage answer at one address for every bucket: path-style requests
                s3={"addressing_style": "path" if config.get("S3_ENDPOINT_URL") else "auto"},
            ),
        )

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store the object (again: same bytes, newer time)."""
        self.client.put_object(Bucket=self.bucket, Key=check_key(key), Body=data, ContentType=content_type)

    def read(self, key: str) -> bytes:
        """The object's bytes; KeyError when there is none."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
        except self.client.exceptions.NoSuchKey:
            raise KeyError(key) from None
        with response["Body"] as body:
            return body.read()

    def delete(self, key: str) -> None:
        """Remove the object; S3 answers the same whether it was there or not."""
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def files(self) -> Iterator[StoredFile]:
        """Every stored picture in the bucket (other objects an operator keeps there left out)."""
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for item in page.get("Contents", ()):
                if KEY.fullmatch(item["Key"]):
                    yield StoredFile(item["Key"], int(item["Size"]), item["LastModified"].astimezone(UTC))


def make_storage(config: Mapping[str, Any]) -> Storage:
    """The backend these settings name."""
    check_uploads_config(config)
    if config.get("UPLOADS", "local") == "s3":
        return S3Storage(config)
    return LocalStorage(config["UPLOADS_DIR"])


def get_storage() -> Storage:
    """The app's storage, made once per app and settings (a boto3 client is costly to build)."""
    config = current_app.config
    settings = tuple(config.get(name) for name in ("UPLOADS", "UPLOADS_DIR", *S3_SETTINGS))
    cached = current_app.extensions.get("kindred_storage")
    if cached is None or cached[0] != settings:
        cached = current_app.extensions["kindred_storage"] = (settings, make_storage(config))
    return cached[1]


S3_SETTINGS = ("S3_ENDPOINT_URL", "S3_BUCKET", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")


def check_uploads_config(config: Mapping[str, Any]) -> None:
    """Stop the app at start, with what to set, when the uploads settings cannot work."""
    backend = config.get("UPLOADS", "local")
    if backend not in BACKENDS:
        raise RuntimeError(f"KINDRED_UPLOADS={backend!r} is not a storage Kindred knows: use 'local' or 's3'.")
    if backend == "local" and not config.get("UPLOADS_DIR"):
        raise RuntimeError("KINDRED_UPLOADS_DIR is empty: set it to the directory that keeps uploaded pictures.")
    if backend != "s3":
        return
    if not config.get("S3_BUCKET"):
        raise RuntimeError("KINDRED_UPLOADS=s3 needs S3_BUCKET, the name of the bucket that keeps the pictures.")
    if bool(config.get("S3_ACCESS_KEY_ID")) != bool(config.get("S3_SECRET_ACCESS_KEY")):
        raise RuntimeError("Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (to use boto3's own chain).")
