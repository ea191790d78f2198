"""The one polite e-mail back when a reply by e-mail could not be posted.

Never to a machine (the caller has already dropped auto-replies and bounces), at most one an hour per member, no
Reply-To (an answer to it goes nowhere) and marked Auto-Submitted, so no auto-responder answers it in turn."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template
from flask_babel import get_locale
from sqlalchemy import select

from app.extensions import db
from app.models import MailReply, Member
from app.models.base import utcnow
from app.services.mail.queue import queue_mail
from app.services.members.language import in_recipients_language
from app.services.moderation.settings import crisis_panel
from app.text.lazy import lazy_text as _l
from app.text.rendering import cook_markup

ANSWER_EVERY = timedelta(hours=1)
REASONS = {
    "expired": _l("The e-mail you answered is too old to be answered by e-mail, so your reply was not posted."),
    "cannot_post": _l(
        "You can no longer write there (the topic may be locked or closed, or the conversation ended), so your "
        "reply was not posted."
    ),
    "empty": _l(
        "We found no new text in your e-mail, so nothing was posted. Please write your answer above the quoted e-mail."
    ),
    "refused": _l("Your reply was not posted because of this problem:"),
}


def answered_lately(member_id: int) -> bool:
    """Has this member had an answer from us in the last hour?"""
    since = utcnow() - ANSWER_EVERY
    query = select(MailReply.id).where(
        MailReply.member_id == member_id, MailReply.answered.is_(True), MailReply.received_at > since
    )
    return db.session.scalar(query.limit(1)) is not None


def queue_answer(member: Member, reason: str, link: str, problem: str = "") -> bool:
    """Queue the polite answer (caller commits); False when one went out within the hour."""
    if answered_lately(member.id):
        return False
    site_name = current_app.config["SITE_NAME"]
    with in_recipients_language(member):
        context = {
            "member": member,
            "reason": REASONS[reason],
            "problem": problem,
            "link": link,
            "site_name": site_name,
        }
        queue_mail(
            to=member.email,
            subject=f"{_l('Your reply by e-mail was not posted')} · {site_name}",
            text=render_template("mailin/not_posted.txt", **context),
            html=render_template("mailin/not_posted.html", **context),
            headers={"Auto-Submitted": "auto-replied"},
        )
    return True


def queue_crisis_support(member: Member, link: str) -> None:
    """After a reply by e-mail held for crisis words: the support panel the web shows at that moment, by e-mail
    (always: it answers a person, never a machine). Caller commits."""
    site_name = current_app.config["SITE_NAME"]
    with in_recipients_language(member):
        panel = crisis_panel(str(get_locale()), current_app.config["DEFAULT_LOCALE"])
        context = {"member": member, "panel_text": panel, "panel": cook_markup(panel), "link": link}
        context["site_name"] = site_name
        queue_mail(
            to=member.email,
            subject=f"{_l('You are not alone')} · {site_name}",
            text=render_template("mailin/crisis.txt", **context),
            html=render_template("mailin/crisis.html", **context),
            headers={"Auto-Submitted": "auto-replied"},
        )
