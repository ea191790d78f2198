"""The one spelling fold of search, applied alike to what is indexed and to what is searched.

Both engines already fold case and Latin accents on their own (SQLite's unicode61 tokenizer, PostgreSQL's unaccent
dictionary). This fold does what neither does, before their tokenizers see the text:

- Arabic, which may be written with or without its short-vowel marks (harakat), the superscript alef and the
  tatweel (a stretching stroke), and whose alef with hamza or wasla, alef maqsura and taa marbuta are often typed
  as the plain letter. The marks are dropped, since tokenizers cut words at them, and the variants become one letter.
- The ligatures of French and German (œ, æ, ß), which SQLite keeps whole: "coeur" finds "cœur", "strasse" "Straße".

The same table is used in Python (the query, and SQLite's index through an application function registered on every
connection) and written out as SQL for PostgreSQL's index and query (see app.services.search.index).
"""

from __future__ import annotations

SQL_NAME = "kindred_fold"

ARABIC_MARKS = "".join(chr(code) for code in range(0x064B, 0x0660)) + "\u0670"  # fathatan .. wavy hamza, and ٰ
TATWEEL = "\u0640"
FOLDS: dict[str, str] = {
    **dict.fromkeys(ARABIC_MARKS + TATWEEL, ""),
    "\u0623": "\u0627",  # أ alef with hamza above -> ا
    "\u0625": "\u0627",  # إ alef with hamza below -> ا
    "\u0622": "\u0627",  # آ alef with madda -> ا
    "\u0671": "\u0627",  # ٱ alef wasla -> ا
    "\u0649": "\u064a",  # ى alef maqsura -> ي
    "\u0629": "\u0647",  # ة taa marbuta -> ه
    "œ": "oe",
    "Œ": "OE",
    "æ": "ae",
    "Æ": "AE",
    "ß": "ss",
    "ẞ": "SS",
}
_TABLE = str.maketrans(FOLDS)


def kindred_fold(text: str) -> str:
    """The text as search indexes it and looks it up."""
    return text if text.isascii() else text.translate(_TABLE)


SQLiteValue = str | bytes | int | float | None


def sql_fold(value: SQLiteValue) -> SQLiteValue:
    """kindred_fold() as an SQLite function: SQLite may pass NULL, a number or a blob too, which stay as they are."""
    return kindred_fold(value) if isinstance(value, str) else value
