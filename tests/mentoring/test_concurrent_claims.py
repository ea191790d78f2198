"""Two mentors pressing "I'll welcome this" at the same moment, over real HTTP: one wins, the other is told."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import CheckIn, Role, Welcome
from tests.conftest import FormClient
from tests.factories import make_member, make_post, make_topic
from tests.mentoring.conftest import away_for, crisis_routed
from tests.served import ServedApp
from tests.served import served as serving
from tests.support import browser, opening_post


@pytest.fixture
def served(app: Flask) -> Iterator[ServedApp]:
    with serving(app) as server:
        yield server


flashed: list[str] = []


def _flashes(app: Flask, set_cookie: str) -> list[str]:
    """The messages a response flashed, read from the session cookie it set."""
    value = set_cookie.split("session=", 1)[1].split(";", 1)[0] if "session=" in set_cookie else ""
    if not value:
        return []
    session = app.session_interface.get_signing_serializer(app).loads(value)  # type: ignore[attr-defined]
    return [message for _category, message in session.get("_flashes", [])]


def post_together(served: ServedApp, browsers: list[FormClient], path: str, data: dict | None = None) -> list[int]:
    """One POST per browser (each with its own session and CSRF token), released together; the statuses."""
    requests = []
    for one in browsers:
        token = one.csrf_token()
        cookie = one.get_cookie("session")
        assert cookie is not None
        headers = {
            "Cookie": f"session={cookie.value}",
            "Host": "localhost",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        requests.append((headers, urlencode({"csrf_token": token, **(data or {})})))
    start = threading.Barrier(len(requests))
    statuses: list[int] = []
    flashed.clear()

    def send(headers: dict[str, str], body: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        try:
            connection.connect()
            start.wait()
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            statuses.append(response.status)
            flashed.extend(_flashes(served.app, response.getheader("Set-Cookie") or ""))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_simultaneous_claims_by_two_mentors_have_one_winner(app: Flask, served: ServedApp) -> None:
    """Both requests answer without a server error; one claim is stored, and the other mentor is told who has it."""
    post = opening_post(make_topic())
    mentors = [make_member(display_name=name, role=Role.MENTOR) for name in ("Mentor Ada", "Mentor Bo")]
    browsers = [browser(app, mentor) for mentor in mentors]
    for _ in range(3):  # the race is a matter of timing: run it a few times on fresh rows
        assert post_together(served, browsers, f"/mentor/posts/{post.id}/claim") == [302, 302]
        assert served.errors == []
        db.session.rollback()
        [welcome] = db.session.scalars(select(Welcome).where(Welcome.post_id == post.id)).all()
        winner = next(m for m in mentors if m.id == welcome.claimed_by_id)
        assert sorted(flashed) == sorted(
            [
                "Thank you: the other mentors can see you are welcoming this member.",
                f"{winner.display_name} has just said they will welcome this member.",
            ]
        )
        db.session.delete(welcome)
        db.session.commit()


def test_simultaneous_check_ins_store_one(app: Flask, served: ServedApp) -> None:
    """Two mentors marking the same member checked in at once store one check-in and no server error."""
    member = make_member()
    post = crisis_routed(make_post(topic=make_topic(), author=member))
    away_for(member, 5)
    browsers = [browser(app, make_member(role=Role.MENTOR)) for _ in range(2)]
    assert post_together(served, browsers, f"/mentor/check-ins/{post.id}", {"how": "message"}) == [302, 302]
    assert served.errors == []
    db.session.rollback()
    assert len(db.session.scalars(select(CheckIn)).all()) == 1
