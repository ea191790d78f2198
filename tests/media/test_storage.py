"""The picture store's contract, run against both backends: a local directory and a real S3 API server (moto)."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.services.media.storage import LocalStorage, S3Storage, Storage, get_storage


def key_for(data: bytes, extension: str = "jpg") -> str:
    return f"{hashlib.sha256(data).hexdigest()}.{extension}"


@pytest.fixture(params=["local", "s3"])
def app_overrides(request: pytest.FixtureRequest) -> dict:
    """Each test of this module runs once per backend (the test settings' local store is a temporary directory)."""
    return request.getfixturevalue("s3_uploads") if request.param == "s3" else {}


@pytest.fixture
def storage(app: Flask) -> Storage:
    return get_storage()


def test_get_storage_picks_the_configured_backend(app: Flask, storage: Storage) -> None:
    """KINDRED_UPLOADS decides which backend the app gets."""
    expected = S3Storage if app.config["UPLOADS"] == "s3" else LocalStorage
    assert isinstance(storage, expected)


def test_put_then_read_returns_the_same_bytes(storage: Storage) -> None:
    """What was put is read back byte for byte."""
    data = b"\xff\xd8\xff picture bytes \x00\x01"
    storage.put(key_for(data), data, "image/jpeg")
    assert storage.read(key_for(data)) == data


def test_reading_an_absent_key_raises_key_error(storage: Storage) -> None:
    """A key never stored is a KeyError, which the caller turns into a 404."""
    with pytest.raises(KeyError):
        storage.read(key_for(b"never stored"))


def test_delete_removes_the_file(storage: Storage) -> None:
    """After delete, the file can no longer be read nor is it listed."""
    data = b"to be deleted"
    storage.put(key_for(data, "png"), data, "image/png")
    storage.delete(key_for(data, "png"))
    with pytest.raises(KeyError):
        storage.read(key_for(data, "png"))
    assert list(storage.files()) == []


def test_deleting_an_absent_key_is_fine(storage: Storage) -> None:
    """Deleting twice (or never having stored) raises nothing."""
    storage.delete(key_for(b"not there", "gif"))


def test_files_lists_every_stored_file_with_size_and_utc_time(storage: Storage) -> None:
    """The listing names each file once, with its size and an aware UTC modification time."""
    before = datetime.now(UTC) - timedelta(minutes=5)
    stored = {key_for(b"one", "jpg"): b"one", key_for(b"three", "webp"): b"three"}
    for key, data in stored.items():
        storage.put(key, data, "image/jpeg")
    files = {item.key: item for item in storage.files()}
    assert {key: item.size for key, item in files.items()} == {key: len(data) for key, data in stored.items()}
    for item in files.values():
        assert item.modified_at.utcoffset() == timedelta(0)
        assert before < item.modified_at < datetime.now(UTC) + timedelta(minutes=5)


def test_putting_the_same_key_twice_stores_one_file(storage: Storage) -> None:
    """Content-named keys make a second put of the same bytes harmless: one file, same bytes."""
    data = b"same picture"
    storage.put(key_for(data), data, "image/jpeg")
    storage.put(key_for(data), data, "image/jpeg")
    assert [item.key for item in storage.files()] == [key_for(data)]
    assert storage.read(key_for(data)) == data


BAD_KEYS = [
    "../../etc/passwd",
    "ab/../../" + "a" * 64 + ".jpg",
    "A" * 64 + ".jpg",  # upper case: not how keys are made
    "a" * 63 + ".jpg",
    "a" * 64 + ".svg",
    "a" * 64 + ".jpg/",
    "a" * 64 + ".jpg\n",
    "/" + "a" * 64 + ".jpg",
    "",
]


@pytest.mark.parametrize("key", BAD_KEYS)
@pytest.mark.parametrize("operation", ["put", "read", "delete"])
def test_keys_that_are_not_content_names_are_refused(storage: Storage, key: str, operation: str) -> None:
    """Only 64 hex digits and a picture extension are keys: a path or anything else never reaches the store."""
    with pytest.raises(ValueError, match="not a storage key"):
        if operation == "put":
            storage.put(key, b"x", "image/jpeg")
        elif operation == "read":
            storage.read(key)
        else:
            storage.delete(key)
    assert list(storage.files()) == []


def test_the_local_store_shards_files_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    """Files land in two levels of folders named by the key's first digits, and the write leaves nothing beside."""
    store = LocalStorage(tmp_path)
    key = key_for(b"sharded")
    store.put(key, b"sharded", "image/jpeg")
    assert [path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file()] == [
        f"{key[:2]}/{key[2:4]}/{key}"
    ]


def test_the_local_listing_skips_unfinished_writes(tmp_path: Path) -> None:
    """A temporary file of a write in progress (or one a crash left behind) is not a stored picture."""
    store = LocalStorage(tmp_path)
    key = key_for(b"kept")
    store.put(key, b"kept", "image/jpeg")
    (store.path(key).parent / ".tmp-abc123").write_bytes(b"half a pic")
    assert [item.key for item in store.files()] == [key]


def test_a_second_put_renews_the_modification_time(tmp_path: Path) -> None:
    """Putting a key again counts as a new use, so a sweep's grace period starts over."""
    store = LocalStorage(tmp_path)
    key = key_for(b"renewed")
    store.put(key, b"renewed", "image/jpeg")
    old = datetime(2020, 1, 1, tzinfo=UTC).timestamp()
    os.utime(store.path(key), (old, old))
    store.put(key, b"renewed", "image/jpeg")
    [item] = store.files()
    assert item.modified_at > datetime(2025, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"UPLOADS": "s3", "S3_BUCKET": ""}, "needs S3_BUCKET"),
        ({"UPLOADS": "ftp"}, "not a storage Kindred knows"),
        ({"UPLOADS": "s3", "S3_BUCKET": "b", "S3_ACCESS_KEY_ID": "k", "S3_SECRET_ACCESS_KEY": ""}, "both"),
        ({"UPLOADS": "local", "UPLOADS_DIR": ""}, "KINDRED_UPLOADS_DIR"),
    ],
)
def test_unworkable_upload_settings_stop_the_app_at_start(settings: dict, message: str) -> None:
    """A storage that could not work is refused by create_app with a sentence saying what to set."""
    with pytest.raises(RuntimeError, match=message):
        create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})


def test_the_app_keeps_one_storage_until_its_settings_change(app: Flask) -> None:
    """get_storage builds the backend once (a boto3 client is costly) and again only when the settings move."""
    first = get_storage()
    assert get_storage() is first
    app.config["UPLOADS"], app.config["UPLOADS_DIR"] = "local", "/tmp/kindred-another-store"  # noqa: S108
    assert isinstance(get_storage(), LocalStorage) and get_storage() is not first


def test_objects_in_the_bucket_that_are_not_pictures_are_not_listed(s3_server, s3_uploads: dict) -> None:  # noqa: ANN001
    """An operator's other objects in the bucket (a README, a folder) are neither listed nor touched."""
    store = S3Storage(s3_uploads)
    store.client.put_object(Bucket=s3_uploads["S3_BUCKET"], Key="README.txt", Body=b"kept by the operator")
    store.put(key_for(b"mine"), b"mine", "image/jpeg")
    assert [item.key for item in store.files()] == [key_for(b"mine")]
