"""Pictures: every test stores its files in a folder of its own, listed afterwards to see what was kept."""

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
