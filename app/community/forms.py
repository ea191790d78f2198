from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2

from app.models.moderation import FLAG_REASON_LABELS
from app.services.common.cleaning import BODY_MAX, OPENING_BODY_MIN, TITLE_MAX, TITLE_MIN
from app.web.forms import OnceForm, PageForm
from app.web.nudges import NudgeFields
from app.web.pictures import PictureFields

# Emptiness and length are checked by the posting service, so the CLI and the web share one rule; the limits are
# shown here too (and given to the browser) so nobody learns them from an error.
BODY_HELP = _l("You can use Markdown: **bold**, *italic*, lists and links.")
TITLE_HELP = _l("%(min)d to %(max)d characters, saying what your topic is about.", min=TITLE_MIN, max=TITLE_MAX)
OPENING_HELP = _l(
    "At least %(min)d characters. You can use Markdown: **bold**, *italic*, lists and links.", min=OPENING_BODY_MIN
)
TITLE_LIMITS = {"minlength": TITLE_MIN, "maxlength": TITLE_MAX}
# Shown only to a member who must accept changed guidelines before posting (app/guidelines/inline.py).
ACCEPT_GUIDELINES = _l("I have read and accept the community guidelines")


class TopicForm(NudgeFields, PictureFields, OnceForm):
    title = StringField(_l("Title"), description=TITLE_HELP, render_kw=TITLE_LIMITS)
    body = TextAreaField(
        _l("Your message"), description=OPENING_HELP, render_kw={"minlength": OPENING_BODY_MIN, "maxlength": BODY_MAX}
    )
    accept_guidelines = BooleanField(ACCEPT_GUIDELINES)


class ReplyForm(NudgeFields, PictureFields, OnceForm):
    body = TextAreaField(_l("Your reply"), description=BODY_HELP, render_kw={"maxlength": BODY_MAX})
    accept_guidelines = BooleanField(ACCEPT_GUIDELINES)


REASON_HELP = _l("Optional. Shown beside this version in the post's edit history.")
MODERATOR_REASON_HELP = _l("Required when you edit someone else's post: its author is told, with your reason.")


class EditPostForm(NudgeFields, PictureFields, PageForm):
    title = StringField(_l("Title"), description=TITLE_HELP, render_kw=TITLE_LIMITS)
    body = TextAreaField(_l("Your message"), description=BODY_HELP, render_kw={"maxlength": BODY_MAX})
    reason = StringField(_l("Reason for this edit"), description=REASON_HELP, render_kw={"maxlength": 1000})


class RedactRevisionForm(PageForm):
    confirm = BooleanField(_l("I understand that the text of this version will be erased for good."))


class FlagForm(PageForm):
    reason = RadioField(
        _l("Reason"),
        choices=[SelectChoice(r.value, label) for r, label in FLAG_REASON_LABELS.items()],
        validate_choice=False,
    )
    details = TextAreaField(_l("Anything the moderators should know? (required for “Something else”)"))
