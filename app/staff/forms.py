from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2
from wtforms.validators import Optional

from app.models.resources import RESOURCE_KIND_LABELS
from app.services.common.cleaning import BODY_MAX, TITLE_MAX
from app.services.content import announcements
from app.services.content.resources import DESCRIPTION_MAX, URL_MAX
from app.services.sharing.reposts import CHANNEL_MAX
from app.web.forms import PageForm
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


class RepostForm(PageForm):
    channel = StringField(
        _l("Where you are reposting it"),
        description=_l("For example “Facebook page” or “partner newsletter”. Kept in the audit log."),
        render_kw={"maxlength": CHANNEL_MAX},
    )
