"""The review queue, the watched words and the log in the moderator's language: every reason, status and action a
whole translatable sentence or label, never an English machine word or a sentence glued from pieces.

The pseudo-locale checks reuse tests/web/test_translatable.py's catalogue, in which every marked string reads ⟦…⟧."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ContentStatus, Member, ReviewEvent, ReviewItem, ReviewKind, ReviewStatus, Role
from app.services.community.posting import delete_post, edit_post, reply
from app.services.moderation import reasons
from app.services.moderation.flags import flag_post
from app.services.moderation.queue import Decision, decide, open_review
from app.services.moderation.watched_words import add_watched_word, remove_watched_word
from tests.factories import make_group, make_member, make_post, make_topic, newcomer_in
from tests.support import browser, decide_on_page, open_item, page_text, soup
from tests.web.test_translatable import (  # noqa: F401 - the pseudo-locale fixtures, used by name
    PSEUDO,
    app_overrides,
    date_words,
    extracted,
    pseudo_translations,
    stored_strings,
    untranslated,
)

CRISIS = "Some nights I want to end my life."
# One stored reason of every kind the site writes, and its English as a moderator reads it.
STORED_AND_SHOWN = [
    ("may be about self-harm or suicide", ["May be about self-harm or suicide."]),
    ("this group reviews every post", ["This group reviews every post."]),
    ("resubmitted after rejection", ["Resubmitted by its author after a rejection."]),
    ("one of the member's first 2 posts", ["One of the member's first 2 posts."]),
    ("one of the member's first 1 posts", ["The member's first post."]),
    ("a newer member's post with a link", ["A newer member's post with a link."]),
    ("a newer member's post with an e-mail address", ["A newer member's post with an e-mail address."]),
    ("a newer member's post with a phone number", ["A newer member's post with a phone number."]),
    (
        "a newer member's post with a link and an e-mail address and a phone number",  # as older rows hold it
        [
            "A newer member's post with a link.",
            "A newer member's post with an e-mail address.",
            "A newer member's post with a phone number.",
        ],
    ),
    (
        'contains the watched phrase "detox" (hold)',
        ["Contains the watched phrase “detox”, which holds a post for review."],
    ),
    (
        'contains the watched phrase "keto" (flag)',
        ["Contains the watched phrase “keto”, which flags a post for review."],
    ),
    ('contains the watched phrase "pills" (block)', ["Contains the watched phrase “pills”, which blocks a post."]),
    ("flagged: Spam or advertising", ["Flagged: Spam or advertising."]),
    ("flagged: Something else — Sells tea", ["Flagged: Something else. In their words: “Sells tea”"]),
    (
        "after an edit: a newer member's post with a link and a phone number",
        [
            "After an edit: A newer member's post with a link.",
            "After an edit: A newer member's post with a phone number.",
        ],
    ),
    ("written by code we no longer have", ["written by code we no longer have"]),
]


@pytest.mark.parametrize(("stored", "shown"), STORED_AND_SHOWN, ids=[s for s, _ in STORED_AND_SHOWN])
def test_each_stored_reason_reads_as_whole_sentences(app, stored, shown):
    """Every reason the site stores reads, in English, as one or more complete sentences; unknown text as stored."""
    with app.test_request_context():
        assert reasons.shown_reasons([stored]) == shown


def _pseudo_moderator() -> Member:
    moderator = make_member(display_name="Mod Ada", role=Role.MODERATOR)
    moderator.locale = PSEUDO
    db.session.commit()
    return moderator


def _queue_of_every_reason(moderator: Member) -> None:
    """Open items that between them hold every kind of reason the site writes."""
    group = make_group(name="Heart health")
    topic = make_topic(group=group, title="Living with AF")
    add_watched_word(moderator, "detox", "hold")
    add_watched_word(moderator, "keto", "flag")
    newcomer = newcomer_in(group, "New Nia")
    reply(newcomer, topic, f"Keto and detox. {CRISIS} Mail me@tea.example, call 07700 900123, see www.detox.shop")
    everyone = make_group(name="Careful group", review_all_posts=True)
    reply(newcomer_in(everyone, "Nia Two"), make_topic(group=everyone, title="Hello"), "Hello all.")
    rejected = reply(newcomer_in(group, "Nia Three"), topic, "My first words.").post
    decide(moderator, open_item(rejected).id, Decision("reject", "Off-topic."))
    edit_post(rejected.author, rejected, "My first words, edited.")
    regular = make_member(display_name="Reg", approved_posts=10)
    edited = make_post(topic=topic, author=regular, body="Tea helps.")
    edit_post(regular, edited, "Keto tea helps.")
    flagged = make_post(topic=topic, body="Buy now.")
    flag_post(make_member(display_name="Flo"), flagged, "spam")
    flag_post(make_member(display_name="Gus"), flagged, "other", "Sells tea")
    legacy = make_post(topic=topic, body="Older words.", status=ContentStatus.PENDING)
    open_review(legacy, ReviewKind.HELD_POST, ["a newer member's post with a link and a phone number"])
    db.session.commit()


def _site_written_notes() -> set[str]:
    """History notes the site writes, "; "-joined English reasons: not a member's words, so not left as stored."""
    notes = db.session.scalars(select(ReviewEvent.note).where(ReviewEvent.action.in_(["opened", "added to"])))
    return {" ".join(note.split()) for note in notes}


def test_queue_in_the_pseudo_locale_has_no_unmarked_text(app: Flask):
    """The queue, with an item for every reason and history entry, shows no text that skipped gettext."""
    moderator = _pseudo_moderator()
    with app.test_request_context():
        _queue_of_every_reason(moderator)
    response = browser(app, moderator).get("/mod/queue")
    assert response.status_code == 200
    assert len(soup(response).select("li.queue-item")) == 6
    site_written = _site_written_notes()
    stored = [v for v in stored_strings() if v not in site_written]
    assert untranslated(response.get_data(as_text=True), stored, date_words()) == []


def test_queue_shows_every_reason_in_english_as_a_list_of_sentences(app: Flask):
    """In English each reason is its own list item, a whole sentence; none is joined to another with "and"."""
    moderator = make_member(display_name="Mod Ada", role=Role.MODERATOR)
    with app.test_request_context():
        _queue_of_every_reason(moderator)
    page = soup(browser(app, moderator).get("/mod/queue"))
    shown = {" ".join(li.get_text(" ").split()) for li in page.select(".why li")}
    assert {
        "Contains the watched phrase “keto”, which flags a post for review.",
        "Contains the watched phrase “detox”, which holds a post for review.",
        "May be about self-harm or suicide.",
        "One of the member's first 2 posts.",
        "A newer member's post with a link.",
        "A newer member's post with an e-mail address.",
        "A newer member's post with a phone number.",
        "This group reviews every post.",
        "Resubmitted by its author after a rejection.",
        "After an edit: Contains the watched phrase “keto”, which flags a post for review.",
        "Flagged: Spam or advertising.",
        "Flagged: Something else. In their words: “Sells tea”",
    } <= shown
    assert not [r for r in shown if " and a " in r or " and an " in r]


def test_history_names_each_reason_as_a_sentence(app: Flask):
    """An item's history lists what opened it and what was added, as the reasons read, not the stored English."""
    moderator = make_member(display_name="Mod Ada", role=Role.MODERATOR)
    post = make_post(topic=make_topic(title="Living with AF"), body="Buy now.")
    flag_post(make_member(display_name="Flo"), post, "spam")
    flag_post(make_member(display_name="Gus"), post, "harassment")
    entry = soup(browser(app, moderator).get("/mod/queue")).select_one(f"li#item-{open_item(post).id}")
    history = [" ".join(li.get_text(" ").split()) for li in entry.select("details li") if "by" in li.get_text()]
    assert any(h.endswith("opened by Flo Flagged: Spam or advertising.") for h in history), history
    assert any(h.endswith("added to by Gus Flagged: Harassment or unkindness.") for h in history), history


ALREADY = [
    ("approve", "", "Already approved by Mod Bo."),
    ("reject", "Spam.", "Already rejected by Mod Bo."),
    ("hide", "", "Already hidden by Mod Bo."),
    ("dismiss", "", "Already kept published by Mod Bo: the flags were judged unfounded."),
]


@pytest.mark.parametrize(("first", "note", "told"), ALREADY, ids=[a for a, *_ in ALREADY])
def test_already_decided_says_the_outcome_in_a_sentence(app, first, note, told):
    """A moderator who comes second is told, in a sentence of its own for each outcome, who decided what."""
    post = make_post(topic=make_topic(), body="Buy now.")
    flag_post(make_member(), post, "spam")
    item = open_item(post)
    decide_on_page(browser(app, make_member(display_name="Mod Bo", role=Role.MODERATOR)), item, first, note=note)
    response = decide_on_page(browser(app, make_member(role=Role.MODERATOR)), item, "hide")
    assert told in page_text(response)


@pytest.mark.parametrize(("first", "note", "told"), ALREADY, ids=[a for a, *_ in ALREADY])
def test_already_decided_is_translated(app: Flask, first, note, told):
    """In the pseudo-locale the whole "already decided" sentence is marked, the status word with it."""
    post = make_post(topic=make_topic(), body="Buy now.")
    flag_post(make_member(), post, "spam")
    item = open_item(post)
    decide_on_page(browser(app, make_member(display_name="Mod Bo", role=Role.MODERATOR)), item, first, note=note)
    response = decide_on_page(browser(app, _pseudo_moderator()), item, "hide")
    flashes = " ".join(soup(response).select_one(".flashes").get_text(" ").split())
    assert f"⟦{told}⟧" in flashes


def test_item_closed_without_a_decider_says_so(app):
    """An item closed because its post was deleted tells a moderator there is nothing left to decide."""
    author = make_member(approved_posts=10)
    post = make_post(topic=make_topic(), author=author, body="Buy now.")
    flag_post(make_member(), post, "spam")
    item = open_item(post)
    delete_post(author, post)
    assert db.session.get(ReviewItem, item.id).status == ReviewStatus.DISMISSED
    response = decide_on_page(browser(app, make_member(role=Role.MODERATOR)), item, "hide")
    assert "Already closed: there is nothing left to decide." in page_text(response)


def _word(phrase: str):  # noqa: ANN202
    from app.models.moderation import WatchedWord

    return db.session.scalars(select(WatchedWord).where(WatchedWord.phrase == phrase)).one()


def test_watched_words_page_names_each_action(app: Flask):
    """The watched-words table says what each action does, in the form's own words, not the stored value."""
    moderator = make_member(role=Role.STAFF)
    for phrase, action in (("detox", "hold"), ("keto", "flag"), ("pills", "block")):
        add_watched_word(moderator, phrase, action)
    rows = soup(browser(app, moderator).get("/mod/watched-words")).select("tbody tr")
    shown = {tr.select("td")[0].get_text(): tr.select("td")[1].get_text() for tr in rows}
    assert shown == {
        "detox": "Hold for review",
        "keto": "Publish, and flag for review",
        "pills": "Block: refuse the post",
    }


@pytest.mark.parametrize("path", ["/mod/watched-words", "/mod/log"])
def test_watched_words_and_log_in_the_pseudo_locale_have_no_unmarked_text(app: Flask, path):
    """The watched words and the log of adding and removing them show no action word that skipped gettext."""
    moderator = make_member(display_name="Mod Ada", role=Role.STAFF)
    moderator.locale = PSEUDO
    db.session.commit()
    for phrase, action in (("detox", "hold"), ("keto", "flag"), ("pills", "block")):
        add_watched_word(moderator, phrase, action)
    remove_watched_word(moderator, _word("pills"))
    response = browser(app, moderator).get(path)
    assert response.status_code == 200
    machine_values = {"hold", "flag", "block"}  # stored as the action's value: the site's word, not a member's
    stored = [v for v in stored_strings() if v not in machine_values]
    assert untranslated(response.get_data(as_text=True), stored, date_words()) == []


def test_log_says_what_a_watched_word_does(app: Flask):
    """The log's details of a watched word name the phrase and what happens, in words."""
    moderator = make_member(role=Role.STAFF)
    add_watched_word(moderator, "detox", "hold")
    remove_watched_word(moderator, _word("detox"))
    text = page_text(browser(app, moderator).get("/mod/log"))
    assert "After: Phrase: detox What happens: Hold for review" in text
    assert "Before: Phrase: detox What happens: Hold for review" in text
