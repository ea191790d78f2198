"""Static files are named by their content, so browsers keep them for a year and still get a new one after an
upgrade (app/web/static_files.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import FormClient

STATIC = Path(__file__).resolve().parents[2] / "static"


def layout_assets(client: FormClient) -> list[str]:
    page = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    return [tag.get("href") or tag.get("src") for tag in page.select('link[rel="stylesheet"], script[src]')]


def test_assets_carry_their_content_digest(client: FormClient) -> None:
    """Each stylesheet and script URL carries a digest of that file's bytes: a changed file gets a new URL."""
    assets = layout_assets(client)
    assert assets
    for url in assets:
        path, _, version = url.partition("?v=")
        content = (STATIC / path.removeprefix("/static/")).read_bytes()
        assert version == hashlib.blake2b(content, digest_size=6).hexdigest(), url


def test_versioned_files_are_kept_a_year(client: FormClient) -> None:
    for url in layout_assets(client):
        response = client.get(url)
        response.close()
        assert response.status_code == 200
        control = response.cache_control
        assert control.max_age == 365 * 24 * 3600 and control.public and control.immutable, url
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unversioned_files_are_revalidated(client: FormClient) -> None:
    """A URL without a version (an old bookmark, a hand-typed link) is never kept long: it may change."""
    response = client.get("/static/kindred.css")
    response.close()
    assert response.status_code == 200 and not response.cache_control.immutable
    assert (response.cache_control.max_age or 0) < 3600
