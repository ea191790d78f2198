"""Search in every shipped language: Spanish, French and German found with or without their accents and ligatures,
Arabic with or without its short vowels, tatweel and letter variants. One fold (app.text.folding) does it, the same
in Python as in each database's SQL; migration 0006 re-indexes the posts written before it."""

from __future__ import annotations

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import text

from app.extensions import db
from app.services.search.index import FTS_TABLE, PG_CONFIG, PG_TABLE
from app.text.folding import FOLDS, kindred_fold
from tests.conftest import FormClient
from tests.factories import make_post, make_topic
from tests.ops import test_migrations
from tests.support import found, opening_post, search, soup

POSTS = {
    "es": "Después de la quimioterapia tengo náuseas y mucho cansancio.",
    "es typed plainly": "Despues de la quimio estoy cansada, sin animo para nada.",
    "es tilde": "Mañana tengo cita con el oncólogo.",
    "fr": "J'ai des nausées après la chimiothérapie, est-ce normal ?",
    "fr cedilla": "J'ai reçu les résultats de la prise de sang.",
    "fr ligature": "J'ai mal au cœur le matin depuis le début du traitement.",
    "de": "Nach der Chemotherapie bin ich sehr müde.",
    "de sharp s": "Meine Füße kribbeln seit der Behandlung.",
    # "I feel tired after the session", written with its harakat, as a careful writer or a copied text has it.
    "ar vowelled": "أَشْعُرُ بِالتَّعَبِ بَعْدَ الجَلْسَةِ",
    # "I feel nauseous after the chemotherapy", written as most people type: no harakat, plain alef.
    "ar plain": "اشعر بالغثيان بعد العلاج الكيميائي",
    "ar tatweel": "شكـــرا على الدعم",  # "thanks for the support", stretched
    "ar maqsura": "أتمنى لك الشفاء العاجل",  # "I wish you a quick recovery", ending in alef maqsura
    "unrelated": "Walking every morning helps my mood.",
    "ar unrelated": "الطقس جميل اليوم في الحديقة",  # "the weather is nice today in the garden"
}


@pytest.fixture
def posts(app: Flask) -> dict[str, int]:
    """Each sentence as a reply in one topic whose title matches none of the searches."""
    topic = make_topic(title="Notes", body="Opening words")
    return {name: make_post(topic=topic, body=body).id for name, body in POSTS.items()}


SEARCHES = [
    # Spanish: unaccented queries find the accented post, accented ones the post typed without accents too.
    ("despues quimioterapia", ["es"]),
    ("nauseas cansancio", ["es"]),
    ("QUIMIOTERAPIA", ["es"]),
    ("después", ["es", "es typed plainly"]),
    ("ánimo", ["es typed plainly"]),
    ("manana oncologo", ["es tilde"]),
    ("MAÑANA", ["es tilde"]),
    # French, the ligature œ included.
    ("nausees apres", ["fr"]),
    ("Nausées", ["fr"]),
    ("chimiotherapie", ["fr"]),
    ('"est ce normal"', ["fr"]),
    ("coeur", ["fr ligature"]),
    ("cœur", ["fr ligature"]),
    ("CŒUR matin", ["fr ligature"]),
    ("debut", ["fr ligature"]),
    ("recu resultats", ["fr cedilla"]),
    # German, ß as ss.
    ("mude chemotherapie", ["de"]),
    ("MÜDE", ["de"]),
    ("fusse", ["de sharp s"]),
    ("Füße kribbeln", ["de sharp s"]),
    # Arabic: plain queries find the vowelled post, vowelled ones the plain post.
    ("اشعر بالتعب", ["ar vowelled"]),
    ("أشعر", ["ar vowelled", "ar plain"]),
    ("أَشْعُرُ", ["ar vowelled", "ar plain"]),
    ("إشعر", ["ar vowelled", "ar plain"]),
    ("بِالغَثَيَانِ", ["ar plain"]),
    ("بعد", ["ar vowelled", "ar plain"]),
    ("الجلسه", ["ar vowelled"]),  # taa marbuta typed as haa
    ("الجلسة", ["ar vowelled"]),
    ("العلاج الكيميائي", ["ar plain"]),  # with the article, as the post writes it
    ('"العلاج الكيميائي"', ["ar plain"]),
    ("شكرا", ["ar tatweel"]),
    ("شكـرا", ["ar tatweel"]),
    ("اتمني", ["ar maqsura"]),  # alef maqsura typed as yaa, hamza left out
    ("أتمنى الشفاء", ["ar maqsura"]),
    # Nothing unrelated.
    ("walking", ["unrelated"]),
    ("الطقس", ["ar unrelated"]),
    ("chemo", ["de"]),
    ("tired", []),
    ("السكري", []),
]


@pytest.mark.parametrize(("q", "expected"), SEARCHES, ids=[q for q, _ in SEARCHES])
def test_sentences_are_found_in_every_language(client: FormClient, posts: dict, q: str, expected: list) -> None:
    """Accents, ligatures, Arabic marks, tatweel and letter variants fold alike in posts and queries."""
    assert found(client, q) == {posts[name] for name in expected}


def test_arabic_title_is_found_and_highlighted(client: FormClient) -> None:
    """A vowelled Arabic title is found by its plain spelling, and the whole vowelled word is marked."""
    opening = opening_post(make_topic(title="نَصَائِحُ لِلتَّغْذِيَةِ", body="Opening words"))
    response = search(client, "للتغذيه")
    marks = [mark.get_text() for mark in soup(response).select(".search-result-title mark")]
    assert (found(client, "للتغذيه"), marks) == ({opening.id}, ["لِلتَّغْذِيَةِ"])


@pytest.mark.parametrize(
    ("q", "marked"),
    [("بالتعب", ["بِالتَّعَبِ"]), ("nausees", ["nausées"]), ("coeur", ["cœur"]), ("شكرا", ["شكـــرا"])],
)
def test_snippets_show_the_post_as_written(client: FormClient, posts: dict, q: str, marked: list) -> None:
    """The snippet is the post's own text, not the folded copy in the index, with the matching word marked."""
    snippet = soup(search(client, q)).select_one(".snippet")
    assert [mark.get_text() for mark in snippet.select("mark")] == marked


def test_edits_are_folded_too(client: FormClient) -> None:
    """The update trigger folds like the insert trigger: an edited body is found by its plain spelling."""
    reply = make_post(topic=make_topic(title="Notes", body="Opening words"), body="Nothing yet")
    db.session.execute(text("UPDATE posts SET raw = :raw WHERE id = :id"), {"raw": "الحَمْدُ لِلَّهِ", "id": reply.id})
    db.session.commit()
    assert found(client, "الحمد") == {reply.id}


SAMPLES = [
    "",
    "plain ASCII, with 'quotes' and \\ backslashes",
    "".join(FOLDS),
    *FOLDS,
    *POSTS.values(),
    "ٱلْحَمْدُ لِلَّٰهِ رَبِّ ٱلْعَٰلَمِينَ",
    "Œuvre, Ægir, STRAẞE, Straße, œil",
    "ؤ ئ ء ۀ ﻻ ٣",  # left as they are
]


def test_sql_fold_agrees_with_python(app: Flask) -> None:
    """The database's kindred_fold() returns what the Python one does, string for string, and NULL for NULL."""
    sql = text("SELECT kindred_fold(:value)")
    in_sql = [db.session.scalar(sql, {"value": sample}) for sample in SAMPLES]
    assert in_sql == [kindred_fold(sample) for sample in SAMPLES]
    assert db.session.scalar(text("SELECT kindred_fold(NULL)")) is None


def test_fold_leaves_what_it_folds_alone() -> None:
    """Folding twice changes nothing more, so the query may be folded in Python and again in SQL."""
    assert [kindred_fold(kindred_fold(sample)) for sample in SAMPLES] == [kindred_fold(sample) for sample in SAMPLES]


# Migration 0006, on an empty database per backend (the fixtures of test_migrations).
empty_database_url = test_migrations.empty_database_url
throwaway_postgres_url = test_migrations.throwaway_postgres_url
migrations_app = test_migrations.migrations_app

LEGACY_ROWS = [
    "INSERT INTO groups (id, name, slug, description, position, archived, review_all_posts, created_at, topic_count, "
    "post_count, member_count) VALUES (1, 'G', 'g', '', 0, false, false, CURRENT_TIMESTAMP, 1, 1, 0)",
    "INSERT INTO topics (id, group_id, title, slug, created_at, last_activity_at, reply_count, pinned, locked, status) "
    "VALUES (1, 1, 'Notes', 'notes', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, false, false, 'visible')",
    "INSERT INTO posts (id, topic_id, is_opening, raw, cooked, status, created_at, resubmitted) "
    "VALUES (1, 1, true, :raw, '<p>…</p>', 'visible', CURRENT_TIMESTAMP, false)",
]


def indexed_matches(word: str) -> set[int]:
    """The posts whose index document holds this word, asked of the index directly (the page's query would call
    kindred_fold(), which PostgreSQL lacks before 0006)."""
    if db.engine.dialect.name == "postgresql":
        sql = f"SELECT post_id FROM {PG_TABLE} WHERE document @@ to_tsquery('{PG_CONFIG}', :term)"  # noqa: S608
        return set(db.session.scalars(text(sql), {"term": f"'{word}'"}))
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :term"  # noqa: S608 - constant names
    return set(db.session.scalars(text(sql), {"term": f'"{word}"'}))


def has_fold_function() -> bool:
    """PostgreSQL: whether kindred_fold() exists (on SQLite it is the app's, registered on every connection)."""
    return bool(db.session.scalar(text("SELECT count(*) FROM pg_proc WHERE proname = 'kindred_fold'")))


def insert_legacy_rows() -> None:
    """A group, a topic and a vowelled Arabic post, written with the columns of revision 0001."""
    with db.engine.begin() as connection:
        for statement in LEGACY_ROWS:
            connection.execute(text(statement), {"raw": POSTS["ar vowelled"]})


def test_migration_reindexes_existing_posts(migrations_app: Flask) -> None:
    """A vowelled post written before 0006 is not found by its plain spelling until the upgrade re-indexes it."""
    # 0002 builds the index as the code now describes it: 0006's downgrade gives a database the triggers of before.
    flask_migrate.upgrade(revision="0006")
    flask_migrate.downgrade(revision="0005")
    insert_legacy_rows()
    before = indexed_matches("بالتعب")
    db.session.remove()
    flask_migrate.upgrade(revision="0006")
    assert (before, indexed_matches("بالتعب"), indexed_matches("notes")) == (set(), {1}, {1})


def test_migration_downgrade_restores_the_unfolded_index(migrations_app: Flask) -> None:
    """Downgrading 0006 indexes posts as written again and removes the function; posts can still be written."""
    flask_migrate.upgrade(revision="0006")
    insert_legacy_rows()
    folded = indexed_matches("بالتعب")
    db.session.remove()
    flask_migrate.downgrade(revision="0005")
    assert (folded, indexed_matches("بالتعب"), indexed_matches("notes")) == ({1}, set(), {1})
    if db.engine.dialect.name == "postgresql":
        assert not has_fold_function()
    db.session.execute(text("UPDATE posts SET raw = 'Fresh words' WHERE id = 1"))
    db.session.commit()
    assert indexed_matches("fresh") == {1}
