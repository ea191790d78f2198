"""Form pieces shared by several areas."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, TextAreaField
from wtforms.validators import ValidationError

from app.services import ServiceError


class EmptyForm(FlaskForm):
    """For one-button POST actions: carries only the CSRF token."""


class BodyField(TextAreaField):
    """A Markdown text area; length and emptiness are checked by the posting service."""


def apply_service_error(form: FlaskForm, error: ServiceError) -> None:
    """Show a service's refusal next to the field it is about (or at the top of the form)."""
    field: Field | None = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]  # type: ignore[list-item]
    else:
        form.form_errors.append(error.message)


def no_nul(form: FlaskForm, field: Field) -> None:
    """NUL characters cannot be stored by PostgreSQL; refuse them with a clear message."""
    if field.data and "\x00" in field.data:
        raise ValidationError("This contains a character that cannot be stored (NUL).")
