"""The benchmark's figures as a Markdown section per database, with the issue's targets checked."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from bench.languages import MAX_FACTOR, LanguageCost
from bench.load import Load

MIN_RATIO = 0.5
DEEP_FACTOR = 1.25
MAX_STATEMENTS = 8
MAX_RSS_MB = 150
MAX_REPLY_P99_MS = 100


TABLE_HEADER = "| page | reader | req/s | p50 ms | p99 ms | SQL/request | render ms | bytes | reference req/s | ratio |"
MEMBER, MEMBER_FIRST_VIEW = "member", "member, first view"
CACHE_NOTE = (
    "Readers: *visitor* and *member* load each page over and over, as the benchmark's targets are set: visitors are "
    "served the page all visitors share, the member their own copy of it, both rendered again after any write "
    "(app/web/page_cache.py). *member, first view* sends `Cache-Control: no-cache`, as a browser's hard reload does, "
    "so every request renders the page: what a member's first view of a page costs. It is shown for information "
    "and is not one of the targets' readers. SQL/request and render ms: one request in-process through the test client "
    "with the page cache off."
)

LANGUAGE_HEADER = "| page | language | English CPU ms | translated CPU ms | ratio |"
LANGUAGE_NOTE = (
    "Languages: the signed-in member's render cost in-process (page cache off), English and each language loaded in "
    "turn request by request; the ratio is the median of the pair-by-pair ratios (bench/languages.py)."
)


@dataclass
class Row:
    page: str
    role: str
    load: Load
    statements: int
    size: int
    reference: Load
    render_ms: float  # in-process, page cache off

    @property
    def ratio(self) -> float:
        return self.load.rps / self.reference.rps if self.reference.rps else 0.0

    def markdown(self) -> str:
        load = self.load
        return (
            f"| {self.page} | {self.role} | {load.rps:.0f} | {load.p50:.1f} | {load.p99:.1f} | {self.statements} | "
            f"{self.render_ms:.1f} | {self.size:,} | {self.reference.rps:.0f} | {self.ratio:.0%} |"
        )


@dataclass
class Section:
    """Everything measured on one database."""

    title: str
    context: list[str]
    rows: list[Row] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    reply_ms: list[float] = field(default_factory=list)
    reply_failures: int = 0
    reply_reads: Load | None = None
    languages: list[LanguageCost] = field(default_factory=list)

    def reply_p99(self) -> float:
        if len(self.reply_ms) < 2:
            return max(self.reply_ms, default=0.0)
        return statistics.quantiles(self.reply_ms, n=100)[98]

    def checks(self) -> list[tuple[bool, str]]:
        """Each page-speed target with the figure that meets or misses it."""
        worst = min((r for r in self.rows if r.role != MEMBER_FIRST_VIEW), key=lambda r: r.ratio)
        checks = [(worst.ratio >= MIN_RATIO, f"every page ≥ {MIN_RATIO:.0%} of the reference's requests/s "
                                             f"(lowest: {worst.page}, {worst.role}, {worst.ratio:.0%})")]  # fmt: skip
        for role in ("visitor", MEMBER, MEMBER_FIRST_VIEW):
            by_page = [r for r in self.rows if r.role == role]
            for deep, first in ((2, 1), (4, 3)):
                a, b = by_page[deep], by_page[first]
                factor = a.load.p50 / b.load.p50 if b.load.p50 else 0
                checks.append((factor <= DEEP_FACTOR, f"{a.page} within {DEEP_FACTOR}× of {b.page} p50 latency "
                                                      f"({role}: {factor:.2f}×)"))  # fmt: skip
        most = max(r.statements for r in self.rows)
        checks.append((most <= MAX_STATEMENTS, f"≤ {MAX_STATEMENTS} SQL statements per page (most: {most})"))
        top = max(self.rss_mb, default=0)
        checks.append(
            (0 < top < MAX_RSS_MB, f"workers < {MAX_RSS_MB} MB resident after the run (largest: {top:.0f} MB)")
        )
        p99 = self.reply_p99()
        checks.append((0 < p99 < MAX_REPLY_P99_MS and not self.reply_failures,
                       f"replies under read load < {MAX_REPLY_P99_MS} ms p99 ({p99:.0f} ms over {len(self.reply_ms)} "
                       f"replies, {self.reply_failures} failed)"))  # fmt: skip
        if self.languages:
            dearest = max(self.languages, key=lambda cost: cost.ratio)
            text = (f"translated pages within {MAX_FACTOR - 1:.0%} of English's render cost "
                    f"(dearest: {dearest.page} in {dearest.language}, {dearest.ratio:.3f}×)")  # fmt: skip
            checks.append((dearest.ratio <= MAX_FACTOR, text))
        errors = sum(r.load.errors + r.reference.errors for r in self.rows)
        checks.append((errors == 0, f"no failed responses under load ({errors})"))
        return checks

    def _replies(self) -> str:
        reads = self.reply_reads
        return (
            f"Replies posted every 0.2 s while 4 connections read topic page 1 as visitors: p99 {self.reply_p99():.0f} "
            f"ms, median {statistics.median(self.reply_ms or [0]):.0f} ms over {len(self.reply_ms)} replies; reads "
            f"meanwhile {reads.rps:.0f} req/s, p99 {reads.p99:.0f} ms."
        )

    def markdown(self) -> str:
        lines = [f"## {self.title}", "", *(f"- {line}" for line in self.context), ""]
        lines += [TABLE_HEADER, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        lines += [r.markdown() for r in self.rows]
        lines += ["", CACHE_NOTE, ""]
        lines += [f"Worker RSS after the run: {', '.join(f'{mb:.0f} MB' for mb in self.rss_mb)}.", ""]
        if self.reply_reads:
            lines += [self._replies(), ""]
        if self.languages:
            lines += [LANGUAGE_NOTE, "", LANGUAGE_HEADER, "|---|---|---:|---:|---:|"]
            lines += [cost.markdown() for cost in self.languages] + [""]
        lines += ["Targets:", ""]
        lines += [f"- [{'x' if ok else ' '}] {text}" for ok, text in self.checks()]
        first_views = sorted((r for r in self.rows if r.role == MEMBER_FIRST_VIEW), key=lambda r: r.ratio)
        if first_views:
            lowest, highest = first_views[0], first_views[-1]
            lines += [
                "",
                f"For information, {MEMBER_FIRST_VIEW} (rendered on every request): {lowest.ratio:.0%} "
                f"({lowest.page}) to {highest.ratio:.0%} ({highest.page}) of the reference's requests/s.",
            ]
        return "\n".join(lines) + "\n"


HEADER = """# Kindred benchmark results

Written by `make bench` (bench/run.py). Each database has its own section, replaced when that database is measured
again. Ratios compare Kindred with the reference (a bare Flask app rendering a Jinja page of the same size from
memory) measured in the same run under the same gunicorn settings: absolute figures depend on the machine and on
whatever else it was doing (see the load average), ratios much less.
"""


def write(path: Path, section: Section) -> None:
    """Replace this database's section of the results file, keeping the other databases' sections."""
    sections = {}
    if path.exists():
        for chunk in re.split(r"^(?=## )", path.read_text(), flags=re.M)[1:]:
            sections[chunk.splitlines()[0][3:]] = chunk.rstrip() + "\n"
    sections[section.title] = section.markdown()
    path.write_text(HEADER + "".join(f"\n{text}" for _, text in sorted(sections.items())))
