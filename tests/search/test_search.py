"""The search page on a known small corpus: ranking, filters, phrases, prefixes, folding, snippets, pages and limits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from app.models import Member, Post
from tests.conftest import FormClient
from tests.factories import make_group, make_member, make_post, make_topic
from tests.support import found, found_ids, opening_post, search, soup


@pytest.fixture
def corpus(app: Flask, dated) -> dict[str, Post]:
    """Posts in two groups by two authors on known dates, named by what each is for."""
    ann, bob = make_member(display_name="Ann Oak"), make_member(display_name="Bob Reed")
    diabetes, heart = make_group(slug="diabetes", name="Diabetes"), make_group(slug="heart", name="Heart")
    breakfast = make_topic(
        group=diabetes, author=ann, title="Breakfast ideas", body="Porridge keeps my glucose steady."
    )
    posts = {
        "porridge topic": dated(opening_post(breakfast), "2026-01-10"),
        "porridge reply": dated(make_post(topic=breakfast, author=bob, body="Porridge with cinnamon."), "2026-02-10"),
        "porridge title": dated(
            opening_post(make_topic(group=heart, author=bob, title="Heart friendly porridge", body="Oats, mostly.")),
            "2026-03-10",
        ),
    }
    notes = make_topic(group=heart, author=bob, title="Notes", body="Side effects of metformin are mild for me.")
    posts["phrase"] = opening_post(notes)
    posts["reversed"] = make_post(topic=notes, author=ann, body="The effects on the left side of my leg.")
    posts["accents"] = make_post(topic=notes, author=ann, body="Le café crème était délicieux.")
    posts["capitals"] = make_post(topic=notes, author=ann, body="DIABETES CLINIC TODAY.")
    return posts


def ids(corpus: dict[str, Post], *names: str) -> set[int]:
    return {corpus[name].id for name in names}


FILTERS = [
    ({}, ["porridge topic", "porridge reply", "porridge title"]),
    ({"group": "diabetes"}, ["porridge topic", "porridge reply"]),
    ({"author": "Ann Oak"}, ["porridge topic"]),
    ({"author": "ANN OAK"}, ["porridge topic"]),
    ({"author": "Nobody Here"}, []),
    ({"from": "2026-02-01"}, ["porridge reply", "porridge title"]),
    ({"to": "2026-02-10"}, ["porridge topic", "porridge reply"]),
    ({"from": "2026-02-01", "to": "2026-02-28"}, ["porridge reply"]),
    ({"topics": "y"}, ["porridge topic", "porridge title"]),
    ({"group": "heart", "topics": "y"}, ["porridge title"]),
]


@pytest.mark.parametrize(("filters", "expected"), FILTERS, ids=[str(f) for f, _ in FILTERS])
def test_filters_narrow_the_results(client: FormClient, corpus: dict, filters: dict, expected: list) -> None:
    """Group, author (any case), date range (end day included) and "topics only" each narrow what is found."""
    assert found(client, "porridge", **filters) == ids(corpus, *expected)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ('"side effects"', ["phrase"]),
        ("side effects", ["phrase", "reversed"]),
        ('"effects side"', []),
        ("diab*", ["capitals"]),
        ("diab", ["capitals"]),
        ("diabetes", ["capitals"]),
        ("CAFE", ["accents"]),
        ("creme", ["accents"]),
        ("Délicieux", ["accents"]),
        ("DÉLICIEUX", ["accents"]),
        ("clinic", ["capitals"]),
        ("metformin side", ["phrase"]),
    ],
)
def test_phrases_prefixes_accents_and_case(client: FormClient, corpus: dict, q: str, expected: list) -> None:
    """Quoted words must be adjacent and in order; a trailing * or the last word is a prefix; case and accents fold."""
    assert found(client, q) == ids(corpus, *expected)


def test_title_match_ranks_first(client: FormClient, corpus: dict) -> None:
    """A topic whose title holds the word ranks above posts that only mention it."""
    group = make_group()
    make_post(topic=make_topic(group=group, body="Asked the nurse."), body="An insulin question for the nurse.")
    titled = make_topic(group=group, title="Insulin pens", body="Which do you use?")
    assert found_ids(search(client, "insulin"))[0] == opening_post(titled).id


def test_more_mentions_rank_higher(client: FormClient, corpus: dict) -> None:
    """Of two posts of similar length, the one that says the word more often ranks first."""
    topic = make_topic(title="Evenings", body="Nothing to see.")
    once = make_post(topic=topic, body="Dizzy once today, then fine, walked and rested.")
    thrice = make_post(topic=topic, body="Dizzy, dizzy and dizzy again, then I sat down.")
    assert found_ids(search(client, "dizzy"))[:2] == [thrice.id, once.id]


def test_snippet_marks_matches_and_escapes_html(client: FormClient) -> None:
    """Snippets are plain text with <mark> around matches: HTML a member typed shows as text, never as markup."""
    make_topic(title="Odd post", body="<script>alert(1)</script> <b>bold</b> porridge **strong**")
    page = soup(search(client, "porridge"))
    snippet = page.select_one(".snippet")
    assert [mark.get_text() for mark in snippet.select("mark")] == ["porridge"]
    assert snippet.select("script, b, strong") == []
    assert "<script>alert(1)</script>" in snippet.get_text()


def test_title_is_highlighted(client: FormClient, corpus: dict) -> None:
    """The result's title marks the matching words too."""
    title = soup(search(client, "friendly")).select_one(".search-result-title a")
    assert [mark.get_text() for mark in title.select("mark")] == ["friendly"]


def test_results_are_paginated(client: FormClient) -> None:
    """Twenty results a page, a link to the next page keeping the query and filters, and 404 past the end."""
    topic = make_topic(title="Counting", body="Nothing here.")
    for n in range(25):
        make_post(topic=topic, body=f"Walking log {n}")
    first, second = search(client, "walking", topics=""), search(client, "walking", page="2")
    assert (len(found_ids(first)), len(found_ids(second))) == (20, 5)
    assert soup(first).select_one("a[rel=next]")["href"] == "/search?page=2&q=walking"
    assert client.get("/search?q=walking&page=3").status_code == 404


@pytest.mark.parametrize("params", [{"from": "2026-02-30"}, {"from": "2026-03-01", "to": "2026-02-01"}, {"group": "x"}])
def test_bad_filters_are_explained(client: FormClient, corpus: dict, params: dict) -> None:
    """An impossible date, a reversed range or an unknown group is shown as a form error, not searched."""
    page = soup(search(client, "porridge", **params))
    assert page.select(".field-invalid") and page.select("li.search-result") == []


def test_empty_query_shows_help(client: FormClient, corpus: dict) -> None:
    """Without words the page explains how to search and lists nothing."""
    page = soup(search(client, "  "))
    assert page.select_one("p.help") is not None and page.select("li.search-result") == []


def test_header_has_a_search_box(client: FormClient) -> None:
    """Every page's header holds a GET search form, usable without JavaScript."""
    form = soup(client.get("/guidelines")).select_one("header form[role=search]")
    assert (form["method"], form["action"], form.select_one("input[name=q]")["type"]) == ("get", "/search", "search")


def test_search_page_is_not_indexed(client: FormClient, corpus: dict) -> None:
    """Search result pages tell search engines not to index them."""
    assert soup(search(client, "porridge")).select_one("meta[name=robots]")["content"] == "noindex"


@pytest.fixture(params=["visitor", "member"])
def reader(request: pytest.FixtureRequest, client: FormClient, login_as: Callable) -> Member | None:
    if request.param == "visitor":
        return None
    member = make_member()
    login_as(member)
    return member


def test_search_page_runs_fixed_statements(client: FormClient, count_queries: Callable, reader) -> None:  # noqa: ANN001
    """The search page runs the same few statements (at most 8) for 3 results as for 20 from many authors."""
    counts = []
    for word, size in (("apples", 3), ("pears", 30)):
        group = make_group()
        for _ in range(size):
            make_topic(group=group, body=f"{word} every day")
        client.get("/guidelines")  # warm up: signing in and first-request work stay out of the count
        with client.application.app_context(), count_queries() as counter:
            response = client.get(f"/search?q={word}")
        assert len(found_ids(response)) == min(size, 20)
        counts.append(len(counter))
    assert counts[0] == counts[1] <= 8
