"""Every visible string is translatable, and every shipped catalogue is complete and well formed.

The pseudo-locale test extracts the messages from the code as `make translations` does, builds a catalogue whose
every translation is the English wrapped in ⟦…⟧, and renders the main pages in it as a visitor, a member, a
moderator and staff, on the demo community. Any visible word left that is neither inside markers nor written by a
member (every string stored in the database) was never passed through gettext."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment, Doctype
from flask import Flask, current_app
from sqlalchemy import String, Text, select

from app.extensions import db
from app.models import Member
from app.services.content.guidelines import DEFAULT_GUIDELINES, DEFAULT_NOTE
from app.services.members.language import time_zones
from app.services.moderation.settings import TEXT_SETTINGS
from app.services.notify.preferences import STOP_SENTENCES, unsubscribe_token
from app.text.rendering import cook
from tests.conftest import FormClient, sign_in
from tests.factories import make_member
from tests.support import page_text, write_catalogue
from tests.web.main_pages import AS, demo_world

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted((ROOT / "app" / "translations").glob("*/LC_MESSAGES/messages.po"))
PSEUDO = "eo"  # a real locale nobody ships, so Babel formats its dates and numbers
OPEN, CLOSE = "⟦", "⟧"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


def make_variable(name: str) -> list[str]:
    """A variable of the Makefile, split as the shell splits it."""
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith(f"{name} :="):
            return shlex.split(line.partition(":=")[2])
    raise LookupError(name)


@pytest.fixture(scope="session")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The messages of the code, extracted with the very options `make translations` uses."""
    pot = tmp_path_factory.mktemp("extracted") / "messages.pot"
    options = make_variable("PYBABEL_KEYWORDS")
    CommandLineInterface().run(
        ["pybabel", "extract", "-F", str(ROOT / "babel.cfg"), *options, "-o", str(pot), str(ROOT)]
    )
    with pot.open("rb") as template:
        return read_po(template)


@pytest.fixture(scope="session")
def pseudo_translations(tmp_path_factory: pytest.TempPathFactory, extracted: Catalog) -> Path:
    root = tmp_path_factory.mktemp("pseudo")
    catalog = Catalog(locale=PSEUDO)
    for message in extracted:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            translated = tuple(f"{OPEN}{message.id[min(i, 1)]}{CLOSE}" for i in range(catalog.num_plurals))
        else:
            translated = f"{OPEN}{message.id}{CLOSE}"
        catalog.add(message.id, translated, context=message.context)
    write_catalogue(root, catalog)
    return root


@pytest.fixture
def app_overrides(pseudo_translations: Path) -> dict:
    return {"BABEL_TRANSLATION_DIRECTORIES": str(pseudo_translations), "LOCALES": ("en", PSEUDO)}


def stored_strings() -> list[str]:
    """Every string in the database: what members, staff and the demo wrote, and so never translated."""
    values: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            values.update(v for v in row if isinstance(v, str) and v)
    # What members wrote, as pages show it: Markdown cooked to HTML, read back as text.
    values.update(BeautifulSoup(v, "html.parser").get_text() for v in list(values) if "<" in v)
    # The starting guidelines are the community's text, like a saved version, for staff to rewrite in their words.
    values.add(BeautifulSoup(cook(DEFAULT_GUIDELINES), "html.parser").get_text())
    values.update((DEFAULT_NOTE, DEFAULT_GUIDELINES.strip()))
    # The crisis-support panels' starting texts are the community's, one per language, for staff to adapt.
    values.update(TEXT_SETTINGS.values())
    # Time zones are named by their Region/City identifiers, the same in every language.
    values.update(zone.replace("_", " ") for zone in time_zones())
    # The language switch names each language in itself, the same on every page.
    values.update(name for _, name in current_app.extensions["kindred_language_names"])
    return sorted({" ".join(v.split()) for v in values if v.strip()}, key=len, reverse=True)


def date_words() -> set[str]:
    """Month and day names of the pseudo-locale: Babel's, not ours to translate."""
    locale = Locale.parse(PSEUDO)
    words: set[str] = set()
    for names in (locale.months, locale.days):
        for context in names.values():
            for width in context.values():
                for name in width.values():
                    words.update(name.lower().split())
    return words


def _leftover_words(text: str, stored: list[str], ignored: set[str]) -> set[str]:
    while re.search(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", text):  # innermost first: placeholders hold marked strings
        text = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", "\x00", text)
    words: set[str] = set()
    for piece in text.split("\x00"):
        piece = " ".join(piece.split())
        for value in stored:  # longest first, so a title is taken whole before a name inside it
            piece = piece.replace(value, " ")
        words.update(w for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", piece) if w.lower() not in ignored)
    return words


def untranslated(html: str, stored: list[str], dates: set[str]) -> list[str]:
    """Visible words in `html` outside ⟦…⟧ markers, in text that is not part of anything stored.

    The page's text is read twice: as one run (stored text with inline markup, such as a cooked post, reads as it
    was written) and node by node (neighbouring options do not run together); a word must be left in both."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    for excerpt in soup.select(".snippet"):  # a member's words, cut to the matched part
        excerpt.decompose()
    nodes = [str(t) for t in soup.find_all(string=True) if not isinstance(t, Comment | Doctype)]
    attributes = []
    for tag in soup.find_all(True):
        attributes.extend(str(tag[a]) for a in ("title", "placeholder", "aria-label", "alt") if tag.has_attr(a))
        if tag.name == "input" and tag.get("type") in ("submit", "button") and tag.has_attr("value"):
            attributes.append(str(tag["value"]))
    ignored = {"kindred", "utc"} | dates
    in_attributes = set().union(*(_leftover_words(a, stored, ignored) for a in attributes))
    as_run = _leftover_words("".join(nodes), stored, ignored)
    by_node = _leftover_words("\x00".join(nodes), stored, ignored)
    return sorted(in_attributes | (as_run & by_node))


@pytest.mark.parametrize("role", AS)
def test_every_visible_string_goes_through_gettext(app: Flask, client: FormClient, role: str) -> None:
    world = demo_world()
    email, pages = AS[role]
    if email:
        sign_in(client, db.session.scalars(select(Member).where(Member.email == email)).one())
    stored, dates = stored_strings(), date_words()
    problems = {}
    for page in pages:
        url = page.format(**world)
        response = client.get(url, headers={"Accept-Language": PSEUDO})
        assert response.status_code in (200, 404), url
        assert f'lang="{PSEUDO}"' in response.get_data(as_text=True)
        left = untranslated(response.get_data(as_text=True), stored, dates)
        if left:
            problems[url] = left
    assert problems == {}


@pytest.mark.parametrize("kind", STOP_SENTENCES)
def test_unsubscribe_sentences_are_translated_whole(app: Flask, client: FormClient, kind: str) -> None:
    """The unsubscribe page's question and confirmation are each one message, never a label fitted into a sentence,
    so every language words each kind its own way."""
    path = f"/unsubscribe/{unsubscribe_token(make_member().id, kind)}"
    stored, dates = stored_strings(), date_words()
    asked = client.get(path, headers={"Accept-Language": PSEUDO})
    done = client.post_form(path, headers={"Accept-Language": PSEUDO})
    for response, sentence in ((asked, STOP_SENTENCES[kind][0]), (done, STOP_SENTENCES[kind][1])):
        assert f"{OPEN}{sentence}{CLOSE}" in page_text(response)
        assert untranslated(response.get_data(as_text=True), stored, dates) == []


# The shipped catalogues: complete, never fuzzy, and with the source's placeholders.


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.parent.parent.name for p in CATALOGUES])
def test_catalogue_is_complete_and_well_formed(path: Path, extracted: Catalog) -> None:
    with path.open("rb") as po:
        catalog = read_po(po)
    expected = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in extracted if m.id}
    present = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalog if m.id}
    assert sorted(expected - present, key=str) == [], "run `make translations` and translate the new messages"
    plural_forms = catalog.num_plurals
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(message.id, tuple) and len(strings) != plural_forms:
            problems.append(f"{len(strings)} plural forms instead of {plural_forms}: {message.id!r}")
        wanted = set().union(*(set(PLACEHOLDER.findall(s)) for s in sources))
        for string in strings:
            if not string.strip():
                problems.append(f"empty: {message.id!r}")
                continue
            found = set(PLACEHOLDER.findall(string))
            # A plural form for exactly one may write the number as a word ("una respuesta").
            allowed_missing = {"num"} if isinstance(message.id, tuple) else set()
            if found - wanted or (wanted - found) - allowed_missing:
                problems.append(f"placeholders {sorted(found)} instead of {sorted(wanted)}: {message.id!r}")
    assert problems == []
