"""Forms of the member's own account pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2

from app.services.members.profiles import BIO_MAX


class ProfileForm(FlaskForm):
    bio = TextAreaField(
        "About you (optional)",
        description=f"Plain text, up to {BIO_MAX} characters, shown on your profile. "
        "Leave out anything that could identify you.",
    )
    visibility = RadioField(
        "Who can see your profile",
        choices=[
            SelectChoice("everyone", "Everyone, including visitors and search engines"),
            SelectChoice("members", "Signed-in members only"),
        ],
        default="everyone",
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password, to confirm it is you")
    remove_posts = BooleanField("Also remove my posts (otherwise they stay, shown as by “Former member”)")
