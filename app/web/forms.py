"""Form pieces shared by several areas."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import cache

from babel import support
from flask import current_app, flash, g, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Field, HiddenField
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError
from wtforms.widgets import HiddenInput

from app.services import ServiceError, ServiceErrors
from app.web.preview import previewing

_ONCE_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


class PageForm(FlaskForm):
    """The base of every form: its hidden fields carry no `id`, so a page may hold many forms and stay valid HTML.

    Every form has a hidden CSRF field named `csrf_token`; with WTForms' default `id` equal to the name, a page with
    two forms would repeat an id. Nothing points at a hidden field by id (no label can)."""

    class Meta:
        def get_translations(self, form: FlaskForm) -> support.NullTranslations | None:
            # Flask-WTF reads WTForms' own catalogue from disk on every request that builds a form (about 0.5 ms);
            # the catalogues do not change while the app runs.
            if not has_request_context() or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)  # type: ignore[misc]
            return _wtforms_translations(str(get_locale()))

        def render_field(self, field: Field, render_kw: dict) -> Markup:
            if isinstance(field.widget, HiddenInput):
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)  # type: ignore[misc]

    def is_submitted(self) -> bool:
        """A composer's form sent with its Preview button is shown again, never validated or acted on."""
        return super().is_submitted() and not previewing()

    def validate_on_submit(self, extra_validators: dict | None = None) -> bool:
        """Refused, with the reason at the top, when the request is held back (app.web.drafts: a rate limit):
        the page comes back with what was typed, and nothing is written."""
        held_back = g.get("kindred_held_back") if has_request_context() else None
        if held_back and self.is_submitted():
            if held_back not in self.form_errors:
                self.form_errors.append(held_back)
            return False
        return super().validate_on_submit(extra_validators)


@cache
def _wtforms_translations(locale: str) -> support.NullTranslations:
    """WTForms' own messages ("Not a valid choice") in `locale`, read once."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class EmptyForm(PageForm):
    """For one-button POST actions: carries only the CSRF token."""


def new_submission_key() -> str:
    """A fresh random submission key, noted among the ones this request issued."""
    key = secrets.token_urlsafe(16)
    if has_request_context():
        g.setdefault("kindred_issued_keys", []).append(key)
    return key


def issued_submission_keys() -> tuple[str, ...]:
    """The keys this request put into its forms: a cached copy of the page must carry fresh ones instead
    (app/web/page_cache.py), or a second tab's post would look like a repeat of the first one's."""
    return tuple(g.get("kindred_issued_keys", ()))


class OnceForm(PageForm):
    """A form that creates something: each rendering carries a fresh key, so sending it twice creates it once.

    Pass `form.submission_key.data` to a service that calls app.services.common.submissions.claim(). A form shown again
    after an error keeps the key it was sent with: nothing was created under it yet."""

    submission_key = HiddenField(default=new_submission_key)

    @property
    def once_key(self) -> str | None:
        """The key sent, when it looks like one we issue; anything else means "no protection", never an error."""
        if not self.submission_key.raw_data:  # not sent (the field's default is a fresh key for the next page)
            return None
        key = self.submission_key.data or ""
        return key if _ONCE_KEY.fullmatch(key) else None


def apply_service_error(form: FlaskForm, error: ServiceError, *, only_unmarked: bool = False) -> None:
    """Show a service's refusal next to the field it is about (or at the top of the form), each of several.

    With `only_unmarked`, fields the form's own validators already refused keep just that message."""
    for one in error.errors if isinstance(error, ServiceErrors) else (error,):
        field: Field | None = getattr(form, one.field, None) if one.field else None
        if field is not None:
            if not (only_unmarked and field.errors):
                field.errors = [*field.errors, one.message]
        elif one.message not in form.form_errors:
            form.form_errors.append(one.message)


def no_nul(form: FlaskForm, field: Field) -> None:
    """NUL characters cannot be stored by PostgreSQL; refuse them with a clear message."""
    if field.data and "\x00" in field.data:
        raise ValidationError(_("This contains a character that cannot be stored (NUL)."))


def run_and_flash(action: Callable[[], object], success: str) -> None:
    """Run a one-button action and flash its outcome: the success sentence, or the service's refusal."""
    try:
        action()
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(success, "success")
