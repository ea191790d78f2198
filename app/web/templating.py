"""Helpers available in every template."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask, g
from flask_babel import format_date, format_datetime, format_timedelta, gettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from app import permissions
from app.drafts.composing import composer_draft
from app.extensions import db
from app.mod.queries import count_open_items
from app.models import Notification
from app.permissions.common import as_member
from app.services.content.announcements import Banner, with_announcements
from app.services.moderation.reasons import shown_reasons, split_note
from app.web.forms import EmptyForm
from app.web.i18n import page_locale
from app.web.pictures import may_post_pictures, shown_picture_url, upload_limits
from app.web.text_size import SIZES, text_size
from app.web.url_cache import id_url

# Whole units, largest first: "1 hour ago" until two full hours have passed, as people count.
_UNITS = (("year", 31_536_000), ("month", 2_592_000), ("day", 86_400), ("hour", 3600), ("minute", 60))


def time_ago(moment: datetime | None) -> str:
    """ "3 hours ago" in the page's language; the exact time goes in the <time> element's title."""
    if moment is None:
        return gettext("never")
    seconds = int((datetime.now(UTC) - moment).total_seconds())
    for unit, size in _UNITS:
        if seconds >= size:
            past = timedelta(seconds=-(seconds // size) * size)
            return format_timedelta(past, granularity=unit, threshold=1, add_direction=True)
    return gettext("just now")


def exact_time(moment: datetime) -> str:
    """Date and time in the reader's time zone, the zone named ("2 Dec 2026, 17:05 UTC" for visitors)."""
    return format_datetime(moment, "d MMM y, HH:mm zzz")


def day(moment: datetime | date, style: str = "medium") -> str:
    """A date alone, written the locale's way ("2 Dec 2026", "2 dic 2026"); style "long" spells the month."""
    return format_date(moment, style)


def month(moment: datetime) -> str:
    """Month and year ("December 2026"), as in "Member since"."""
    return format_date(moment, "LLLL y")


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["time_ago"] = time_ago
    app.jinja_env.filters["exact_time"] = exact_time
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["month"] = month
    app.jinja_env.filters["shown_reasons"] = shown_reasons  # review reasons are stored in English
    app.jinja_env.globals["split_note"] = split_note
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
    app.jinja_env.globals["NOT_JOINED"] = permissions.NOT_JOINED
    app.jinja_env.globals["GUIDELINES_CHANGED"] = permissions.GUIDELINES_CHANGED
    # A global, not a context variable: macros imported without context (the `button` macro) see only globals.
    app.jinja_env.globals["button_form"] = button_form

    # Globals, not context variables, so macros imported without context can ask too.
    app.jinja_env.globals["can"] = _can
    app.jinja_env.globals["second_factor_needed"] = _second_factor_needed
    app.jinja_env.globals["nav_counts"] = nav_counts
    app.jinja_env.globals["text_size"] = text_size
    app.jinja_env.globals["TEXT_SIZES"] = SIZES
    app.jinja_env.globals["composer_draft"] = composer_draft  # templates/drafts/_composer.html
    app.jinja_env.globals["id_url"] = id_url  # url_for for links repeated per row (app/web/url_cache.py)
    app.jinja_env.globals["picture_url"] = shown_picture_url
    app.jinja_env.globals["upload_limits"] = upload_limits
    app.jinja_env.globals["may_post_pictures"] = may_post_pictures


class ButtonForm:
    """What a one-button POST form needs: the hidden CSRF field, rendered once per request.

    A topic page has a few dozen such buttons for a member; building and rendering a form for each one cost more
    than the rest of the page. They all carry the same token anyway."""

    def __init__(self) -> None:
        # formdata=None: the layout's buttons never read the request body (an oversized one would raise again
        # while its error page renders).
        self.csrf_token = Markup(EmptyForm(formdata=None).csrf_token())  # noqa: S704 - WTForms' own escaped rendering


def button_form() -> ButtonForm:
    """The hidden CSRF field of every one-button POST on this page (the `button` macro asks for it)."""
    form = g.get("kindred_button_form")
    if form is None:
        form = g.kindred_button_form = ButtonForm()
    return form


def _can(action: str, target: object) -> bool:
    # The member itself, not the proxy: a topic page asks a hundred questions, each of many attribute reads.
    return permissions.can(current_user._get_current_object(), action, target)


def _second_factor_needed() -> bool:
    """The signed-in member's role waits for a second factor: the menu shows the way to set it up."""
    return permissions.enrolment_required(as_member(current_user._get_current_object()))


def _banners(rows: Any) -> list[Banner]:
    return [Banner(row.Announcement, row.AnnouncementTranslation) for row in rows if row.Announcement]


def nav_counts() -> dict[str, Any]:
    """Unread notifications with the announcements banner in the page's language (one query together), and open
    review items for the moderation team (one query)."""
    if not current_user.is_authenticated:
        return {"announcements": _banners(db.session.execute(with_announcements(None, page_locale())).unique())}
    unread = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.member_id == current_user.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    rows = db.session.execute(with_announcements(current_user, page_locale(), unread)).unique().all()
    counts = {"unread": rows[0].figure or 0, "announcements": _banners(rows)}
    if permissions.can(current_user, "view_queue", None):
        counts["queue"] = count_open_items(current_user)
    return counts
