"""GitHub-style tables and strikethrough, and headings that never outrank the page's own title."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from app.text.rendering import cook, sanitize_html
from tests.support import read_corpus
from tests.web.test_rendering_properties import problems

TABLE = "| Drug | Dose | Notes |\n|:--|:-:|--:|\n| A | 5 mg | ~~old~~ |\n"


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_a_table_sits_in_a_focusable_scrolling_box():
    """A table is wrapped in a box that scrolls at narrow widths and a keyboard can reach."""
    box = soup(cook(TABLE)).select_one("div.table-scroll")
    assert box is not None and box["tabindex"] == "0" and box.find("table") is not None


def test_table_header_cells_name_their_columns():
    """Header cells are column headers for screen readers."""
    headers = soup(cook(TABLE)).select("thead th")
    assert [(th.get_text(), th["scope"]) for th in headers] == [("Drug", "col"), ("Dose", "col"), ("Notes", "col")]


def test_column_alignment_becomes_a_class_not_a_style():
    """Alignment survives as a class of its own; no style attribute reaches the page."""
    cells = soup(cook(TABLE)).select("tbody td")
    assert [cell.get("class") for cell in cells] == [["align-left"], ["align-center"], ["align-right"]]
    assert "style" not in cook(TABLE)


def test_strikethrough_inside_a_table_cell():
    """`~~text~~` is struck through, in a table too."""
    assert soup(cook(TABLE)).select_one("tbody td s").get_text() == "old"


@pytest.mark.parametrize(
    ("markdown", "tags"),
    [
        ("# One", ["h2"]),
        ("### Three", ["h2"]),
        ("Setext\n===\n\nUnder\n---", ["h2", "h3"]),
        ("# One\n## Two\n### Three", ["h2", "h3", "h4"]),
        ("## Two\n#### Four\n### Three", ["h2", "h4", "h3"]),
        ("> ## Quoted\n\n# Top", ["h3", "h2"]),
        ("# One\n###### Six", ["h2", "h6"]),
    ],
)
def test_a_texts_highest_heading_is_an_h2_below_the_page_title(markdown, tags):
    """A text's headings never outrank the page's h1 nor skip below it: the highest is h2, the rest follow, to h6."""
    headings = soup(cook(markdown)).find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    assert [h.name for h in headings] == tags


def test_sanitizer_drops_an_h1_written_as_html():
    """Even HTML that reaches the sanitiser cannot put a second h1 on the page."""
    assert sanitize_html("<h1>Big</h1>") == "Big"


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ('<td style="color:red" class="align-left">x</td>', '<td class="align-left">x</td>'),
        ('<td class="evil" onclick="x()">x</td>', "<td>x</td>"),
        ('<div class="table-scroll" tabindex="-1">x</div>', '<div class="table-scroll">x</div>'),
        ('<div class="video-card" tabindex="0">x</div>', '<div tabindex="0">x</div>'),
        ('<th scope="col" style="x" colspan="9">x</th>', '<th scope="col">x</th>'),
    ],
)
def test_sanitizer_keeps_only_the_table_attributes_it_needs(html, kept):
    """Table elements keep only alignment classes, header scope and the scroll box's own markers."""
    row = "<table><tbody><tr>{}</tr></tbody></table>"
    wrapped = row.format if html.startswith("<t") else str
    assert sanitize_html(wrapped(html)) == wrapped(kept)


@pytest.mark.parametrize("payload", read_corpus("xss-payloads.txt") + read_corpus("hostile-inputs.txt"))
def test_hostile_input_in_a_table_cell_stays_harmless(payload):
    """Every shared hostile input, put in a table's header and body, cooks to allowed, well-formed HTML."""
    cell = payload.replace("|", "\\|").replace("\n", " ")
    assert problems(cook(f"| {cell} | h |\n|---|:-:|\n| {cell} | ~~{cell}~~ |\n")) == []
