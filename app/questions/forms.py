from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

from app.web.forms import OnceForm, PageForm


class QuestionForm(OnceForm):
    body = TextAreaField(_l("Your question"))


class AnswerForm(PageForm):
    answer = TextAreaField(_l("Answer (Markdown; leave empty to remove it)"))


class RecapForm(PageForm):
    recap_topic = StringField(_l("Recap topic: its address or number (leave empty to unlink it)"))
