"""`flask backup`/`restore` carry the local picture store in PATH.uploads/; with S3 the bucket keeps its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.services.media.copies import restore_uploads, uploads_copy
from app.services.media.processing import ProcessedPicture, process_picture
from app.services.media.storage import LocalStorage, get_storage
from tests.media import makers


def invoke(app: Flask, *args: str):  # noqa: ANN201
    return app.test_cli_runner().invoke(args=list(args))


def stored_picture(seed: int = 1) -> ProcessedPicture:
    """A processed picture, both sizes put in the app's store."""
    picture = process_picture(makers.encode(makers.noise((64, 48), seed=seed), "JPEG"), "photo.jpg")
    get_storage().put(picture.full_key, picture.full, picture.content_type)
    get_storage().put(picture.thumb_key, picture.thumb, picture.content_type)
    return picture


def keys(storage) -> set[str]:  # noqa: ANN001
    return {item.key for item in storage.files()}


def test_backup_copies_every_stored_picture_beside_the_database(app: Flask, tmp_path: Path) -> None:
    """After `flask backup PATH`, PATH.uploads/ holds each stored file with the same bytes."""
    picture = stored_picture()
    backup = tmp_path / "kindred.backup"
    result = invoke(app, "backup", str(backup))
    assert result.exit_code == 0, result.output
    assert f"(2 pictures) to {uploads_copy(backup)}" in result.output
    copy = LocalStorage(uploads_copy(backup))
    assert keys(copy) == {picture.full_key, picture.thumb_key}
    assert copy.read(picture.full_key) == picture.full


def test_a_second_backup_to_the_same_path_mirrors_the_store(app: Flask, tmp_path: Path) -> None:
    """Backing up again adds new pictures and drops those no longer stored."""
    first = stored_picture(1)
    backup = tmp_path / "kindred.backup"
    invoke(app, "backup", str(backup))
    get_storage().delete(first.full_key)
    get_storage().delete(first.thumb_key)
    second = stored_picture(2)
    result = invoke(app, "backup", str(backup))
    assert result.exit_code == 0, result.output
    assert keys(LocalStorage(uploads_copy(backup))) == {second.full_key, second.thumb_key}


def test_restore_puts_the_backed_up_pictures_back(app: Flask, database_url: str, tmp_path: Path) -> None:
    """`flask restore PATH` puts PATH.uploads/ back into an emptied store."""
    if not database_url.startswith("sqlite"):
        pytest.skip(
            "restoring over the shared PostgreSQL test database: tests/ops/test_backup.py restores to a scratch one"
        )
    picture = stored_picture()
    backup = tmp_path / "kindred.backup"
    invoke(app, "backup", str(backup))
    get_storage().delete(picture.full_key)
    get_storage().delete(picture.thumb_key)
    result = invoke(app, "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert "Put 2 pictures" in result.output
    assert get_storage().read(picture.full_key) == picture.full


def test_restoring_pictures_puts_each_file_of_the_copy(app: Flask, tmp_path: Path) -> None:
    """restore_uploads returns how many pictures it put back, each readable again."""
    picture = stored_picture()
    backup = tmp_path / "kindred.backup"
    invoke(app, "backup", str(backup))
    get_storage().delete(picture.thumb_key)
    assert restore_uploads(backup) == 2
    assert get_storage().read(picture.thumb_key) == picture.thumb


def test_a_backup_without_a_copy_restores_no_picture(app: Flask, tmp_path: Path) -> None:
    """An older backup has no PATH.uploads/: the store is left as it is."""
    picture = stored_picture()
    assert restore_uploads(tmp_path / "old.backup") is None
    assert keys(get_storage()) == {picture.full_key, picture.thumb_key}


class TestWithS3:
    @pytest.fixture
    def app_overrides(self, s3_uploads: dict) -> dict:
        return s3_uploads

    def test_backup_copies_nothing_and_says_the_bucket_keeps_them(self, app: Flask, tmp_path: Path) -> None:
        """With S3, backup writes no uploads directory and points to bucket versioning or replication."""
        stored_picture()
        backup = tmp_path / "kindred.backup"
        result = invoke(app, "backup", str(backup))
        assert result.exit_code == 0, result.output
        assert "versioning or replication" in result.output
        assert not uploads_copy(backup).exists()

    def test_a_local_backup_restores_into_the_bucket(self, app: Flask, tmp_path: Path) -> None:
        """The pictures of a local backup copy can be put into an S3 store (moving a site to a bucket)."""
        picture = process_picture(makers.jpeg_with_gps(), "a.jpg")
        backup = tmp_path / "kindred.backup"
        LocalStorage(uploads_copy(backup)).put(picture.full_key, picture.full, picture.content_type)
        assert restore_uploads(backup) == 1
        assert get_storage().read(picture.full_key) == picture.full
