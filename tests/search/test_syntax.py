"""The search box's text becomes quoted terms for each engine: phrases, prefixes, limits, and nothing executable."""

from __future__ import annotations

import pytest

from app.search.engines import fts5_query, tsquery
from app.search.syntax import MAX_QUERY, MAX_TERMS, Term, parse


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("blood sugar", [Term(("blood",)), Term(("sugar",), prefix=True)]),
        ('"side effects"', [Term(("side", "effects"))]),
        ("“side effects”", [Term(("side", "effects"))]),
        ("diab*", [Term(("diab",), prefix=True)]),
        ("d* sugar ", [Term(("d",)), Term(("sugar",), prefix=True)]),
        ("tea is ok", [Term(("tea",)), Term(("is",)), Term(("ok",))]),
        ('"unclosed phrase', [Term(("unclosed",)), Term(("phrase",), prefix=True)]),
        ("a OR b NOT c", [Term(("a",)), Term(("OR",)), Term(("b",)), Term(("NOT",)), Term(("c",))]),
        ("x' or '1'='1", [Term(("x",)), Term(("or",)), Term(("1",))]),
        ("café\u200bcrème", [Term(("café",)), Term(("crème",), prefix=True)]),
        ("NEAR(a b) c:d ^e", [Term(("NEAR",)), Term(("a",)), Term(("b",)), Term(("c",)), Term(("d",)), Term(("e",))]),
    ],
)  # fmt: skip
def test_typed_text_becomes_terms(typed: str, terms: list[Term]) -> None:
    """Words, phrases in quotes and prefixes are recognised; operators and punctuation are plain words or gaps."""
    assert list(parse(typed).terms) == terms


@pytest.mark.parametrize("typed", ["", "   ", "***", '""', "\x00", "¿¡!?", "\u202e\u200b"])
def test_text_without_words_is_no_query(typed: str) -> None:
    """Nothing to look for: the page shows its help instead of searching."""
    assert not parse(typed)


def test_long_text_is_cut_and_said_so() -> None:
    """Only the first MAX_QUERY characters count, and the page can say it shortened the search."""
    query = parse("word " * 100)
    assert query.truncated
    assert parse("a" * MAX_QUERY).truncated is False


def test_terms_are_capped() -> None:
    """At most MAX_TERMS distinct terms reach the database."""
    query = parse(" ".join(f"w{n}" for n in range(30)))
    assert len(query.terms) == MAX_TERMS
    assert query.truncated


@pytest.mark.parametrize(
    ("typed", "fts5", "postgres"),
    [
        ("blood sugar", '"blood" AND "sugar" *', "'blood' & 'sugar':*"),
        ('"side effects" ok', '"side effects" AND "ok"', "('side' <-> 'effects') & 'ok'"),
        ('"side eff*"', '"side eff"', "('side' <-> 'eff')"),
        ("it's", '"it" AND "s"', "'it' & 's'"),
    ],
)
def test_terms_are_quoted_for_each_engine(typed: str, fts5: str, postgres: str) -> None:
    """Each term goes to the engine as a quoted literal, so FTS5 and tsquery operators are never interpreted."""
    query = parse(typed)
    assert (fts5_query(query), tsquery(query)) == (fts5, postgres)
