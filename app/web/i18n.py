"""Which language and time zone a page is written in.

The member's saved choice comes first, then the `kindred_lang` cookie (set by the footer's language switch), then
the best match of the browser's Accept-Language, then the community's default. `visitor_locale` needs nothing but
the request, so the page cache can key visitors' pages on it before anyone is loaded.
"""

from __future__ import annotations

from pathlib import Path

from babel import Locale
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import escape
from sqlalchemy.exc import SQLAlchemyError
from werkzeug import Response

from app.models import Member
from app.services.members.language import recipient_timezone

# Flask-Babel's lazy strings (form labels, refusals, label tables) tell Jinja and WTForms they are already safe HTML
# (`__html__` returns the text as it is), which would skip autoescaping for every one of them. They are plain text:
# escape them like any other string, so a translation can never inject markup.
LazyString.__html__ = lambda self: escape(str(self))

COOKIE = "kindred_lang"
COOKIE_SECONDS = 365 * 24 * 3600


def shipped_locales(translations: Path) -> tuple[str, ...]:
    """English, the source language, and every language with a catalogue (a test keeps each one complete)."""
    return ("en", *sorted(po.parent.parent.name for po in translations.glob("*/LC_MESSAGES/messages.po")))


def configure(app: Flask) -> None:
    """Settle the languages on offer; a typo in KINDRED_LOCALES or KINDRED_DEFAULT_LOCALE would silently show
    English, so it stops the app from starting instead."""
    shipped = shipped_locales(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))
    locales = tuple(app.config["LOCALES"]) or shipped
    default = app.config["DEFAULT_LOCALE"]
    unknown = [code for code in (*locales, default) if code not in shipped]
    if unknown:
        raise RuntimeError(
            f"Unknown language {unknown[0]!r} in KINDRED_LOCALES or KINDRED_DEFAULT_LOCALE: "
            f"Kindred has {', '.join(shipped)}."
        )
    if default not in locales:
        raise RuntimeError(f"KINDRED_DEFAULT_LOCALE={default} is not one of KINDRED_LOCALES ({', '.join(locales)}).")
    app.config["LOCALES"] = locales
    app.config["BABEL_DEFAULT_LOCALE"] = default
    # Each offered language named in itself ("Español", "العربية"), so readers find theirs whatever the page's
    # language: fixed once the app starts, and shown in every page's footer.
    app.extensions["kindred_language_names"] = [(code, _own_name(code)) for code in locales]


def _own_name(code: str) -> str:
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def enabled_locales() -> tuple[str, ...]:
    return current_app.config["LOCALES"]


def visitor_locale() -> str:
    """The language for this browser when nobody is signed in, from the request alone."""
    chosen = request.cookies.get(COOKIE, "")
    if chosen in enabled_locales():
        return chosen
    return request.accept_languages.best_match(enabled_locales()) or current_app.config["DEFAULT_LOCALE"]


def _member() -> Member | None:
    if not has_request_context():
        return None
    try:
        member = current_user._get_current_object()
    except SQLAlchemyError:  # the database is away: the error page still needs a language
        return None
    return member if isinstance(member, Member) else None


def select_locale() -> str:
    if not has_request_context():  # CLI and mail worker: e-mails pick the recipient's language with force_locale
        return current_app.config["DEFAULT_LOCALE"]
    member = _member()
    if member is not None and member.locale in enabled_locales():
        return member.locale
    return visitor_locale()


def select_timezone() -> str:
    member = _member()
    return recipient_timezone(member) if member is not None else "UTC"


def text_direction() -> str:
    return "rtl" if get_locale().character_order == "right-to-left" else "ltr"


def page_locale() -> str:
    """The code of the language this page is written in ("es"), for choosing a text staff wrote in several."""
    return str(get_locale())


def language_name(code: str) -> str:
    """A language's name in the page's language ("alemán" on a Spanish page), for sentences that name it."""
    return Locale.parse(code).get_display_name(get_locale()) or code


def language_direction(code: str) -> str:
    """Which way a text in `code` runs, for the `dir` beside the `lang` of a text in another language."""
    return "rtl" if Locale.parse(code).character_order == "right-to-left" else "ltr"


def language_names() -> list[tuple[str, str]]:
    """(code, the language's name in itself) for each language on offer."""
    return current_app.extensions["kindred_language_names"]


def remember_language(response: Response, code: str) -> Response:
    """Keep the browser's choice for a year (for visitors, and for members once they sign out)."""
    response.set_cookie(
        COOKIE,
        code,
        max_age=COOKIE_SECONDS,
        samesite="Lax",
        httponly=True,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


def register(app: Flask) -> None:
    app.jinja_env.globals["text_direction"] = text_direction
    app.jinja_env.globals["language_names"] = language_names
    app.jinja_env.globals["page_locale"] = page_locale
    app.jinja_env.globals["language_name"] = language_name
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.globals["language_direction"] = language_direction
