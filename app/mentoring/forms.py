"""The check-in form: how the mentor reached the member (the claim and welcome buttons carry only CSRF)."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2

from app.models import CheckInMethod
from app.web.forms import PageForm

CHECK_IN_LABELS = {
    CheckInMethod.MESSAGE: _l("A private message"),
    CheckInMethod.REPLY: _l("A reply"),
}


class CheckInForm(PageForm):
    # The service refuses anything else with a sentence next to the choice.
    how = RadioField(
        _l("How did you check in?"),
        choices=[SelectChoice(method.value, label) for method, label in CHECK_IN_LABELS.items()],
        validate_choice=False,
    )
