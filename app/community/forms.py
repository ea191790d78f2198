from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

# Emptiness and length are checked by the posting service, so the CLI and the web share one rule.
BODY_HELP = "You can use Markdown: **bold**, *italic*, lists and links."


class TopicForm(FlaskForm):
    title = StringField("Title")
    body = TextAreaField("Your message", description=BODY_HELP)


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", description=BODY_HELP)


class EditPostForm(FlaskForm):
    title = StringField("Title")
    body = TextAreaField("Your message", description=BODY_HELP)
