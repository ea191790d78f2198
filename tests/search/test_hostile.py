"""Hostile text in any search parameter (SECURITY.md #26): never a server error, nothing executable in the page."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import FormClient
from tests.factories import make_group, make_topic
from tests.support import read_corpus, soup

CORPORA = ("hostile-inputs.txt", "xss-payloads.txt")
PARAMETERS = ["q", "author", "from", "to", "group", "page", "topics"]


def _injected(response) -> bool:  # noqa: ANN001
    """Elements or event handlers in the page's main part that our templates never put there."""
    main = soup(response).main
    tags = main.select("script, iframe, img, svg, object, embed, style, math, base")
    return bool(tags) or any(a.startswith("on") for tag in main.find_all(True) for a in tag.attrs)


@pytest.fixture
def indexed(app: Flask) -> None:
    """Something to find, so hostile queries run against a real index."""
    make_topic(group=make_group(slug="diabetes"), title="Select your insulin", body="1 or 1=1, 'quoted' and \"double\"")


# The search words get both corpora; the filters, which are parsed rather than searched, the hostile inputs.
CASES = [("q", name) for name in CORPORA] + [(parameter, "hostile-inputs.txt") for parameter in PARAMETERS[1:]]


@pytest.mark.parametrize(("parameter", "name"), CASES)
def test_hostile_parameters_never_fail(client: FormClient, indexed: None, parameter: str, name: str) -> None:
    """Every corpus line in this parameter (beside an ordinary query) answers below 500 with no injected markup."""
    problems = []
    for line in read_corpus(name):
        params = {"q": "insulin", parameter: line}
        response = client.get("/search", query_string=params)
        page = response.get_data(as_text=True)
        if response.status_code >= 500:
            problems.append(f"{response.status_code} for {line!r}")
        elif "<script>alert" in page or _injected(response):
            problems.append(f"markup injected by {line!r}")
    assert problems == []


@pytest.mark.parametrize(
    "q",
    ['"', '""', '"*"', "*", "AND", "OR NOT", "NEAR(x y)", "title:x", "x:*", "!x & y | z", "'", "\\", "(", ")", "a-b",
     "^x", "{x}", "x+y", "\u0000x", "\ud7ff", "x" * 5000, "é" * 300, "🩺 💉", "‮evil‬", "x\u200by"],
)  # fmt: skip
def test_engine_syntax_is_inert(client: FormClient, indexed: None, q: str) -> None:
    """Characters that mean something to FTS5 or tsquery are only text: the page answers 200."""
    assert client.get("/search", query_string={"q": q}).status_code == 200
