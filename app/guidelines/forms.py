from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired

from app.web.forms import PageForm


class GuidelinesForm(PageForm):
    # Plain fields: the guidelines service checks emptiness and lengths and explains them.
    body = TextAreaField(_l("Guidelines (Markdown)"))
    note = StringField(
        _l("What changed (shown in the history)"), description=_l("For example: “Added a section on fundraising.”")
    )
    material = BooleanField(
        _l("Material change: every member must read and accept this version before posting again"),
    )
    based_on = HiddenField()


class AcceptForm(PageForm):
    accept = BooleanField(
        _l("I have read and accept the community guidelines"),
        validators=[DataRequired(_l("Please tick the box to accept the guidelines."))],
    )
