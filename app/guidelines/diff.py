"""A line-by-line comparison of two guideline texts, as data: the template escapes and lays it out."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "removed", "added", or "gap" between distant changes
    old_number: int | None = None
    new_number: int | None = None
    text: str = ""


GAP = DiffLine("gap")


def diff_lines(old: str, new: str, context: int = 3) -> list[DiffLine]:
    """The changed lines of `new` against `old`, each with `context` unchanged lines around it."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[DiffLine] = []
    for n, group in enumerate(SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context)):
        if n:
            rows.append(GAP)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [
                    DiffLine("same", i + 1, j + 1, a[i]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                ]
                continue
            if tag in ("replace", "delete"):
                rows += [DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2)]
            if tag in ("replace", "insert"):
                rows += [DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2)]
    return rows
