"""The webhook form: plain fields, checked by the webhooks service, which explains what to change."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectMultipleField, StringField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2
from wtforms.widgets import CheckboxInput, ListWidget

from app.services.webhooks.manage import SECRET_MAX
from app.services.webhooks.queue import EVENTS
from app.web.forms import PageForm


class WebhookForm(PageForm):
    url = StringField(_l("Address (https://)"), render_kw={"maxlength": 2000, "inputmode": "url"})
    # Never filled in again once saved: the page says whether one is set.
    secret = PasswordField(
        _l("Secret"),
        description=_l("At least 16 characters, shared with the receiver, which checks each delivery's signature."),
        render_kw={"maxlength": SECRET_MAX, "autocomplete": "new-password"},
    )
    events = SelectMultipleField(
        _l("Events (none chosen: all of them)"),
        choices=[SelectChoice(name, label) for name, label in EVENTS.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
