"""The search form: read from the query string (a GET form), so it carries no CSRF token and works without JS."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Form, SearchField, SelectField, StringField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2
from wtforms.validators import Optional, ValidationError

from app.search.syntax import MAX_QUERY
from app.services.members.identity import DISPLAY_NAME_MAX, display_name_key


def _printable(value: str | None) -> str | None:
    """Control and format characters (NUL included) are dropped: they can't be in a name or a word."""
    if value is None:
        return None
    return "".join(c for c in value if not unicodedata.category(c).startswith("C")).strip()


class SearchForm(Form):
    q = SearchField(_l("Search for"), render_kw={"maxlength": MAX_QUERY})
    group = SelectField(_l("Group"), choices=[SelectChoice("", _l("All groups"))], default="")
    author = StringField(_l("Author"), filters=[_printable], render_kw={"maxlength": DISPLAY_NAME_MAX})
    date_from = DateField(_l("From"), name="from", validators=[Optional()])
    date_to = DateField(_l("To"), name="to", validators=[Optional()])
    topics = BooleanField(_l("Topics only"))

    def validate_date_to(self, field: DateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end date is before the start date."))

    def author_key(self) -> str | None:
        """The comparison key of the author's name, or None for any author."""
        name = (self.author.data or "")[: DISPLAY_NAME_MAX * 4]
        return display_name_key(name) if name else None

    def since(self) -> datetime | None:
        """The start of the first day, in UTC."""
        return _start_of(self.date_from.data)

    def until(self) -> datetime | None:
        """The start of the day after the last day (exclusive), in UTC; None past the calendar's end."""
        if self.date_to.data is None:
            return None
        try:
            return _start_of(self.date_to.data + timedelta(days=1))
        except OverflowError:
            return None

    def has_filters(self) -> bool:
        return any((self.group.data, self.author.data, self.date_from.data, self.date_to.data, self.topics.data))


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day is not None else None
