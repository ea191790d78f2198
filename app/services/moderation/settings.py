"""Run-time community settings with defaults: thresholds for review and flags, and the crisis panel."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from app import permissions
from app.extensions import db
from app.models.member import Member
from app.models.settings import Setting
from app.permissions.revisions import OPEN_HISTORY_SETTING
from app.services import ServiceError
from app.services.common.audit import audit
from app.text.lazy import lazy_text as _l

# The crisis-support panel has a text per language, written by staff; until they do, each shipped language has its
# own default with the helplines of the countries that speak it (app/data/crisis-panels/<code>.md).
CRISIS_PANEL_DIR = Path(__file__).resolve().parents[2] / "data" / "crisis-panels"
CRISIS_PANEL_KEY = "crisis_panel"  # English keeps the key it always had


def crisis_panel_key(locale: str) -> str:
    return CRISIS_PANEL_KEY if locale == "en" else f"{CRISIS_PANEL_KEY}_{locale}"


def _crisis_panel_defaults() -> dict[str, str]:
    return {
        crisis_panel_key(path.stem): path.read_text(encoding="utf-8").strip()
        for path in sorted(CRISIS_PANEL_DIR.glob("*.md"))
    }


@dataclass(frozen=True)
class IntSetting:
    key: str
    label: str
    default: int
    minimum: int
    maximum: int


OPEN_HISTORY_LABEL = _l("Show the edit history of published posts to every signed-in member")
INT_SETTINGS = {
    s.key: s
    for s in (
        IntSetting("hold_first_posts", _l("Hold this many of a new member's first posts for review"), 2, 0, 50),
        IntSetting("trusted_after_posts", _l("A member is trusted after this many approved posts"), 2, 0, 100),
        IntSetting(
            "flags_to_hide", _l("Hide a post pending review after this many flags from trusted members"), 3, 1, 50
        ),
        IntSetting(OPEN_HISTORY_SETTING, OPEN_HISTORY_LABEL, 0, 0, 1),
    )
}
# Numbers that mean yes (1) or no (0): the settings page shows them as a checkbox.
YES_NO_SETTINGS = frozenset({OPEN_HISTORY_SETTING})
TEXT_SETTINGS = _crisis_panel_defaults()
# Changed on the staff pages rather than the moderation settings page.
STAFF_INT_SETTINGS = {
    s.key: s
    for s in (
        IntSetting("unanswered_after_hours", _l("A topic counts as unanswered after this many hours"), 24, 1, 720),
        # The nudges before posting (app/services/content/nudges.py): each built-in detector on (1) or off (0).
        IntSetting("nudge_phone", _l("Phone numbers"), 1, 0, 1),
        IntSetting("nudge_email", _l("E-mail addresses"), 1, 0, 1),
        IntSetting("nudge_address", _l("Postal addresses"), 1, 0, 1),
        IntSetting("nudge_birth_date", _l("Dates of birth"), 1, 0, 1),
        IntSetting("nudge_health_number", _l("Medical record and health-service numbers"), 1, 0, 1),
        IntSetting("nudge_advice", _l("Advice about doses or stopping treatment"), 1, 0, 1),
    )
}


def _int_spec(key: str) -> IntSetting | None:
    return INT_SETTINGS.get(key) or STAFF_INT_SETTINGS.get(key)


def get_int(key: str) -> int:
    """The current value of a numeric setting, or its default."""
    row = db.session.get(Setting, key)
    spec = _int_spec(key)
    assert spec is not None, key
    return int(row.value) if row is not None else spec.default


def get_text(key: str) -> str:
    row = db.session.get(Setting, key)
    return row.value if row is not None else TEXT_SETTINGS[key]


def crisis_panel(locale: str, fallback: str) -> str:
    """The panel for readers of `locale`; the community's default language's when that language has none."""
    key = crisis_panel_key(locale)
    return get_text(key if key in TEXT_SETTINGS else crisis_panel_key(fallback))


def set_value(key: str, value: str) -> None:
    """Validate and store a setting (the caller commits, together with its audit record)."""
    if (spec := _int_spec(key)) is not None:
        # isascii(): "²" and other Unicode digits pass isdigit() but int() refuses them.
        if not value.strip().isascii() or not value.strip().isdigit() or not spec.minimum <= int(value) <= spec.maximum:
            raise ServiceError(
                _("Enter a whole number from %(low)d to %(high)d.", low=spec.minimum, high=spec.maximum), key
            )
        value = str(int(value))
    elif key in TEXT_SETTINGS:
        value = value.replace("\r\n", "\n").strip()
        if not value or "\x00" in value or len(value) > 5000:
            raise ServiceError(_("Enter between 1 and 5,000 characters."), key)
    else:
        raise ServiceError(_("Unknown setting."))
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value


def current_value(key: str) -> str:
    """Any setting's current value as text, as a form shows it."""
    return str(get_int(key)) if _int_spec(key) is not None else get_text(key)


def change_settings(actor: Member, submitted: dict[str, str]) -> dict[str, str]:
    """Store the settings that differ from their current values, with one audit record; returns what changed."""
    permissions.ensure(actor, "edit_settings", None)
    before = {key: current_value(key) for key in submitted}
    changed = {key: value for key, value in submitted.items() if value.strip() != before[key].strip()}
    if not changed:
        raise ServiceError(_("Nothing changed."))
    try:
        for key, value in changed.items():
            set_value(key, value)
    except ServiceError:
        db.session.rollback()
        raise
    audit(actor, "change_settings", None, before={key: before[key] for key in changed}, after=changed)
    db.session.commit()
    return changed
