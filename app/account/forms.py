from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from app.services.members.identity import PASSWORD_MAX
from app.web.forms import PageForm, no_nul

NEW_PASSWORD_HELP = _l("At least 10 characters. A few unrelated words make a strong, memorable password.")  # noqa: S105


def _new_password() -> PasswordField:
    return PasswordField(
        _l("New password"),
        description=NEW_PASSWORD_HELP,
        validators=[InputRequired(_l("Choose a new password.")), Length(max=PASSWORD_MAX), no_nul],
    )


def _repeat() -> PasswordField:
    return PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(_l("Repeat the new password.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
    )


def _current_password() -> PasswordField:
    return PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password.")), Length(max=PASSWORD_MAX), no_nul],
    )


def _email(label: LazyString) -> EmailField:
    return EmailField(label, validators=[DataRequired(_l("Enter an e-mail address.")), Length(max=254), no_nul])


class ForgotPasswordForm(PageForm):
    email = _email(_l("E-mail address"))


class ResetPasswordForm(PageForm):
    password = _new_password()
    password_confirm = _repeat()


class ChangePasswordForm(PageForm):
    current_password = _current_password()
    password = _new_password()
    password_confirm = _repeat()


class ChangeEmailForm(PageForm):
    email = _email(_l("New e-mail address"))
    current_password = _current_password()


class ConfirmPasswordForm(PageForm):
    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=PASSWORD_MAX), no_nul],
    )


def _code(description: LazyString) -> StringField:
    return StringField(
        _l("Code"),
        description=description,
        validators=[DataRequired(_l("Enter the code.")), Length(max=64), no_nul],
    )


class ConfirmTwoFactorForm(PageForm):
    code = _code(_l("The six-digit code your authenticator app shows now."))


class ConfirmCodeForm(PageForm):
    code = _code(_l("The six-digit code from your authenticator app, or one of your recovery codes."))


class TwoFactorCheckForm(PageForm):
    """Changing or turning off two-factor sign-in asks again for both things it protects with."""

    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=PASSWORD_MAX), no_nul],
    )
    code = _code(_l("The six-digit code from your authenticator app, or one of your recovery codes."))


def _passkey_name() -> StringField:
    """A passkey's name; its rules (length included) are the service's, refused with the others."""
    return StringField(
        _l("Name"),
        description=_l("So you can tell your passkeys apart, for example “Work laptop” or “Blue security key”."),
        validators=[no_nul],
    )


class PasskeyForm(PageForm):
    """A passkey's name and whether it signs in alone."""

    name = _passkey_name()
    passwordless = BooleanField(
        _l("Use this passkey to sign in without a password"),
        description=_l(
            "Your device checks that it is you (a PIN, a fingerprint or your face) each time. Leave it off to use "
            "this passkey only as the second step after your password."
        ),
    )


class AddPasskeyForm(PageForm):
    """Adding a passkey (sent by static/passkeys.js): its name, and the member's password, as a passkey opens the
    account."""

    name = _passkey_name()
    current_password = _current_password()
