"""The bookmark's note and reminder."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, TextAreaField
from wtforms.validators import Optional

from app.models.bookmarks import NOTE_MAX
from app.web.forms import PageForm

# A browser without a date-time picker shows a text box: a space between date and time is accepted too.
REMINDER_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class BookmarkForm(PageForm):
    note = TextAreaField(
        _l("Private note"),
        description=_l("Only you can see this note (at most %(limit)d characters).", limit=NOTE_MAX),
        render_kw={"maxlength": NOTE_MAX},
    )
    remind_at = DateTimeLocalField(
        _l("Remind me on"), format=REMINDER_FORMATS, validators=[Optional()],
        render_kw={"step": 60},
    )  # fmt: skip
