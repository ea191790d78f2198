"""The account e-mails: verification, password reset, change of address and the notices that go with them.

Each function adds the mail to the outbox in the caller's transaction, so it is sent only if the change it
belongs to is committed. Links carry signed tokens (services.tokens) and start with KINDRED_BASE_URL.
"""

from __future__ import annotations

from flask import current_app, render_template

from app.models import Member
from app.services.mail.queue import queue_mail
from app.services.members import tokens
from app.services.members.language import in_recipients_language
from app.text.lazy import lazy_text as _l


def _queue(to: str, subject: str, template: str, *, member: Member, **context: object) -> None:
    """Render the mail in the member's language (and time zone), whichever of their addresses it goes to."""
    site_name = current_app.config["SITE_NAME"]
    with in_recipients_language(member):
        text = render_template(f"email/{template}.txt", site_name=site_name, member=member, **context)
        queue_mail(to=to, subject=f"{str(subject)} · {site_name}", text=text)


def verification_token(member: Member) -> str:
    """The link's token binds the address: once it changes (or is verified), the link is spent."""
    return tokens.make_token(tokens.VERIFY_EMAIL, {"m": member.id, "e": tokens.fingerprint(member.email)})


def queue_verification_mail(member: Member) -> None:
    """Ask a new member to confirm their address by following a link."""
    link = tokens.external_url("account.verify_email", token=verification_token(member))
    _queue(member.email, _l("Please confirm your e-mail address"), "verify_email", member=member, link=link)


def reset_token(member: Member) -> str:
    """Bound to the current password hash: the first reset changes it, so the link works once."""
    payload = {"m": member.id, "p": tokens.fingerprint(member.password_hash)}
    return tokens.make_token(tokens.PASSWORD_RESET, payload)


def queue_password_reset_mail(member: Member) -> None:
    """Send a link to choose a new password."""
    link = tokens.external_url("account.reset_password", token=reset_token(member))
    _queue(member.email, _l("Choose a new password"), "password_reset", member=member, link=link)


def queue_password_changed_notice(member: Member) -> None:
    """Tell the member their password changed, so a change they did not make does not go unnoticed."""
    link = tokens.external_url("account.forgot_password")
    _queue(member.email, _l("Your password was changed"), "password_changed", member=member, link=link)


def change_email_token(member: Member, new_email: str) -> str:
    """Bound to both the current and the requested address: spent once the address changes."""
    payload = {"m": member.id, "o": tokens.fingerprint(member.email), "e": tokens.fingerprint(new_email)}
    return tokens.make_token(tokens.CHANGE_EMAIL, payload)


def queue_email_change_mails(member: Member, new_email: str) -> None:
    """A confirmation link to the new address, and a notice (without the new address) to the old one."""
    link = tokens.external_url("account.confirm_email", token=change_email_token(member, new_email))
    _queue(new_email, _l("Confirm your new e-mail address"), "confirm_email", member=member, link=link)
    _queue(member.email, _l("A change of e-mail address was requested"), "email_change_notice", member=member)


def queue_two_factor_reset_notice(member: Member) -> None:
    """Tell the member an admin turned off their second factor, and how to set it up again."""
    link = tokens.external_url("account.two_factor")
    _queue(member.email, _l("Your two-factor sign-in was reset"), "two_factor_reset", member=member, link=link)
