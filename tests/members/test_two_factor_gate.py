"""KINDRED_REQUIRE_2FA_ROLES: the team reaches moderation, staff pages and held content only with a second factor."""

from __future__ import annotations

import os

import pytest

import config
from app import create_app
from app.models import ContentStatus, Role
from config import ROLE_NAMES
from tests.factories import PASSWORD, make_group, make_member, make_post, make_topic
from tests.members.two_factor_support import code_now, enrol
from tests.support import page, soup

REQUIRED = ("moderator", "staff", "admin")


@pytest.fixture
def app_overrides() -> dict:
    return {"REQUIRE_2FA_ROLES": REQUIRED}


def _to_enrolment(response) -> bool:  # noqa: ANN001
    return response.status_code == 302 and response.location.endswith("/account/two-factor")


def _reaches(client, path: str) -> bool:  # noqa: ANN001
    """The page opens (after its own redirects, such as a topic's to its slug), not the enrolment page."""
    response = client.get(path, follow_redirects=True)
    return response.status_code == 200 and response.request.path != "/account/two-factor"


@pytest.mark.parametrize("path", ["/mod", "/mod/queue", "/staff"])
def test_admin_without_second_factor_is_sent_to_enrolment(client, login_as, path: str) -> None:
    """Moderation and staff pages send an unenrolled admin to set up two-factor, saying why."""
    login_as(make_member(role=Role.ADMIN))
    response = client.get(path)
    assert _to_enrolment(response)
    assert "needs a second factor first" in page(client.get(response.location))


def test_moderator_without_second_factor_is_sent_from_mod_to_enrolment(client, login_as) -> None:
    """/mod answers an unenrolled moderator with the way to enrolment."""
    login_as(make_member(role=Role.MODERATOR))
    assert _to_enrolment(client.get("/mod"))


def test_moderator_is_sent_from_a_pending_post_and_topic_to_enrolment(client, login_as) -> None:
    """Held content, opened by an unenrolled moderator, leads to enrolment rather than showing it."""
    group = make_group()
    pending_topic = make_topic(group=group, status=ContentStatus.PENDING)
    topic = make_topic(group=group)
    pending = make_post(topic=topic, status=ContentStatus.PENDING, body="Held for review: a private worry")
    login_as(make_member(role=Role.MODERATOR))
    assert _to_enrolment(client.get(f"/p/{pending.id}"))
    assert _to_enrolment(client.get(f"/t/{pending_topic.id}"))
    assert "a private worry" not in page(client.get(f"/t/{topic.id}", follow_redirects=True))


def test_enrolled_moderator_gets_through(client, login_as) -> None:
    """Once enrolled, the same moderator reaches /mod and sees held content."""
    group = make_group()
    topic = make_topic(group=group)
    pending = make_post(topic=topic, status=ContentStatus.PENDING, body="Held for review: a private worry")
    pending_topic = make_topic(group=group, status=ContentStatus.PENDING)
    moderator = make_member(role=Role.MODERATOR)
    enrol(moderator)
    login_as(moderator)
    assert _reaches(client, "/mod")
    assert _reaches(client, f"/t/{pending_topic.id}")
    assert _reaches(client, f"/p/{pending.id}")
    assert "a private worry" in page(client.get(f"/t/{topic.id}", follow_redirects=True))


def test_unenrolled_moderator_still_reaches_account_public_pages_and_signing_out(client, login_as) -> None:
    """The gate closes team powers only: the home page, the account pages and signing out stay open."""
    login_as(make_member(role=Role.MODERATOR))
    assert client.get("/").status_code == 200
    assert client.get("/account").status_code == 200
    assert client.get("/account/two-factor").status_code == 200
    response = client.post_form("/logout")
    assert response.status_code == 302 and not _to_enrolment(response)


def test_plain_members_are_not_asked_to_enrol(client, login_as) -> None:
    """Roles outside the setting are unaffected."""
    topic = make_topic()
    login_as(make_member())
    assert _reaches(client, f"/t/{topic.id}")
    assert client.get("/mod").status_code == 403


def test_signing_in_as_an_unenrolled_moderator_leads_to_enrolment(client) -> None:
    """The password step of a moderator without a second factor ends on the set-up page."""
    moderator = make_member(role=Role.MODERATOR)
    response = client.post_form("/login", {"email": moderator.email, "password": PASSWORD})
    assert _to_enrolment(response)


def test_moderator_enrols_through_the_pages_and_then_reaches_mod(client, login_as) -> None:
    """Setting up on the page the gate pointed to opens /mod straight away."""
    moderator = make_member(role=Role.MODERATOR)
    login_as(moderator)
    client.post_form("/account/two-factor/start")
    assert client.post_form("/account/two-factor/confirm", {"code": code_now(moderator)}).status_code == 200
    assert _reaches(client, "/mod")


@pytest.mark.parametrize("app_overrides", [{"REQUIRE_2FA_ROLES": ("admin",)}], ids=["admins-only"])
def test_roles_left_out_of_the_setting_need_no_second_factor(client, login_as) -> None:
    """KINDRED_REQUIRE_2FA_ROLES=admin leaves moderators free to moderate without one."""
    login_as(make_member(role=Role.MODERATOR))
    assert _reaches(client, "/mod")


def test_the_menu_of_an_unenrolled_moderator_points_to_the_set_up(client, login_as) -> None:
    """Without its queue link, the team member's menu offers the way to set up two-factor instead."""
    moderator = make_member(role=Role.MODERATOR)
    login_as(moderator)
    assert soup(client.get("/")).select_one(".site-nav a[href='/account/two-factor']") is not None
    enrol(moderator)
    assert soup(client.get("/")).select_one(".site-nav a[href='/account/two-factor']") is None


def test_a_misspelt_role_stops_the_app() -> None:
    """KINDRED_REQUIRE_2FA_ROLES=moderators would leave moderators unprotected: the app refuses to start."""
    with pytest.raises(RuntimeError, match="unknown roles moderators"):
        create_app("testing", {"REQUIRE_2FA_ROLES": ("moderators", "staff")})
    assert set(ROLE_NAMES) == {role.value for role in Role}


def test_the_setting_reads_a_comma_separated_list_and_empty_switches_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variable's default is every team role; a list is read as written; an empty value means no requirement."""
    if "KINDRED_REQUIRE_2FA_ROLES" not in os.environ:  # the classes were read from this process's environment
        assert config.ProductionConfig.REQUIRE_2FA_ROLES == config.DevelopmentConfig.REQUIRE_2FA_ROLES == REQUIRED
    assert config.TestingConfig.REQUIRE_2FA_ROLES == ()
    monkeypatch.setenv("KINDRED_REQUIRE_2FA_ROLES", " admin , staff")
    assert config._list("KINDRED_REQUIRE_2FA_ROLES", "moderator,staff,admin") == ("admin", "staff")
    monkeypatch.setenv("KINDRED_REQUIRE_2FA_ROLES", "")
    assert config._list("KINDRED_REQUIRE_2FA_ROLES", "moderator,staff,admin") == ()
