"""Pictures: every test stores its files in a folder of its own, listed afterwards to see what was kept; the tests
of what leaves storage run on both backends (the `store` fixture), the store listed through the backend itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask


@pytest.fixture
def uploads(app: Flask, tmp_path: Path) -> Path:
    """The local storage folder for this test (the app's configuration is restored after each test)."""
    folder = tmp_path / "uploads"
    app.config["UPLOADS_DIR"] = str(folder)
    return folder


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, app: Flask, uploads: Path) -> str:
    """The backend this test's pictures go to: a test using it runs once with the local folder and once with a
    bucket of the real S3 server (the app's configuration, and so its storage, is restored after each test)."""
    if request.param == "s3":
        app.config.update(request.getfixturevalue("s3_uploads"))
    return request.param
