"""Forms of the private messages. Emptiness, lengths and recipients are checked by the messages service."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2

from app.models.moderation import FLAG_REASON_LABELS

BODY_HELP = "You can use Markdown: **bold**, *italic*, lists and links. Only the people in the conversation see it."


class NewConversationForm(FlaskForm):
    to = StringField("To", description="Display names, separated by commas (up to ten people).")
    subject = StringField("Subject (optional)")
    body = TextAreaField("Message", description=BODY_HELP)


class MessageForm(FlaskForm):
    body = TextAreaField("Your reply", description=BODY_HELP)


class ReportMessageForm(FlaskForm):
    reason = RadioField(
        "Reason",
        choices=[SelectChoice(r.value, label) for r, label in FLAG_REASON_LABELS.items()],
        validate_choice=False,
    )
    details = TextAreaField("Anything the moderators should know? (required for “Something else”)")


class BlockForm(FlaskForm):
    """Block or unblock; `back` says where to return: a conversation id, "index" (the messages list), else the
    member's profile."""

    back = HiddenField()


class ReportDecisionForm(FlaskForm):
    action = SelectField(
        "Decision",
        choices=[SelectChoice("dismiss", "Keep the message (report unfounded)"), SelectChoice("remove", "Remove it")],
    )
    note = TextAreaField("Reason (the author sees it when the message is removed)")
