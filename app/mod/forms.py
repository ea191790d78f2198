from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2
from wtforms.validators import InputRequired, Optional

from app.models.moderation import WatchAction
from app.services.moderation.settings import crisis_panel_key

GUIDELINES = [
    ("", "Choose the guideline it breaks"),
    ("Be kind and respectful", "Be kind and respectful"),
    ("Share experience, not medical advice", "Share experience, not medical advice"),
    ("Protect your privacy and others'", "Protect your privacy and others'"),
    ("No selling or promotion", "No selling or promotion"),
    ("Off-topic for this group", "Off-topic for this group"),
]


class DecisionForm(FlaskForm):
    action = SelectField(
        "Decision",
        choices=[
            SelectChoice("approve", "Approve"),
            SelectChoice("reject", "Reject"),
            SelectChoice("hide", "Hide"),
            SelectChoice("dismiss", "Keep published"),
        ],
        validators=[InputRequired()],
    )
    guideline = SelectField("Guideline", choices=[SelectChoice(*pair) for pair in GUIDELINES], validate_choice=False)
    note = TextAreaField("Reason (shown to the author when rejecting)")
    version = HiddenField()


class EditApproveForm(FlaskForm):
    body = TextAreaField("Post text")
    note = StringField("What you changed and why (kept in the log)")
    version = HiddenField()


class BulkForm(FlaskForm):
    item_ids = SelectMultipleField("Items", coerce=int, validate_choice=False)
    action = SelectField(
        "With the selected", choices=[SelectChoice("approve", "Approve"), SelectChoice("reject", "Reject")]
    )
    note = StringField("Reason for rejection")


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason (kept in the moderation log)")


class MoveForm(FlaskForm):
    group = SelectField("Move to group", coerce=int, validate_choice=False)
    reason = StringField("Reason (optional)")


class SuspendForm(FlaskForm):
    reason = TextAreaField("Reason (the member will see this)")
    until = DateField("Suspended until (leave empty for indefinitely)", validators=[Optional()])


class WatchedWordForm(FlaskForm):
    phrase = StringField("Word or phrase")
    action = SelectField(
        "What happens",
        choices=[
            SelectChoice(WatchAction.HOLD.value, "Hold for review"),
            SelectChoice(WatchAction.FLAG.value, "Publish, and flag for review"),
            SelectChoice(WatchAction.BLOCK.value, "Block: refuse the post"),
        ],
    )


class SettingsForm(FlaskForm):
    # Plain text fields: the settings service checks the ranges and explains them.
    hold_first_posts = StringField("Hold this many of a new member's first posts for review")
    trusted_after_posts = StringField("A member is trusted after this many approved posts")
    flags_to_hide = StringField("Hide a post pending review after this many flags from trusted members")


CRISIS_PANEL_HELP = _l(
    "Markdown, shown at once to members whose post may mention self-harm or suicide, in their language."
)


def settings_form(languages: list[tuple[str, str]]) -> type[SettingsForm]:
    """The settings form with one crisis-support panel per language the community offers: `crisis_panel` for
    English, `crisis_panel_<code>` for the others."""

    class WithPanels(SettingsForm):
        pass

    for code, name in languages:
        label = _l("Crisis-support panel (%(language)s)", language=name)
        setattr(WithPanels, crisis_panel_key(code), TextAreaField(label, description=CRISIS_PANEL_HELP))
    return WithPanels


class GroupForm(FlaskForm):
    name = StringField("Name")
    slug = StringField("Web address", description="Lower-case letters, digits and hyphens, e.g. heart-health.")
    description = TextAreaField("Description")
    position = StringField("Position in the list", default="0")
    archived = BooleanField("Archived (read-only, takes no new posts)")
    review_all_posts = BooleanField("Sensitive group: hold every post for review")
    visibility = SelectField(
        "Who can read it",
        choices=[
            SelectChoice("public", "Everyone, including visitors and search engines"),
            SelectChoice("members", "Signed-in members only (hidden from visitors, feeds and search engines)"),
        ],
        default="public",
    )


class ModeratorGroupsForm(FlaskForm):
    groups = SelectMultipleField(
        "Groups this moderator looks after (none selected: every group)", coerce=int, validate_choice=False
    )
