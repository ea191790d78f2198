from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired


class GuidelinesForm(FlaskForm):
    # Plain fields: the guidelines service checks emptiness and lengths and explains them.
    body = TextAreaField("Guidelines (Markdown)")
    note = StringField(
        "What changed (shown in the history)", description="For example: “Added a section on fundraising.”"
    )
    material = BooleanField(
        "Material change: every member must read and accept this version before posting again",
    )
    based_on = HiddenField()


class AcceptForm(FlaskForm):
    accept = BooleanField(
        "I have read and accept the community guidelines",
        validators=[DataRequired("Please tick the box to accept the guidelines.")],
    )
