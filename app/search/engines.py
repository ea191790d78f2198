"""Each database's own full-text engine behind one small interface: match, rank, and the query text itself.

The query text is always built here from parsed terms, each term quoted, and sent as a bound parameter. The terms
come already folded (app.search.syntax.parse); PostgreSQL folds the query text again with the SQL function its
documents were folded with, which changes nothing but keeps query and documents on one definition there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, ColumnClause, Select, bindparam, column, func, literal_column, select, table

from app.search.syntax import ParsedQuery, Term
from app.services.search.index import FTS_TABLE, PG_CONFIG, PG_TABLE
from app.text.folding import SQL_NAME

TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0  # SQLite bm25 column weights; PostgreSQL uses setweight A/B instead


def _fts5_term(term: Term) -> str:
    """FTS5 syntax for one term: a double-quoted string is always a literal, never an operator."""
    quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
    return f"{quoted} *" if term.prefix else quoted


def fts5_query(query: ParsedQuery) -> str:
    """An FTS5 MATCH expression in which every term must appear."""
    return " AND ".join(_fts5_term(term) for term in query.terms)


def _tsquery_word(word: str, prefix: bool = False) -> str:
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{quoted}:*" if prefix else quoted


def tsquery(query: ParsedQuery) -> str:
    """A to_tsquery() expression: terms joined by &, phrases by <-> (followed by)."""
    parts = []
    for term in query.terms:
        words = [_tsquery_word(word) for word in term.words]
        if term.prefix:
            words[-1] = _tsquery_word(term.words[-1], prefix=True)
        parts.append("(" + " <-> ".join(words) + ")" if term.is_phrase else words[0])
    return " & ".join(parts)


def _materialized(hits: Select) -> CTE:
    """Matches and ranks, computed once in the index scan; only these two narrow columns go on to the join and the
    sort (PostgreSQL would otherwise sort whole tsvectors, and SQLite cannot call bm25() outside the scan)."""
    return hits.cte("hits").prefix_with("MATERIALIZED")


def _sqlite(query: ParsedQuery) -> CTE:
    fts = table(FTS_TABLE, column("rowid"))
    hidden: ColumnClause[Any] = literal_column(FTS_TABLE)  # FTS5's hidden column named after the table
    # bm25() is negative, more relevant is smaller. It must run in the FTS scan itself, hence the subquery.
    rank = func.bm25(hidden, TITLE_WEIGHT, BODY_WEIGHT)
    match = hidden.op("MATCH")(bindparam("search_query", fts5_query(query)))
    return _materialized(select(fts.c.rowid.label("post_id"), rank.label("rank")).where(match))


def _postgresql(query: ParsedQuery) -> CTE:
    documents = table(PG_TABLE, column("post_id"), column("document"))
    folded = getattr(func, SQL_NAME)(bindparam("search_query", tsquery(query)))
    ts_query = func.to_tsquery(literal_column(f"'{PG_CONFIG}'"), folded)
    rank = -func.ts_rank(documents.c.document, ts_query)
    match = documents.c.document.op("@@")(ts_query)
    return _materialized(select(documents.c.post_id, rank.label("rank")).where(match))


ENGINES = {"sqlite": _sqlite, "postgresql": _postgresql}


def matching_posts(dialect: str, query: ParsedQuery) -> CTE:
    """(post_id, rank) of every indexed post matching the query, rank ascending from the most relevant.
    Visibility is not the index's business: the caller joins to posts and topics and filters."""
    return ENGINES[dialect](query)
