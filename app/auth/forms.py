from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from app.services.members.identity import DISPLAY_NAME_MAX, PASSWORD_MAX
from app.web.forms import PageForm, no_nul


class RegisterForm(PageForm):
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254), no_nul]
    )
    display_name = StringField(
        _l("Display name"),
        description=_l("Shown with your posts. A first name or a nickname is fine — you don't need your real name."),
        validators=[DataRequired(_l("Choose a display name.")), Length(max=DISPLAY_NAME_MAX * 2), no_nul],
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least 10 characters. A few unrelated words make a strong, memorable password."),
        validators=[InputRequired(_l("Choose a password.")), Length(max=PASSWORD_MAX), no_nul],
    )
    password_confirm = PasswordField(
        _l("Repeat password"),
        validators=[InputRequired(_l("Repeat your password.")), EqualTo("password", _l("The two passwords differ."))],
    )
    accept_guidelines = BooleanField(
        _l("I have read and accept the community guidelines"),
        validators=[DataRequired(_l("Please accept the community guidelines to join."))],
    )


class LoginForm(PageForm):
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254), no_nul]
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(_l("Enter your password.")), Length(max=PASSWORD_MAX), no_nul]
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class SecondFactorForm(PageForm):
    code = StringField(
        _l("Code"),
        description=_l("The six-digit code from your authenticator app, or one of your recovery codes."),
        validators=[DataRequired(_l("Enter the code.")), Length(max=64), no_nul],
    )


class EmailLinkForm(PageForm):
    # Named `email` like the password form's field on the same page, hence an id of its own.
    email = EmailField(
        _l("E-mail address"),
        id="link-email",
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254), no_nul],
    )
