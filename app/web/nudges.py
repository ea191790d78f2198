"""The nudge step inside every composer: the form shown again, words kept, with what the post seems to share and
a box to post it anyway (`confirm_personal`, `confirm_advice`). Nothing is stored until the author confirms."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from app.models import Group, GroupVisibility
from app.services.content.nudges import Found, confirmed_reasons, find_nudges

CONFIRM_PERSONAL = _l("Post it anyway: I am happy for others to read this.")
CONFIRM_ADVICE = _l("Post it anyway: I am sharing my experience, not giving medical advice.")
# One whole sentence per kind, for a group everyone can read and for a members-only group.
PUBLIC_NOTICES = {
    "phone": _l("Your post seems to include a phone number. Everyone can read it."),
    "email": _l("Your post seems to include an e-mail address. Everyone can read it."),
    "address": _l("Your post seems to include a postal address. Everyone can read it."),
    "birth_date": _l("Your post seems to include a date of birth. Everyone can read it."),
    "health_number": _l("Your post seems to include a medical record or health-service number. Everyone can read it."),
    "personal": _l("Your post seems to include personal information. Everyone can read it."),
}
MEMBERS_NOTICES = {
    "phone": _l("Your post seems to include a phone number. Every signed-in member can read it."),
    "email": _l("Your post seems to include an e-mail address. Every signed-in member can read it."),
    "address": _l("Your post seems to include a postal address. Every signed-in member can read it."),
    "birth_date": _l("Your post seems to include a date of birth. Every signed-in member can read it."),
    "health_number": _l(
        "Your post seems to include a medical record or health-service number. Every signed-in member can read it."
    ),
    "personal": _l("Your post seems to include personal information. Every signed-in member can read it."),
}
ADVICE_NOTICE = _l(
    "Your post seems to tell someone what to do about their doses or treatment. Please share your experience, "
    "not medical advice: what helped you may harm someone else, and their own doctor knows their situation."
)


class NudgeFields:
    """The two boxes of the step; a composer form shows only those its step asks for."""

    confirm_personal = BooleanField(CONFIRM_PERSONAL)
    confirm_advice = BooleanField(CONFIRM_ADVICE)
    nudge: Nudge | None = None


@dataclass(frozen=True)
class Nudge:
    """What the step shows: a sentence per kind found, and which boxes to tick."""

    found: Found
    members_only: bool

    @property
    def notices(self) -> list[str]:
        notices = MEMBERS_NOTICES if self.members_only else PUBLIC_NOTICES
        return [str(notices[kind]) for kind in self.found.personal]

    @property
    def advice_notice(self) -> str | None:
        return str(ADVICE_NOTICE) if self.found.advice else None


def nudge_step(form: NudgeFields, group: Group, text: str, before: str = "") -> list[str] | None:
    """May the post go out? None: not yet, the form is shown again with the step (`form.nudge`); otherwise the
    review reasons for what the author confirmed. A box ticked while nothing is found changes nothing."""
    found = find_nudges(text, before)
    personal_ok = not found.personal or form.confirm_personal.data
    advice_ok = not found.advice or form.confirm_advice.data
    if not (personal_ok and advice_ok):
        form.nudge = Nudge(found, group.visibility == GroupVisibility.MEMBERS)
        return None
    return confirmed_reasons(found.kinds)
