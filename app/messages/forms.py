"""Forms of the private messages. Emptiness, lengths and recipients are checked by the messages service."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2

from app.models.moderation import FLAG_REASON_LABELS
from app.services.messages.conversations import MESSAGE_MAX, RECIPIENTS_FIELD_MAX, SUBJECT_MAX
from app.web.forms import PageForm
from app.web.pictures import PictureFields

BODY_HELP = _l("You can use Markdown: **bold**, *italic*, lists and links. Only the people in the conversation see it.")


class NewConversationForm(PictureFields, PageForm):
    # The limits the messages service checks, given to the browser too (maxlength and the live count).
    to = StringField(
        _l("To"),
        description=_l("Display names, separated by commas (up to ten people)."),
        render_kw={"maxlength": RECIPIENTS_FIELD_MAX},
    )
    subject = StringField(_l("Subject (optional)"), render_kw={"maxlength": SUBJECT_MAX})
    body = TextAreaField(_l("Message"), description=BODY_HELP, render_kw={"maxlength": MESSAGE_MAX})
    # Sent by the buttons that answer "continue your conversation with them, or start a new one?".
    then = HiddenField()


class MessageForm(PictureFields, PageForm):
    body = TextAreaField(_l("Your reply"), description=BODY_HELP, render_kw={"maxlength": MESSAGE_MAX})


class ReportMessageForm(PageForm):
    reason = RadioField(
        _l("Reason"),
        choices=[SelectChoice(r.value, label) for r, label in FLAG_REASON_LABELS.items()],
        validate_choice=False,
    )
    details = TextAreaField(_l("Anything the moderators should know? (required for “Something else”)"))


class BlockForm(PageForm):
    """Block or unblock; `back` says where to return: a conversation id, "index" (the messages list), else the
    member's profile."""

    back = HiddenField()


class ReportDecisionForm(PageForm):
    action = SelectField(
        _l("Decision"),
        choices=[
            SelectChoice("dismiss", _l("Keep the message (report unfounded)")),
            SelectChoice("remove", _l("Remove it")),
        ],
    )
    note = TextAreaField(_l("Reason (the author sees it when the message is removed)"))
