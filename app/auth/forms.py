from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from app.services.members.identity import DISPLAY_NAME_MAX, PASSWORD_MAX
from app.web.forms import no_nul


class RegisterForm(FlaskForm):
    email = EmailField(
        "E-mail address", validators=[DataRequired("Enter your e-mail address."), Length(max=254), no_nul]
    )
    display_name = StringField(
        "Display name",
        description="Shown with your posts. A first name or a nickname is fine — you don't need your real name.",
        validators=[DataRequired("Choose a display name."), Length(max=DISPLAY_NAME_MAX * 2), no_nul],
    )
    password = PasswordField(
        "Password",
        description="At least 10 characters. A few unrelated words make a strong, memorable password.",
        validators=[InputRequired("Choose a password."), Length(max=PASSWORD_MAX), no_nul],
    )
    password_confirm = PasswordField(
        "Repeat password",
        validators=[InputRequired("Repeat your password."), EqualTo("password", "The two passwords differ.")],
    )
    accept_guidelines = BooleanField(
        "I have read and accept the community guidelines",
        validators=[DataRequired("Please accept the community guidelines to join.")],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mail address", validators=[DataRequired("Enter your e-mail address."), Length(max=254), no_nul]
    )
    password = PasswordField(
        "Password", validators=[InputRequired("Enter your password."), Length(max=PASSWORD_MAX), no_nul]
    )
    remember = BooleanField("Keep me signed in on this device")
