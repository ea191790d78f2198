"""Profiles: bio, groups, recent posts and helpful count, each only as far as the viewer may see; profile settings."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from flask import Flask
from flask_babel import format_date

from app.extensions import db
from app.models import ContentStatus, GroupVisibility, Member, ProfileVisibility
from app.services.members.profiles import BIO_MAX
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import browser, page_text, read_corpus, soup


def _url(member: Member) -> str:
    return f"/u/{quote(member.display_name)}"


@pytest.fixture
def member(app: Flask) -> Member:
    return make_member(display_name="Pat Profile", bio="Living with it since 2019.\nHappy to talk.")


def test_profile_shows_bio_join_date_and_helpful_count(app: Flask, member: Member) -> None:
    """The profile shows the bio (line breaks kept), the join month and how often replies were marked helpful."""
    member.helpful_received = 3
    db.session.commit()
    page = browser(app).get(_url(member))
    assert soup(page).select_one(".profile-bio").get_text() == "Living with it since 2019.\nHappy to talk."
    with app.test_request_context():
        since = format_date(member.created_at, "LLLL y")
    assert f"Member since {since}" in page_text(page)
    assert "marked helpful 3 times" in page_text(page)


def test_profile_lists_groups_the_viewer_may_see(app: Flask, member: Member) -> None:
    """Joined groups are listed; a members-only one only to signed-in viewers."""
    make_group(name="Open group", members=(member,))
    make_group(name="Closed group", members=(member,), visibility=GroupVisibility.MEMBERS)
    make_group(name="Not joined")
    names = lambda client: [a.get_text() for a in soup(client.get(_url(member))).select(".profile-groups a")]  # noqa: E731
    assert names(browser(app)) == ["Open group"]
    assert sorted(names(browser(app, make_member()))) == ["Closed group", "Open group"]


@pytest.mark.parametrize("status", [ContentStatus.PENDING, ContentStatus.REJECTED, ContentStatus.HIDDEN])
def test_profile_recent_posts_leave_out_unpublished(app: Flask, member: Member, status: ContentStatus) -> None:
    """Only published posts in published topics appear, even to the author themself."""
    make_post(author=member, body="published words")
    make_post(author=member, body="unpublished words", status=status)
    make_post(topic=make_topic(status=status), author=member, body="words in unpublished topic")
    for client in (browser(app), browser(app, member)):
        text = page_text(client.get(_url(member)))
        assert "published words" in text
        assert "unpublished words" not in text and "unpublished topic" not in text


def test_members_only_profile_asks_visitors_to_sign_in(app: Flask, member: Member) -> None:
    """A visitor gets a 403 sign-in prompt without the bio; a signed-in member sees the profile."""
    member.profile_visibility = ProfileVisibility.MEMBERS
    db.session.commit()
    visitor = browser(app).get(_url(member))
    assert visitor.status_code == 403
    assert "Living with it" not in visitor.get_data(as_text=True)
    assert soup(visitor).select_one('a[href^="/login"]') is not None
    signed_in = browser(app, make_member()).get(_url(member))
    assert signed_in.status_code == 200
    assert soup(signed_in).select_one('meta[name="robots"]')["content"] == "noindex, nofollow"


def test_member_edits_bio_and_visibility(app: Flask, member: Member) -> None:
    """The edit page saves the bio and the visibility choice."""
    client = browser(app, member)
    response = client.post_form("/account/profile", {"bio": "  New words  ", "visibility": "members"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert (member.bio, member.profile_visibility) == ("New words", ProfileVisibility.MEMBERS)


def test_too_long_bio_is_refused_with_a_clear_message(app: Flask, member: Member) -> None:
    """A bio over the limit is refused, says the limit, and nothing changes."""
    response = browser(app, member).post_form(
        "/account/profile", {"bio": "x" * (BIO_MAX + 1), "visibility": "everyone"}
    )
    assert response.status_code == 422
    assert f"Keep your bio to {BIO_MAX} characters" in page_text(response)
    db.session.refresh(member)
    assert member.bio.startswith("Living with it")


def test_unknown_visibility_is_refused(app: Flask, member: Member) -> None:
    """A made-up visibility value is refused, the choices say why (announced to screen readers), the setting stays."""
    response = browser(app, member).post_form("/account/profile", {"bio": "", "visibility": "nobody"})
    assert response.status_code == 422
    choices = soup(response).select('input[name="visibility"]')
    error = soup(response).select_one(f"#{choices[0]['aria-describedby']}")
    assert all(choice["aria-invalid"] == "true" for choice in choices) and error.get_text(strip=True)
    db.session.refresh(member)
    assert member.profile_visibility == ProfileVisibility.EVERYONE


def test_profile_form_ignores_undeclared_fields(app: Flask, member: Member) -> None:
    """Extra fields (role, status, post counts) in the profile form change nothing (mass assignment)."""
    data = {"bio": "ok", "visibility": "everyone", "role": "admin", "status": "active", "helpful_received": "99"}
    assert browser(app, member).post_form("/account/profile", data).status_code == 302
    db.session.refresh(member)
    assert (member.role.value, member.helpful_received) == ("member", 0)


def test_profile_edit_without_csrf_is_refused(app: Flask, member: Member) -> None:
    """A cross-site form post cannot change the bio."""
    response = browser(app, member).post("/account/profile", data={"bio": "Hacked", "visibility": "members"})
    assert response.status_code == 400
    db.session.refresh(member)
    assert member.bio.startswith("Living with it")


def test_xss_payloads_in_bio_are_shown_as_text(app: Flask, member: Member, subtests) -> None:  # noqa: ANN001
    """Whatever markup goes into a bio comes out as the same text, never as elements or attributes. A refused bio
    is shown only in the form that refused it, so that page is checked instead of the unchanged profile."""
    author, visitor = browser(app, member), browser(app)
    for payload in read_corpus("xss-payloads.txt"):
        with subtests.test(msg=payload[:60]):
            response = author.post_form("/account/profile", {"bio": payload[:BIO_MAX], "visibility": "everyone"})
            assert response.status_code in (302, 422)
            page = soup(response if response.status_code == 422 else visitor.get(_url(member)))
            if response.status_code == 302:
                db.session.refresh(member)
                bio = page.select_one(".profile-bio")
                if member.bio:
                    assert bio.get_text() == member.bio
                    assert bio.find() is None  # no child elements: the payload stayed text
            scripts = [s.get("src", "") for s in page.select("script")]
            assert all(src.startswith("/static/") for src in scripts)


def test_hostile_bios_never_cause_a_server_error(app: Flask, member: Member, subtests) -> None:  # noqa: ANN001
    """Hostile input is stored faithfully or refused clearly, and the profile still renders."""
    author, visitor = browser(app, member), browser(app)
    for payload in read_corpus("hostile-inputs.txt"):
        with subtests.test(msg=payload[:60]):
            response = author.post_form("/account/profile", {"bio": payload, "visibility": "everyone"})
            assert response.status_code in (302, 422)
            if response.status_code == 302:
                db.session.refresh(member)
                assert member.bio == member.bio.strip()
            assert visitor.get(_url(member)).status_code == 200


def test_control_characters_in_bio_are_refused(app: Flask, member: Member) -> None:
    """A NUL or escape character is refused with a message rather than stored."""
    for bad in ("nul\x00here", "esc\x1b[31mred"):
        response = browser(app, member).post_form("/account/profile", {"bio": bad, "visibility": "everyone"})
        assert response.status_code == 422


def test_visitor_is_sent_to_sign_in_for_profile_settings(app: Flask) -> None:
    """The settings page needs a signed-in member."""
    response = browser(app).get("/account/profile")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_reserved_name_former_member_cannot_be_registered(app: Flask) -> None:
    """Nobody can sign up as "Former member", whatever the case or width."""
    for name in ("Former member", "FORMER MEMBER", "Ｆormer member"):
        response = browser(app).post_form(
            "/register",
            {
                "email": "new@example.org",
                "display_name": name,
                "password": "a fine long passphrase",
                "password_confirm": "a fine long passphrase",
                "accept_guidelines": "y",
            },
        )
        assert "That name is used by the site itself" in page_text(response)


def test_profile_page_runs_fixed_statements_with_groups_and_bio(
    client,
    count_queries: Callable,
    login_as: Callable,  # noqa: ANN001
) -> None:
    """With a bio, groups and posts, the profile page still runs at most 8 statements, however many there are."""
    reader = make_member()
    login_as(reader)
    client.get("/guidelines")
    counts = []
    for size in (2, 12):
        writer = make_member(bio="Hello")
        for _ in range(size):
            make_group(members=(writer,))
            make_post(author=writer)
        with client.application.app_context(), count_queries() as counter:
            assert client.get(_url(writer)).status_code == 200
        counts.append(len(counter))
    assert counts[0] == counts[1] <= 8
