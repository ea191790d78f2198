"""The notification settings form: one choice per kind."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2

from app.models import Delivery
from app.services.notify.preferences import KINDS
from app.web.forms import PageForm

DELIVERY_CHOICES = [
    SelectChoice(Delivery.NONE.value, _l("Nothing")),
    SelectChoice(Delivery.IN_APP.value, _l("Notifications page only")),
    SelectChoice(Delivery.EMAIL.value, _l("Notifications page and an e-mail straight away")),
    SelectChoice(Delivery.DIGEST.value, _l("Notifications page and the daily digest e-mail")),
]


class NotificationSettingsForm(PageForm):
    """Fields are added below, one per kind of notification, named after the kind."""

    def choices(self) -> dict[str, Delivery]:
        return {name: Delivery(getattr(self, name).data) for name in KINDS}


for _name, _kind in KINDS.items():
    setattr(NotificationSettingsForm, _name, SelectField(_kind.label, choices=DELIVERY_CHOICES))
