"""The account e-mails: verification, password reset, change of address, sign-in links, and the notices that go with
them and with a sign-in from a new browser.

Each function adds the mail to the outbox in the caller's transaction, so it is sent only if the change it
belongs to is committed. Links carry signed tokens (services.tokens) and start with KINDRED_BASE_URL.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template

from app.models import LoginSession, Member
from app.services.mail.queue import queue_mail
from app.services.members import browsers, tokens
from app.services.members.language import in_recipients_language
from app.text.lazy import lazy_text as _l


def _queue(to: str, subject: str, template: str, *, member: Member, html: bool = False, **context: object) -> None:
    """Render the mail in the member's language (and time zone), whichever of their addresses it goes to; with
    `html`, an HTML part from `template`.html goes beside the plain text."""
    site_name = current_app.config["SITE_NAME"]
    with in_recipients_language(member):
        text = render_template(f"email/{template}.txt", site_name=site_name, member=member, **context)
        body_html = (
            render_template(f"email/{template}.html", site_name=site_name, member=member, **context) if html else None
        )
        queue_mail(to=to, subject=f"{str(subject)} · {site_name}", text=text, html=body_html)


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


def queue_new_sign_in_notice(member: Member, login_session: LoginSession) -> None:
    """Tell the member about a sign-in from a browser not seen before, so one they did not make is noticed."""
    _queue(
        member.email,
        _l("A new sign-in to your account"),
        "new_sign_in",
        member=member,
        browser=browsers.browser_name(login_session.browser),
        platform=browsers.platform_name(login_session.platform),
        moment=login_session.created_at,
        sessions_link=tokens.external_url("account.sessions"),
        reset_link=tokens.external_url("account.forgot_password"),
    )


def queue_sign_in_link(member: Member, token: str, *, requested_at: datetime, next_url: str | None = None) -> None:
    """Send a link that signs the member in once. It says when it was asked for, in the member's own time, and
    never from which network address: that would tell the member nothing and put an address in their inbox."""
    link = tokens.external_url("auth.email_link", token=token, next=next_url)
    context = {
        "link": link,
        "requested_at": requested_at,
        "minutes": int(tokens.MAX_AGE[tokens.EMAIL_LOGIN].total_seconds() // 60),
    }
    _queue(member.email, _l("Your sign-in link"), "sign_in_link", member=member, html=True, **context)


def queue_passkey_added_notice(member: Member, passkey_name: str) -> None:
    """Tell the member a passkey was added: one they did not add would open their account, so they must hear."""
    link = tokens.external_url("account.passkeys_list")
    _queue(
        member.email, _l("A passkey was added to your account"), "passkey_added", member=member, link=link,
        passkey_name=passkey_name,
    )  # fmt: skip


def queue_two_factor_reset_notice(member: Member) -> None:
    """Tell the member an admin turned off their second factor, and how to set it up again."""
    link = tokens.external_url("account.two_factor")
    _queue(member.email, _l("Your two-factor sign-in was reset"), "two_factor_reset", member=member, link=link)
