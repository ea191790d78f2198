"""A mentor's claims, welcomes and check-ins in their export; what account deletion does to them."""

from __future__ import annotations

import io
import json
import zipfile

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import CheckIn, Member, Welcome
from app.services.members.erasure import delete_account
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_member, make_post, make_topic
from tests.mentoring.conftest import away_for, crisis_routed
from tests.support import browser, opening_post


def exported(client: FormClient) -> dict:
    response = client.post_form("/account/export", {})
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return json.loads(archive.read("kindred-export.json"))


def worked(mentor_client: FormClient) -> tuple[int, int, int, Member]:
    """The mentor claims one post, welcomes another and checks in on a third's author."""
    claimed, welcomed = (opening_post(make_topic()) for _ in range(2))
    member = make_member()
    crisis = crisis_routed(make_post(topic=make_topic(), author=member))
    away_for(member, 5)
    assert mentor_client.post_form(f"/mentor/posts/{claimed.id}/claim").status_code == 302
    assert mentor_client.post_form(f"/mentor/posts/{welcomed.id}/welcomed").status_code == 302
    assert mentor_client.post_form(f"/mentor/check-ins/{crisis.id}", {"how": "reply"}).status_code == 302
    return claimed.id, welcomed.id, crisis.id, member


def test_the_mentors_export_holds_their_own_actions(app: Flask, mentor_client: FormClient) -> None:
    """Ids and times of the mentor's claims, welcomes and check-ins; nothing of the other members' words."""
    claimed, welcomed, crisis, _member = worked(mentor_client)
    data = exported(mentor_client)["mentoring"]
    assert [row["post_id"] for row in data["welcomes_claimed"]] == [claimed]
    assert [row["post_id"] for row in data["welcomes_given"]] == [welcomed]
    assert [(row["post_id"], row["how"]) for row in data["check_ins_made"]] == [(crisis, "reply")]
    assert all(row["claimed_at"] for row in data["welcomes_claimed"])
    assert data["check_ins_on_me"] == []


def test_deleting_the_mentor_keeps_the_times_without_them(
    app: Flask, mentor_client: FormClient, mentor: Member
) -> None:
    """The welcomes and check-ins stay (the queue and the dashboard need them) but no longer name the mentor."""
    worked(mentor_client)
    delete_account(mentor, mentor, password=PASSWORD, remove_posts=False)
    db.session.expire_all()
    welcomes = db.session.scalars(select(Welcome)).all()
    assert len(welcomes) == 2 and all(w.claimed_by_id is None and w.welcomed_by_id is None for w in welcomes)
    assert any(w.welcomed_at for w in welcomes) and any(w.claimed_at for w in welcomes)
    [check_in] = db.session.scalars(select(CheckIn)).all()
    assert check_in.checked_by_id is None and check_in.checked_at is not None


def test_deleting_the_member_checked_on_removes_the_check_in(app: Flask, mentor_client: FormClient) -> None:
    """The record that someone checked on a member goes with that member's account."""
    *_, member = worked(mentor_client)
    assert len(exported_for(app, member)["mentoring"]["check_ins_on_me"]) == 1
    delete_account(member, member, password=PASSWORD, remove_posts=False)
    db.session.expire_all()
    assert db.session.scalars(select(CheckIn)).all() == []


def exported_for(app: Flask, member: Member) -> dict:
    return exported(browser(app, member))
