"""Accepting changed guidelines inside a composer, so a member asked to accept them keeps what they typed."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app import permissions
from app.services.content.guidelines import accept_guidelines


def accepted_guidelines(form: FlaskForm, refusal: str | None) -> bool:
    """May the submitted post go ahead? Only the guidelines can stand in its way here: a ticked box accepts them
    (recorded before posting); an unticked one keeps the form, and the member's words, with a note beside the box."""
    if refusal != permissions.GUIDELINES_CHANGED:
        return True
    box = form.accept_guidelines
    if not box.data:
        box.errors = [_("Please tick the box to accept the guidelines, then post again. Your words are kept.")]
        return False
    accept_guidelines(current_user)
    return True
