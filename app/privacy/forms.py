"""Forms of the member's own account pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import BooleanField, PasswordField, RadioField, TextAreaField
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2

from app.services.members.profiles import BIO_MAX
from app.web.forms import PageForm


class ProfileForm(PageForm):
    bio = TextAreaField(
        _l("About you (optional)"),
        description=lazy_ngettext(
            "Plain text, up to %(num)d character, shown on your profile. Leave out anything that could identify you.",
            "Plain text, up to %(num)d characters, shown on your profile. Leave out anything that could identify you.",
            BIO_MAX,
        ),
    )
    visibility = RadioField(
        _l("Who can see your profile"),
        choices=[
            SelectChoice("everyone", _l("Everyone, including visitors and search engines")),
            SelectChoice("members", _l("Signed-in members only")),
        ],
        default="everyone",
    )
    repost = BooleanField(
        _l("Staff may repost my public posts outside Kindred"),
        description=_l(
            "For example on the community's social media pages or a partner's website, and as embeds on other sites."
            " Only posts in public groups; never posts in members-only groups or ones waiting for review."
        ),
    )
    repost_name = BooleanField(
        _l("…with my display name"),
        description=_l("Without this, reposts and share pictures of your posts do not name you."),
    )


class DeleteAccountForm(PageForm):
    password = PasswordField(_l("Your password, to confirm it is you"))
    remove_posts = BooleanField(_l("Also remove my posts (otherwise they stay, shown as by “Former member”)"))
