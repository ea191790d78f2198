from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2
from wtforms.validators import Optional

from app.models.resources import RESOURCE_KIND_LABELS

# Plain fields: the services check emptiness, lengths and addresses and explain what to change.


class UnansweredSettingForm(FlaskForm):
    hours = StringField("A topic counts as unanswered after this many hours")


class PinForm(FlaskForm):
    scope = SelectField(
        "Pin",
        choices=[SelectChoice("group", "First in its group"), SelectChoice("site", "Site-wide, also on the home page")],
    )


class ResourceForm(FlaskForm):
    title = StringField("Title")
    description = TextAreaField("Short description (optional)")
    kind = SelectField(
        "Kind",
        choices=[SelectChoice("", "Choose…")]
        + [SelectChoice(k.value, label) for k, label in RESOURCE_KIND_LABELS.items()],
        validate_choice=False,
    )
    url = StringField("Web address (http:// or https://)", description="Leave empty to write a page here instead.")
    body = TextAreaField("Or: the page text (Markdown)")
    groups = SelectMultipleField("Groups (none selected: the general library only)", coerce=int, validate_choice=False)


class AnnouncementForm(FlaskForm):
    body = TextAreaField("Announcement (Markdown, shown at the top of every page)")
    ends_on = DateField("Show until the end of (optional, UTC)", validators=[Optional()])
