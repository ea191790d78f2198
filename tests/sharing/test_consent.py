"""Members' consent to reposting at /account/profile: off by default, saved by the form, exported, and obeyed."""

from __future__ import annotations

import io
import json
import zipfile

from flask import Flask

from app.extensions import db
from app.models import Member, Role
from tests.factories import make_member
from tests.sharing.conftest import shared_topic
from tests.support import browser, refreshed, soup

PROFILE = {"bio": "", "visibility": "everyone"}


def test_both_settings_are_off_for_a_new_member(app: Flask) -> None:
    """A new member has agreed to nothing: both boxes are unticked on their profile page."""
    member = make_member()
    assert (member.repost_consent, member.repost_name_consent) == (False, False)
    html = soup(browser(app, member).get("/account/profile"))
    for name in ("repost", "repost_name"):
        box = html.find("input", attrs={"name": name})
        assert box["type"] == "checkbox" and not box.has_attr("checked")
        assert html.find("label", attrs={"for": box["id"]}).get_text(strip=True)


def test_form_saves_and_withdraws_consent(app: Flask) -> None:
    """Ticking both saves both; unticking them (a form without the boxes) withdraws both."""
    member = make_member()
    client = browser(app, member)
    assert client.post_form("/account/profile", {**PROFILE, "repost": "y", "repost_name": "y"}).status_code == 302
    member = refreshed(member)
    assert (member.repost_consent, member.repost_name_consent) == (True, True)
    html = soup(client.get("/account/profile"))
    assert html.find("input", attrs={"name": "repost"}).has_attr("checked")
    assert client.post_form("/account/profile", PROFILE).status_code == 302
    member = refreshed(member)
    assert (member.repost_consent, member.repost_name_consent) == (False, False)


def test_name_without_reposting_is_refused_beside_the_field(app: Flask) -> None:
    """Consent to the name alone means nothing: 422, the reason beside that box, nothing saved."""
    member = make_member(bio="Before")
    response = browser(app, member).post_form("/account/profile", {**PROFILE, "bio": "After", "repost_name": "y"})
    assert response.status_code == 422
    assert "tick both, or neither" in soup(response).find(id="repost_name-error").get_text()
    member = refreshed(member)
    assert (member.bio, member.repost_name_consent) == ("Before", False)


def test_export_holds_both_settings(app: Flask) -> None:
    """The export's settings say what the member agreed to."""
    member = make_member(repost_consent=True)
    response = browser(app, member).post_form("/account/export")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        settings = json.loads(archive.read("kindred-export.json"))["settings"]
    assert settings["staff_may_repost_my_public_posts"] is True
    assert settings["reposts_carry_my_display_name"] is False


def _leaks(app: Flask, member: Member, post_id: int, topic_path: str) -> dict[str, bool]:
    """Whether the member's name appears on each way a post leaves the site (the card is tested by its bytes)."""
    name = member.display_name
    visitor, staff = browser(app), browser(app, make_member(role=Role.STAFF))
    oembed = visitor.get(f"/oembed?url=http://localhost/p/{post_id}")
    return {
        "oembed": oembed.status_code == 200 and name in oembed.get_data(as_text=True),
        "embed": name in visitor.get(f"/embed/p/{post_id}").get_data(as_text=True),
        "repost page": f"credit them as {name}" in staff.get(f"/staff/repost/{post_id}").get_data(as_text=True),
        "og tags": any(name in tag.get("content", "") for tag in soup(visitor.get(topic_path)).find_all("meta")),
    }


def test_no_path_carries_the_name_of_an_author_who_did_not_agree(app: Flask) -> None:
    """Without consent to the name (with or without consent to reposting), no oEmbed answer, embed, repost page or
    preview tag names the author; with it, the outside-facing ones do."""
    for repost, named in ((False, False), (True, False), (True, True)):
        member = make_member(display_name=f"Author {repost}{named}", repost_consent=repost, repost_name_consent=named)
        thread = shared_topic(member)
        leaks = _leaks(app, member, thread.post.id, f"/t/{thread.topic.id}/{thread.topic.slug}")
        expected = {"oembed": named, "embed": named, "repost page": named, "og tags": False}
        assert leaks == expected, (repost, named)


def test_kept_posts_of_a_deleted_account_no_longer_leave_the_site(app: Flask) -> None:
    """An author who agreed, then deleted their account keeping their posts: the consent goes with them, so
    embeds and oEmbed answer 404 and the card names nobody."""
    from app.services.members.erasure import delete_account
    from tests.factories import PASSWORD

    author = make_member(display_name="Leaving Soon", repost_consent=True, repost_name_consent=True)
    thread = shared_topic(author)
    delete_account(author, author, password=PASSWORD, remove_posts=False)
    author = refreshed(author)
    assert (author.repost_consent, author.repost_name_consent) == (False, False)
    visitor = browser(app)
    assert visitor.get(f"/embed/p/{thread.post.id}").status_code == 404
    assert visitor.get(f"/oembed?url=http://localhost/p/{thread.post.id}").status_code == 404
    card = visitor.get(f"/p/{thread.post.id}/card.png").data
    thread.post.author_id = None
    db.session.commit()
    db.session.expire_all()
    assert visitor.get(f"/p/{thread.post.id}/card.png").data == card  # drawn as if by nobody
