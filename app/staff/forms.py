from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2
from wtforms.validators import Optional

from app.models.resources import RESOURCE_KIND_LABELS
from app.web.forms import PageForm

# Plain fields: the services check emptiness, lengths and addresses and explain what to change.


class UnansweredSettingForm(PageForm):
    hours = StringField(_l("A topic counts as unanswered after this many hours"))


class PinForm(PageForm):
    scope = SelectField(
        _l("Pin"),
        choices=[
            SelectChoice("group", _l("First in its group")),
            SelectChoice("site", _l("Site-wide, also on the home page")),
        ],
    )


class ResourceForm(PageForm):
    title = StringField(_l("Title"))
    description = TextAreaField(_l("Short description (optional)"))
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(k.value, label) for k, label in RESOURCE_KIND_LABELS.items()],
        validate_choice=False,
    )
    url = StringField(
        _l("Web address (http:// or https://)"), description=_l("Leave empty to write a page here instead.")
    )
    body = TextAreaField(_l("Or: the page text (Markdown)"))
    groups = SelectMultipleField(
        _l("Groups (none selected: the general library only)"), coerce=int, validate_choice=False
    )


class AnnouncementForm(PageForm):
    body = TextAreaField(_l("Announcement (Markdown, shown at the top of every page)"))
    ends_on = DateField(_l("Show until the end of (optional, UTC)"), validators=[Optional()])
