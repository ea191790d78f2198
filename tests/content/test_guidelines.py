"""Versioned guidelines: staff save numbered versions with a change note; everyone reads the history and diffs;
sign-up records the version accepted; a material change is accepted before posting again."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import GuidelinesVersion, Member, Post, Role, Topic
from app.services.content.guidelines import DEFAULT_GUIDELINES
from tests.factories import make_group, make_member, make_topic, member_for
from tests.support import STAFF_ONLY, browser, count_rows, page_text, post_reply, refreshed, soup, topic_url

NEW_TEXT = DEFAULT_GUIDELINES + "\n## Fundraising\n\nAsk the staff before sharing a fundraiser.\n"


@pytest.fixture
def staff(app: Flask):  # noqa: ANN201
    return browser(app, make_member(role=Role.STAFF, display_name="Nurse Priya"))


def save(client, body: str = NEW_TEXT, note: str = "Added a section on fundraising.", based_on: int = 1, **more):  # noqa: ANN001, ANN201
    """Submit the edit form as staff would after reading version `based_on`."""
    return client.post_form("/guidelines/edit", {"body": body, "note": note, "based_on": str(based_on), **more})


def versions() -> list[tuple[int, str, bool]]:
    """The originals (numbered versions), without their translations."""
    rows = db.session.execute(
        select(GuidelinesVersion.number, GuidelinesVersion.change_note, GuidelinesVersion.material)
        .where(~GuidelinesVersion.is_translation)
        .order_by(GuidelinesVersion.number)
    )
    return [tuple(row) for row in rows]


def test_guidelines_show_the_built_in_text_as_version_1(app: Flask) -> None:
    """Before any edit, /guidelines shows the built-in guidelines as version 1."""
    page = page_text(browser(app).get("/guidelines"))
    assert "Version 1" in page and "Share experience, not medical advice" in page


def test_saving_publishes_the_next_numbered_version_with_its_note(app: Flask, staff) -> None:  # noqa: ANN001
    """The first save keeps the built-in text as version 1 and publishes the edit as version 2 with its note."""
    assert save(staff).status_code == 302
    assert versions() == [(1, "The original guidelines.", False), (2, "Added a section on fundraising.", False)]
    page = page_text(browser(app).get("/guidelines"))
    assert "Version 2" in page and "Ask the staff before sharing a fundraiser." in page


def test_save_without_a_change_is_refused_with_a_message(app: Flask, staff) -> None:  # noqa: ANN001
    """Saving the text in force again is refused (422) naming the version it equals; no version is stored."""
    response = save(staff, body=DEFAULT_GUIDELINES + "\r\n")
    assert response.status_code == 422
    assert "Nothing changed: the text is the same as version 1." in page_text(response)
    assert versions() == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"note": "  "}, "Say in a few words what changed"),
        ({"body": " \n "}, "The guidelines cannot be empty."),
        ({"note": "n" * 301}, "The change note can be at most 300 characters."),
        ({"body": "x\x00y"}, "cannot be stored (NUL)"),
        ({"based_on": 7}, "Someone saved version 1 while you were editing."),
    ],
)
def test_bad_saves_are_refused_with_a_message(app: Flask, staff, fields: dict, message: str) -> None:  # noqa: ANN001
    """An empty text or note, an overlong note, a NUL or a stale edit is refused (422) and stores nothing."""
    response = save(staff, **fields)
    assert response.status_code == 422
    assert message in page_text(response)
    assert versions() == []


def test_history_lists_every_version_for_visitors(app: Flask, staff) -> None:  # noqa: ANN001
    """/guidelines/history shows each version, newest first, with its note and a material-change badge."""
    save(staff)
    save(staff, body=NEW_TEXT + "\nBe patient.\n", note="Patience.", based_on=2, material="y")
    rows = [r.get_text(" ", strip=True) for r in soup(browser(app).get("/guidelines/history")).select("tbody tr")]
    assert [row.split(" ")[0] for row in rows] == ["3", "2", "1"]
    assert "Material change" in rows[0] and "Patience." in rows[0] and "Material change" not in rows[1]


def test_diff_shows_added_and_removed_lines(app: Flask, staff) -> None:  # noqa: ANN001
    """The diff between two versions marks the removed line and the added line, and shows the change note."""
    save(staff, body=DEFAULT_GUIDELINES.replace("## Moderation", "## How moderation works"), note="Clearer heading.")
    page = soup(browser(app).get("/guidelines/diff?from=1&to=2"))
    assert [d.get_text(strip=True) for d in page.select("tr.diff-removed del")] == ["removed:## Moderation"]
    assert [i.get_text(strip=True) for i in page.select("tr.diff-added ins")] == ["added:## How moderation works"]
    assert "Clearer heading." in page.get_text()


def test_diff_escapes_markup_in_the_text(app: Flask, staff) -> None:  # noqa: ANN001
    """Markup typed into the guidelines shows in the diff as the characters typed, never as elements."""
    save(staff, body=NEW_TEXT + '\n<script>alert(1)</script><img src=x onerror="alert(2)">\n')
    response = browser(app).get("/guidelines/diff?from=1&to=2")
    added = soup(response).select("tr.diff-added ins")
    assert added[-1].get_text(strip=True) == 'added:<script>alert(1)</script><img src=x onerror="alert(2)">'
    assert soup(response).select(".diff script, .diff img") == []


def test_an_older_version_can_be_read(app: Flask, staff) -> None:  # noqa: ANN001
    """`?version=1` shows the old text, with a notice that it is no longer in force."""
    save(staff)
    page = page_text(browser(app).get("/guidelines?version=1"))
    assert "You are reading version 1, which is no longer in force." in page
    assert "Fundraising" not in page


@pytest.mark.parametrize("url", ["/guidelines?version=9", "/guidelines?version=x", "/guidelines/diff?from=1&to=9"])
def test_unknown_versions_answer_404(app: Flask, url: str) -> None:
    """A version that does not exist is a page that does not exist."""
    assert browser(app).get(url).status_code == 404


@pytest.mark.parametrize("role", STAFF_ONLY)
def test_only_staff_edit_the_guidelines(app: Flask, role: str) -> None:
    """Staff and admins reach the editor and save; others are refused (visitors sent to sign in), nothing stored."""
    client = browser(app, member_for(role))
    page, saved = client.get("/guidelines/edit"), save(client)
    if STAFF_ONLY[role]:
        assert (page.status_code, saved.status_code, len(versions())) == (200, 302, 2)
    else:
        assert page.status_code in (302, 403) and saved.status_code in (302, 403) and versions() == []


def test_sign_up_records_the_version_accepted(app: Flask, staff) -> None:  # noqa: ANN001
    """A newcomer who accepts the guidelines at sign-up is recorded as accepting the version in force."""
    save(staff)
    form = {"email": "new@example.org", "display_name": "Newcomer", "password": "plum kettle lantern"}
    form |= {"password_confirm": form["password"], "accept_guidelines": "y"}
    assert browser(app).post_form("/register", form).status_code == 302
    newcomer = db.session.scalar(select(Member).where(Member.email == "new@example.org"))
    assert (newcomer.guidelines_version, newcomer.guidelines_outdated) == (2, False)


def test_material_change_is_accepted_before_posting_again(app: Flask, staff) -> None:  # noqa: ANN001
    """End to end: after a material change a member sees the banner, cannot reply, reads what changed on the
    accept page, accepts, and can reply again."""
    member = make_member()
    topic = make_topic(group=make_group(members=(member,)))
    client = browser(app, member)
    assert save(staff, material="y").status_code == 302

    assert "Our community guidelines have changed." in page_text(client.get("/"))
    refused = post_reply(client, topic, "Hello again")
    assert refused.status_code == 422 and "Please read and accept them before posting again." in page_text(refused)
    assert count_rows(Post) == 1
    topic_page = soup(client.get(topic_url(topic)))
    assert topic_page.select_one(".reply-box a")["href"].startswith("/guidelines/accept")

    accept_page = page_text(client.get(f"/guidelines/accept?next={topic_url(topic)}"))
    assert "Version 2: Added a section on fundraising." in accept_page and "Fundraising" in accept_page
    accepted = client.post_form(f"/guidelines/accept?next={topic_url(topic)}", {"accept": "y"})
    assert accepted.location == topic_url(topic)
    assert (refreshed(member).guidelines_version, member.guidelines_outdated) == (2, False)
    assert "Our community guidelines have changed." not in page_text(client.get("/"))
    assert post_reply(client, topic, "Hello again").status_code == 302


def test_accepting_needs_the_box_ticked(app: Flask, staff) -> None:  # noqa: ANN001
    """Submitting the accept form unticked is refused with a message and the member still cannot post."""
    member = make_member()
    save(staff, material="y")
    response = browser(app, member).post_form("/guidelines/accept", {})
    assert response.status_code == 422 and "Please tick the box to accept the guidelines." in page_text(response)
    assert refreshed(member).guidelines_outdated is True


def test_minor_change_does_not_ask_anyone_to_accept(app: Flask, staff) -> None:  # noqa: ANN001
    """A version not marked material leaves members free to post, with no banner."""
    member = make_member()
    save(staff)
    assert refreshed(member).guidelines_outdated is False
    assert "Our community guidelines have changed." not in page_text(browser(app, member).get("/"))


def test_the_author_of_a_material_change_is_not_asked_to_accept_it(app: Flask) -> None:
    """The staff member who wrote the change has accepted it by saving; other staff are asked."""
    author, colleague = make_member(role=Role.STAFF), make_member(role=Role.ADMIN)
    save(browser(app, author), material="y")
    assert (refreshed(author).guidelines_outdated, author.guidelines_version) == (False, 2)
    assert refreshed(colleague).guidelines_outdated is True


def test_new_topic_is_refused_until_a_material_change_is_accepted(app: Flask, staff) -> None:  # noqa: ANN001
    """Starting a topic is held too, with the reason and the accept box beside the words, until the member accepts."""
    member = make_member()
    group = make_group(members=(member,))
    save(staff, material="y")
    response = browser(app, member).post_form(f"/g/{group.slug}/new", {"title": "Hi", "body": "Hello"})
    assert response.status_code == 422 and "accept them before posting again" in page_text(response)
    assert count_rows(Topic) == 0
