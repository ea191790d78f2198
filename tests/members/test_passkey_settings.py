"""The member's passkey pages (/account/passkeys): the list, renaming with any name (hostile corpora included),
choosing passwordless use, removal, and that nobody else reaches another member's passkey; export and deletion."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Member, Passkey
from app.models.passkeys import PASSKEY_NAME_MAX
from app.services.common.cleaning import visible_length
from tests.conftest import FormClient
from tests.factories import PASSWORD, make_member
from tests.members.soft_authenticator import SoftAuthenticator, add_passkey
from tests.support import CORPORA, Findings, browser, page_text, read_corpus, soup


@pytest.fixture
def owner(app: Flask) -> Member:
    return make_member(display_name="Oona Owner")


@pytest.fixture
def owners_browser(app: Flask, owner: Member) -> FormClient:
    return browser(app, owner)


@pytest.fixture
def passkey(owners_browser: FormClient, owner: Member) -> Passkey:
    assert add_passkey(owners_browser, SoftAuthenticator(), name="Old phone").status_code == 200
    return db.session.scalar(select(Passkey).where(Passkey.member_id == owner.id))


def _stored(passkey_id: int) -> Passkey | None:
    db.session.rollback()
    return db.session.get(Passkey, passkey_id)


def test_the_page_works_without_javascript_and_says_what_needs_it(owners_browser: FormClient, passkey) -> None:  # noqa: ANN001
    """The list, rename link and remove button are plain HTML; adding says in <noscript> that it needs JavaScript."""
    page = soup(owners_browser.get("/account/passkeys"))
    assert "Adding a passkey needs JavaScript" in page.find("noscript").get_text()
    assert page.select_one("form[data-passkey=register]").has_attr("hidden")
    assert page.select_one(f"a[href='/account/passkeys/{passkey.id}']")
    assert page.select_one(f"form[action='/account/passkeys/{passkey.id}/remove'] input[name=csrf_token]")
    assert page.select_one("script[src^='/static/passkeys.js?v=']")


def test_the_account_page_links_to_passkeys(owners_browser: FormClient, passkey) -> None:  # noqa: ANN001
    """From the account's overview and its menu, "Passkeys" is one click away."""
    page = soup(owners_browser.get("/account"))
    assert page.select("a[href='/account/passkeys']")


def test_rename_and_choose_passwordless(owners_browser: FormClient, passkey) -> None:  # noqa: ANN001
    """The form (fields `name` and `passwordless`) saves both and goes back to the list, which says so."""
    response = owners_browser.post_form(f"/account/passkeys/{passkey.id}", {"name": "Blue key", "passwordless": "y"})
    assert response.status_code == 302 and response.location == "/account/passkeys"
    stored = _stored(passkey.id)
    assert (stored.name, stored.passwordless) == ("Blue key", True)
    listed = page_text(owners_browser.get("/account/passkeys"))
    assert "Blue key" in listed and "Signs you in without a password." in listed
    owners_browser.post_form(f"/account/passkeys/{passkey.id}", {"name": "Blue key"})
    assert _stored(passkey.id).passwordless is False  # an unticked box is a choice too


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Please give this passkey a name"),
        ("\u200b\u2800 ", "Please give this passkey a name"),
        ("x" * (PASSKEY_NAME_MAX + 1), "Names can be at most 60 characters."),
        ("a\x00b", "cannot be stored (NUL)"),
    ],
)
def test_a_bad_name_is_refused_next_to_the_field(owners_browser: FormClient, passkey, name: str, message: str) -> None:  # noqa: ANN001
    """A refused name: status 422, the reason beside the field, the passkey unchanged."""
    response = owners_browser.post_form(f"/account/passkeys/{passkey.id}", {"name": name, "passwordless": "y"})
    assert response.status_code == 422
    assert message in soup(response).select_one("#name-error").get_text()
    assert (_stored(passkey.id).name, _stored(passkey.id).passwordless) == ("Old phone", False)


def expected_name(line: str) -> str | None:
    """What the naming rules keep of a line, or None when they refuse it."""
    name = " ".join(line.split())
    if "\x00" in line or not visible_length(name) or len(name) > PASSKEY_NAME_MAX:
        return None
    return name


@pytest.fixture
def app_overrides() -> dict:
    return {"PROPAGATE_EXCEPTIONS": False}  # a server error is a 500 answer to note, not an exception that stops


@pytest.mark.parametrize("corpus", CORPORA)
def test_hostile_names_are_stored_faithfully_or_refused(
    owners_browser: FormClient, passkey, findings: Findings, corpus: str
) -> None:  # noqa: ANN001
    """Each corpus line as a name: stored as the rules say and shown inert on the list and the form, or refused."""
    for line in read_corpus(corpus):
        before = _stored(passkey.id).name
        response = owners_browser.post_form(f"/account/passkeys/{passkey.id}", {"name": line})
        name = _stored(passkey.id).name
        expected = expected_name(line)
        if expected is None:
            findings.refused(line, response, findings.page(line, response), written=name != before)
            continue
        findings.page(line, response)
        findings.stored_as(line, name, expected)
        findings.page(line, owners_browser.get("/account/passkeys"))
        findings.page(line, owners_browser.get(f"/account/passkeys/{passkey.id}"))
    findings.assert_clean()


def test_remove_needs_the_csrf_token(owners_browser: FormClient, passkey) -> None:  # noqa: ANN001
    """A removal without the form's token (a forged cross-site POST) is refused and the passkey stays."""
    assert owners_browser.post(f"/account/passkeys/{passkey.id}/remove").status_code == 400
    assert _stored(passkey.id) is not None


def test_remove_takes_the_passkey_away(owners_browser: FormClient, passkey) -> None:  # noqa: ANN001
    """Remove: the row goes, the list says so; removing it again answers 404, not an error."""
    passkey_id = passkey.id
    response = owners_browser.post_form(f"/account/passkeys/{passkey_id}/remove", follow_redirects=True)
    assert "no longer signs you in here" in page_text(response)
    assert _stored(passkey_id) is None
    assert owners_browser.post_form(f"/account/passkeys/{passkey_id}/remove").status_code == 404


@pytest.mark.parametrize("role", ["member", "moderator", "admin"])
def test_nobody_else_reaches_a_members_passkey(app: Flask, passkey, role: str) -> None:  # noqa: ANN001
    """Someone else's passkey answers 404 to viewing, renaming and removing (admins too), and stays as it was."""
    other = browser(app, make_member(display_name=f"Nosy {role}", role=role))
    assert other.get(f"/account/passkeys/{passkey.id}").status_code == 404
    assert (
        other.post_form(f"/account/passkeys/{passkey.id}", {"name": "Mine now", "passwordless": "y"}).status_code == 404
    )
    assert other.post_form(f"/account/passkeys/{passkey.id}/remove").status_code == 404
    stored = _stored(passkey.id)
    assert (stored.name, stored.passwordless) == ("Old phone", False)
    assert "Old phone" not in page_text(other.get("/account/passkeys"))


def test_out_of_range_ids_answer_404(owners_browser: FormClient) -> None:
    """An id no database could hold is a 404 like any missing passkey, never a server error."""
    assert owners_browser.get(f"/account/passkeys/{2**63}").status_code == 404


def test_visitors_are_sent_to_sign_in(client: FormClient, passkey) -> None:  # noqa: ANN001
    """The passkey pages need an account: a visitor goes to the sign-in page."""
    assert client.get("/account/passkeys").location.startswith("/login")


def test_export_names_passkeys_but_holds_no_key(owners_browser: FormClient, passkey) -> None:  # noqa: ANN001
    """The member's export lists each passkey's name and dates, never its key or credential id."""
    response = owners_browser.post_form("/account/export")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        text = archive.read("kindred-export.json").decode()
    [exported] = json.loads(text)["passkeys"]
    assert exported["name"] == "Old phone" and exported["created_at"] and exported["last_used_at"] is None
    assert set(exported) == {"name", "passwordless", "created_at", "last_used_at"}


def test_deleting_the_account_removes_its_passkeys(owners_browser: FormClient, passkey) -> None:  # noqa: ANN001
    """Account deletion leaves no passkey behind: it could otherwise still sign someone in."""
    passkey_id = passkey.id
    assert owners_browser.post_form("/account/delete", {"password": PASSWORD}).status_code == 302
    assert _stored(passkey_id) is None
