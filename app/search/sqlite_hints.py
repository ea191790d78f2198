"""Table hints on SQLite (`posts INDEXED BY ix_...`), which SQLAlchemy's SQLite compiler leaves out.

`select(...).with_hint(Post, "INDEXED BY ix_name", dialect_name="sqlite")` is how a query asks; SQLAlchemy renders
hints only for the databases that have their own syntax registered, SQLite not among them. Only hints given for
"sqlite" reach this rule, so other databases and every query without a hint are unaffected.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler


@compiles(Table, "sqlite")
def _table_with_hint(element: Table, compiler: SQLCompiler, **kw: Any) -> str:
    """The table as SQLAlchemy writes it, followed by this query's hint for it, if any."""
    text = compiler.visit_table(element, **kw)
    hints = kw.get("fromhints")
    if kw.get("asfrom") and hints and element in hints:
        text += " " + hints[element]
    return text
