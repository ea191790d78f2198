"""The two-factor pages as HTML: valid (Nu HTML Checker), the QR code inline and allowed by the CSP."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.models import Role
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_member
from tests.members.two_factor_support import code_now, enrol
from tests.support import soup
from tests.web.test_valid_html import checker_errors, vnu  # noqa: F401 - the checker fixture

pytestmark = pytest.mark.once  # starts a JVM; the HTML does not depend on the database


def _pages(app: Flask) -> dict[str, bytes]:
    """Every two-factor page in its main states, as a browser receives it."""
    pages: dict[str, bytes] = {}
    member = make_member()
    client = app.test_client()
    sign_in(client, member)
    pages["off"] = client.get("/account/two-factor").data
    client.post_form("/account/two-factor/start")
    pages["enrolling"] = client.get("/account/two-factor").data
    pages["wrong-first-code"] = client.post_form("/account/two-factor/confirm", {"code": "12"}).data
    pages["codes"] = client.post_form("/account/two-factor/confirm", {"code": code_now(member)}).data
    pages["on"] = client.get("/account/two-factor").data
    pages["regenerate"] = client.get("/account/two-factor/recovery-codes").data
    pages["disable-refused"] = client.post_form("/account/two-factor/disable", {"password": "x", "code": "1"}).data
    pages["account"] = client.get("/account").data
    other = make_member()
    enrol(other)
    visitor = app.test_client()
    visitor.post_form("/login", {"email": other.email, "password": PASSWORD})
    pages["sign-in-code"] = visitor.get("/login/two-factor").data
    pages["sign-in-wrong-code"] = visitor.post_form("/login/two-factor", {"code": "000000"}).data
    admin = app.test_client()
    sign_in(admin, make_member(role=Role.ADMIN))
    pages["admin-reset"] = admin.get(f"/mod/members/{other.id}").data
    pages["admin-reset-refused"] = admin.post_form(f"/mod/members/{other.id}/two-factor/reset", {}).data
    return pages


def test_two_factor_pages_are_valid_html(app: Flask, tmp_path: Path, vnu: list[str]) -> None:  # noqa: F811
    """No two-factor page has an error the Nu HTML Checker reports."""
    for name, body in _pages(app).items():
        (tmp_path / f"{name}.html").write_bytes(body)
    errors = checker_errors(vnu, sorted(tmp_path.glob("*.html")))
    assert [f"{Path(e.get('url', '')).name}: {e.get('message')}" for e in errors] == []


def test_qr_code_is_inline_svg_without_scripts_or_outside_sources(client, login_as) -> None:
    """The QR code is markup in the page: no <img> from elsewhere, no script, no inline style the CSP would block."""
    login_as(make_member())
    client.post_form("/account/two-factor/start")
    response = client.get("/account/two-factor")
    svg = soup(response).select_one("figure.qr svg")
    assert svg is not None and svg.find("title") is not None
    assert svg.find_all(["script", "image", "style", "foreignObject"]) == []
    assert not any(attr == "style" or attr.startswith("on") for tag in svg.find_all(True) for attr in tag.attrs)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
