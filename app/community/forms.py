from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2

from app.models.moderation import FLAG_REASON_LABELS
from app.web.forms import OnceForm

# Emptiness and length are checked by the posting service, so the CLI and the web share one rule.
BODY_HELP = _l("You can use Markdown: **bold**, *italic*, lists and links.")
# Shown only to a member who must accept changed guidelines before posting (app/guidelines/inline.py).
ACCEPT_GUIDELINES = _l("I have read and accept the community guidelines")


class TopicForm(OnceForm):
    title = StringField(_l("Title"))
    body = TextAreaField(_l("Your message"), description=BODY_HELP)
    accept_guidelines = BooleanField(ACCEPT_GUIDELINES)


class ReplyForm(OnceForm):
    body = TextAreaField(_l("Your reply"), description=BODY_HELP)
    accept_guidelines = BooleanField(ACCEPT_GUIDELINES)


class EditPostForm(FlaskForm):
    title = StringField(_l("Title"))
    body = TextAreaField(_l("Your message"), description=BODY_HELP)


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("Reason"),
        choices=[SelectChoice(r.value, label) for r, label in FLAG_REASON_LABELS.items()],
        validate_choice=False,
    )
    details = TextAreaField(_l("Anything the moderators should know? (required for “Something else”)"))
