from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from app.services.content.guidelines import BODY_MAX, NOTE_MAX
from app.web.forms import PageForm


class GuidelinesForm(PageForm):
    # Plain fields: the guidelines service checks emptiness, lengths and the language and explains them.
    locale = SelectField(
        _l("Language of this text"),
        description=_l("Another language than the original’s publishes a translation of the version in force."),
        validate_choice=False,
    )  # fmt: skip
    body = TextAreaField(_l("Guidelines (Markdown)"), render_kw={"maxlength": BODY_MAX})
    note = StringField(
        _l("What changed (shown in the history)"),
        description=_l("For example: “Added a section on fundraising.”"),
        render_kw={"maxlength": NOTE_MAX},
    )
    material = BooleanField(
        _l("Material change: every member must read and accept this version before posting again"),
        description=_l("Not for translations: they follow the version they translate."),
    )
    based_on = HiddenField()


class AcceptForm(PageForm):
    accept = BooleanField(
        _l("I have read and accept the community guidelines"),
        validators=[DataRequired(_l("Please tick the box to accept the guidelines."))],
    )
