from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Field, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2
from wtforms.validators import Optional
from wtforms.widgets import DateTimeLocalInput

from app.models.events import EVENT_KIND_LABELS
from app.models.resources import RESOURCE_KIND_LABELS
from app.services.common.cleaning import BODY_MAX, TITLE_MAX
from app.services.content import announcements
from app.services.content.resources import DESCRIPTION_MAX, URL_MAX
from app.services.sharing.reposts import CHANNEL_MAX
from app.web.forms import OnceForm, PageForm
from app.web.pictures import PictureFields

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


class ResourceForm(PictureFields, PageForm):
    # The limits the library service checks, given to the browser too (maxlength and the live count).
    title = StringField(_l("Title"), render_kw={"maxlength": TITLE_MAX})
    description = TextAreaField(_l("Short description (optional)"), render_kw={"maxlength": DESCRIPTION_MAX})
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(k.value, label) for k, label in RESOURCE_KIND_LABELS.items()],
        validate_choice=False,
    )
    url = StringField(
        _l("Web address (http:// or https://)"),
        description=_l("Leave empty to write a page here instead."),
        render_kw={"maxlength": URL_MAX},
    )
    body = TextAreaField(_l("Or: the page text (Markdown)"), render_kw={"maxlength": BODY_MAX})
    groups = SelectMultipleField(
        _l("Groups (none selected: the general library only)"), coerce=int, validate_choice=False
    )


class AnnouncementTextsForm(PictureFields, PageForm):
    """The original text and its pictures; `with_languages` adds a box per other language the community offers."""

    body = TextAreaField(
        _l("Announcement (Markdown, shown at the top of every page)"), render_kw={"maxlength": announcements.BODY_MAX}
    )
    languages: tuple[tuple[str, str], ...] = ()

    def language_fields(self) -> list[tuple[str, Field]]:
        """(language code, its text box), in the order the community lists its languages."""
        return [(code, self[f"text_{code}"]) for code, _name in self.languages]

    def translations(self) -> dict[str, str]:
        return {code: field.data or "" for code, field in self.language_fields()}


class AnnouncementForm(AnnouncementTextsForm):
    ends_on = DateField(_l("Show until the end of (optional, UTC)"), validators=[Optional()])


@cache
def with_languages(form: type[AnnouncementTextsForm], languages: tuple[tuple[str, str], ...]) -> type:
    """`form` with an optional text box for each of `languages` ((code, name in itself)): readers of a language
    without a text get the original."""
    fields: dict[str, object] = {"languages": languages}
    for code, name in languages:  # the view names each language in the page's language
        label = _l("Text in %(language)s (optional)", language=name)
        fields[f"text_{code}"] = TextAreaField(label, render_kw={"maxlength": announcements.BODY_MAX})
    return type(f"{form.__name__}In{len(languages)}Languages", (form,), fields)


class EventForm(OnceForm):
    """Plain text fields: the events service parses times in the chosen zone and explains every refusal."""

    title = StringField(_l("Title"), render_kw={"maxlength": TITLE_MAX})
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(k.value, label) for k, label in EVENT_KIND_LABELS.items()],
        validate_choice=False,
    )
    host = StringField(
        _l("Host"), description=_l("Name and role, e.g. “Dr. Lee, cardiac rehab nurse”."), render_kw={"maxlength": 200}
    )
    description = TextAreaField(_l("Description (Markdown)"), render_kw={"maxlength": BODY_MAX})
    starts_at = StringField(_l("Starts"), widget=DateTimeLocalInput(), render_kw={"step": 60})
    ends_at = StringField(_l("Ends"), widget=DateTimeLocalInput(), render_kw={"step": 60})
    timezone = SelectField(
        _l("Time zone"), description=_l("The start and end are times in this zone."), validate_choice=False
    )
    location = StringField(_l("Place (optional)"), render_kw={"maxlength": 300})
    online_url = StringField(
        _l("Online link (optional, http:// or https://)"),
        description=_l("Shown to members who are going, from an hour before the start."),
        render_kw={"maxlength": 500},
    )
    capacity = StringField(
        _l("Places (optional)"),
        description=_l("Leave empty for no limit. When full, members join a waiting list."),
        render_kw={"inputmode": "numeric"},
    )
    group = SelectField(
        _l("Group (optional)"),
        description=_l("A members-only group's events are shown to its members only."),
        validate_choice=False,
    )
    questions = BooleanField(_l("Collect questions in advance"))


class NudgeSwitchesForm(PageForm):
    """The built-in nudge detectors, each on or off (settings nudge_<kind>)."""

    nudge_phone = BooleanField(_l("Phone numbers"))
    nudge_email = BooleanField(_l("E-mail addresses"))
    nudge_address = BooleanField(_l("Postal addresses"))
    nudge_birth_date = BooleanField(_l("Dates of birth"))
    nudge_health_number = BooleanField(_l("Medical record and health-service numbers (NHS numbers, MRNs)"))
    nudge_advice = BooleanField(_l("Advice about doses or stopping treatment"))


class NudgePhraseForm(PageForm):
    phrase = StringField(
        _l("Word or phrase"),
        description=_l("Whole words, any case. * alone stands for any one word; * inside a word for any letters."),
        render_kw={"maxlength": 100},
    )
    kind = SelectField(
        _l("Nudge"),
        choices=[
            SelectChoice("advice", _l("Medical advice")),
            SelectChoice("personal", _l("Personal information")),
        ],
        validate_choice=False,  # checked by the service with the phrase, so both problems show at once
    )


class RepostForm(PageForm):
    channel = StringField(
        _l("Where you are reposting it"),
        description=_l("For example “Facebook page” or “partner newsletter”. Kept in the audit log."),
        render_kw={"maxlength": CHANNEL_MAX},
    )
