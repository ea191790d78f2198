from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2
from wtforms.validators import InputRequired, Optional

from app.services.moderation.notices import GUIDELINES
from app.services.moderation.settings import INT_SETTINGS, YES_NO_SETTINGS, crisis_panel_key
from app.services.moderation.watched_words import ACTION_LABELS as WATCH_ACTION_LABELS
from app.web.forms import PageForm


class DecisionForm(PageForm):
    action = SelectField(
        _l("Decision"),
        choices=[
            SelectChoice("approve", _l("Approve")),
            SelectChoice("reject", _l("Reject")),
            SelectChoice("hide", _l("Hide")),
            SelectChoice("dismiss", _l("Keep published")),
        ],
        validators=[InputRequired()],
    )
    guideline = SelectField(
        _l("Guideline"), choices=[SelectChoice(*pair) for pair in GUIDELINES], validate_choice=False
    )
    note = TextAreaField(_l("Reason (shown to the author when rejecting)"))
    version = HiddenField()


class EditApproveForm(PageForm):
    body = TextAreaField(_l("Post text"))
    note = StringField(_l("What you changed and why (kept in the log)"))
    version = HiddenField()


class BulkForm(PageForm):
    item_ids = SelectMultipleField(_l("Items"), coerce=int, validate_choice=False)
    action = SelectField(
        _l("With the selected"), choices=[SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))]
    )
    note = StringField(_l("Reason for rejection"))


class ReasonForm(PageForm):
    reason = TextAreaField(_l("Reason (kept in the moderation log)"))


class ResetTwoFactorForm(PageForm):
    """On the member's page beside the suspension form, so its fields carry a prefix of their own."""

    reason = TextAreaField(_l("Reason (kept in the moderation log)"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, prefix="reset", **kwargs)


class MoveForm(PageForm):
    group = SelectField(_l("Move to group"), coerce=int, validate_choice=False)
    reason = StringField(_l("Reason (optional)"))


class SuspendForm(PageForm):
    reason = TextAreaField(_l("Reason (the member will see this)"))
    until = DateField(_l("Suspended until (leave empty for indefinitely)"), validators=[Optional()])


class WatchedWordForm(PageForm):
    phrase = StringField(_l("Word or phrase"))
    action = SelectField(
        _l("What happens"),
        choices=[SelectChoice(value, label) for value, label in WATCH_ACTION_LABELS.items()],
        validate_choice=False,  # checked by the service with the phrase, so both problems show at once
    )


CRISIS_PANEL_HELP = _l(
    "Markdown, shown at once to members whose post may mention self-harm or suicide, in their language."
)


def settings_form(languages: list[tuple[str, str]]) -> type[PageForm]:
    """The moderation settings form: a plain text field per number (the settings service checks the ranges and
    explains them), then one crisis-support panel per language the community offers (`crisis_panel` for English,
    `crisis_panel_<code>` for the others)."""

    class SettingsForm(PageForm):
        pass

    for setting in INT_SETTINGS.values():
        kind = BooleanField if setting.key in YES_NO_SETTINGS else StringField
        setattr(SettingsForm, setting.key, kind(setting.label))
    for code, name in languages:
        label = _l("Crisis-support panel (%(language)s)", language=name)
        setattr(SettingsForm, crisis_panel_key(code), TextAreaField(label, description=CRISIS_PANEL_HELP))
    return SettingsForm


class GroupForm(PageForm):
    name = StringField(_l("Name"))
    slug = StringField(_l("Web address"), description=_l("Lower-case letters, digits and hyphens, e.g. heart-health."))
    description = TextAreaField(_l("Description"))
    position = StringField(_l("Position in the list"), default="0")
    archived = BooleanField(_l("Archived (read-only, takes no new posts)"))
    review_all_posts = BooleanField(_l("Sensitive group: hold every post for review"))
    visibility = SelectField(
        _l("Who can read it"),
        choices=[
            SelectChoice("public", _l("Everyone, including visitors and search engines")),
            SelectChoice("members", _l("Signed-in members only (hidden from visitors, feeds and search engines)")),
        ],
        default="public",
    )
    picture_policy = SelectField(
        _l("Who may post pictures"),
        choices=[
            SelectChoice("everyone", _l("Every member who may post here")),
            SelectChoice("trusted", _l("Trusted members only")),
            SelectChoice("nobody", _l("Nobody: words only")),
        ],
        default="everyone",
    )


class ModeratorGroupsForm(PageForm):
    groups = SelectMultipleField(
        _l("Groups this moderator looks after (none selected: every group)"), coerce=int, validate_choice=False
    )
