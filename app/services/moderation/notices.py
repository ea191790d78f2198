"""What an author is told about a moderator's decision: whole sentences, written in the author's language.

A moderator's reason is their own words, put into the sentence as typed. Whether it already ends a sentence
decides which sentence is used, so "Duplicate reply" gets its full stop and "Duplicate reply." does not get two.
The guideline a moderator chose is stored in English (the log is shared), and named to the author in theirs.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# (stored value, label): the value goes into the decision's note in English, the label is what people read.
GUIDELINES = [
    ("", _l("Choose the guideline it breaks")),
    ("Be kind and respectful", _l("Be kind and respectful")),
    ("Share experience, not medical advice", _l("Share experience, not medical advice")),
    ("Protect your privacy and others'", _l("Protect your privacy and others'")),
    ("No selling or promotion", _l("No selling or promotion")),
    ("Off-topic for this group", _l("Off-topic for this group")),
]
GUIDELINE_LABELS = dict(GUIDELINES[1:])
# What ends a sentence in the languages members write in; closing quotes and brackets may follow it.
_ENDS = frozenset(".!?…。！？؟۔।॥‼⁇⁈⁉")
_CLOSERS = "\"'”’»›)]}」』）"


def ends_sentence(text: str) -> bool:
    """Whether the moderator's words already end with a full stop, or a question or exclamation mark."""
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in _ENDS


def guideline_label(value: str) -> LazyString | str:
    """The chosen guideline in the reader's language (a value the list does not know reads as stored)."""
    return GUIDELINE_LABELS.get(value, value)


def stored_note(guideline: str, note: str) -> str:
    """The decision's note as the log keeps it: the guideline's English value, then the moderator's words."""
    guideline, note = guideline.strip(), note.strip()
    return f"{guideline}: {note}" if guideline and note else guideline or note


def rejected_notice(guideline: str, note: str) -> LazyString:
    """The author's notice of a rejected post: why, and that they may edit it and send it again."""
    guideline, note = guideline.strip(), note.strip()
    if guideline and not note:
        return _l(
            "A moderator did not publish your post because it goes against the guideline “%(guideline)s”. "
            "You may edit it and send it for review once more.",
            guideline=guideline_label(guideline),
        )
    if guideline and ends_sentence(note):
        return _l(
            "A moderator did not publish your post because it goes against the guideline “%(guideline)s”: "
            "%(note)s You may edit it and send it for review once more.",
            guideline=guideline_label(guideline),
            note=note,
        )
    if guideline:
        return _l(
            "A moderator did not publish your post because it goes against the guideline “%(guideline)s”: "
            "%(note)s. You may edit it and send it for review once more.",
            guideline=guideline_label(guideline),
            note=note,
        )
    if ends_sentence(note):
        return _l(
            "A moderator did not publish your post: %(note)s You may edit it and send it for review once more.",
            note=note,
        )
    return _l(
        "A moderator did not publish your post: %(note)s. You may edit it and send it for review once more.", note=note
    )


def hidden_notice(guideline: str, reason: str) -> LazyString:
    """The author's notice of a hidden post, with the guideline and the reason when the moderator gave them."""
    guideline, reason = guideline.strip(), reason.strip()
    if guideline and not reason:
        return _l(
            "A moderator hid your post because it goes against the guideline “%(guideline)s”.",
            guideline=guideline_label(guideline),
        )
    if guideline and ends_sentence(reason):
        return _l(
            "A moderator hid your post because it goes against the guideline “%(guideline)s”: %(reason)s",
            guideline=guideline_label(guideline),
            reason=reason,
        )
    if guideline:
        return _l(
            "A moderator hid your post because it goes against the guideline “%(guideline)s”: %(reason)s.",
            guideline=guideline_label(guideline),
            reason=reason,
        )
    if not reason:
        return _l("A moderator hid your post.")
    if ends_sentence(reason):
        return _l("A moderator hid your post: %(reason)s", reason=reason)
    return _l("A moderator hid your post: %(reason)s.", reason=reason)
