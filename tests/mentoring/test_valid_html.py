"""The mentors' page is valid HTML with every part showing: a claimed post, a free one, a check-in with its error."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import FormClient
from tests.factories import make_member, make_post, make_topic
from tests.mentoring.conftest import away_for, crisis_routed
from tests.support import opening_post
from tests.web.test_valid_html import checker_errors, vnu  # noqa: F401 - vnu is the checker's fixture


@pytest.mark.once  # starts a JVM
def test_the_mentors_page_is_valid_html(app: Flask, mentor_client: FormClient, tmp_path: Path, vnu: list[str]) -> None:  # noqa: F811
    """No error from the Nu HTML Checker on /mentor as listed, and as returned with a check-in's error."""
    claimed, _free = (opening_post(make_topic()) for _ in range(2))
    mentor_client.post_form(f"/mentor/posts/{claimed.id}/claim")
    for _ in range(2):
        member = make_member()
        post = crisis_routed(make_post(topic=make_topic(), author=member))
        away_for(member, 5)
    (tmp_path / "listed.html").write_bytes(mentor_client.get("/mentor").data)
    refused = mentor_client.post_form(f"/mentor/check-ins/{post.id}", {})
    assert refused.status_code == 422
    (tmp_path / "refused.html").write_bytes(refused.data)
    errors = checker_errors(vnu, sorted(tmp_path.glob("*.html")))
    assert [f"{e.get('url')}: {e.get('message')} {e.get('extract')}" for e in errors] == []
