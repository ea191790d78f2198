"""Atom feeds, the sitemap and robots.txt: only what any visitor could read, whoever is asking."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app.community.queries import group_or_404, topic_or_404
from app.feeds import bp
from app.feeds.queries import latest_opening_posts, latest_topic_posts, sitemap_groups, sitemap_topics
from app.models import Post
from app.models.base import utcnow
from app.permissions import PUBLIC, access, is_public_group, is_public_topic

ATOM = "application/atom+xml"
FEED_MAX_AGE = 300  # seconds: feed readers poll, and feeds are the same for everyone
# Characters XML 1.0 forbids even escaped (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _community_language() -> AbstractContextManager[None]:
    """Feeds are the same for everyone and cached publicly (readers send no cookie): they are written in the
    community's default language, never in the language of whoever asked first."""
    return force_locale(current_app.config["DEFAULT_LOCALE"])


def xml_text(text: str) -> str:
    """Text that an XML parser accepts: what members typed may hold characters XML cannot carry."""
    return XML_ILLEGAL.sub("", text)


def atom_date(moment: datetime) -> str:
    """RFC 3339 in UTC, as Atom requires."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    url: str
    author: str
    published: str
    updated: str
    html: str


def _entry(post: Post, *, as_topic: bool) -> Entry:
    """A post as a feed entry; in topic lists the entry stands for the topic its opening post starts."""
    topic = post.topic
    if as_topic:
        ident = url_for("community.topic", topic_id=topic.id, _external=True)
        url = url_for("community.topic", topic_id=topic.id, slug=topic.slug, _external=True)
        title = topic.title
    else:
        ident = url = url_for("community.post", post_id=post.id, _external=True)
        title = topic.title if post.is_opening else _("Re: %(title)s", title=topic.title)
    return Entry(
        id=ident,
        title=xml_text(title),
        url=url,
        author=xml_text(post.author.display_name if post.author else _("Former member")),
        published=atom_date(post.created_at),
        updated=atom_date(post.edited_at or post.created_at),
        html=xml_text(post.cooked),  # sanitised at write time by app.text.rendering; escaped again by the template
    )


def _feed(title: str, html_url: str, entries: list[Entry], subtitle: str = "") -> Response:
    body = render_template(
        "feeds/atom.xml",
        self_url=url_for(request.endpoint or "feeds.latest", _external=True, **(request.view_args or {})),
        title=xml_text(title),
        subtitle=xml_text(subtitle),
        html_url=html_url,
        entries=entries,
        updated=max((e.updated for e in entries), default=atom_date(utcnow())),
    )
    response = Response(body, mimetype=ATOM)
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE
    return response


@bp.route("/feeds/latest.atom")
@access(PUBLIC)
def latest():  # noqa: ANN201
    with _community_language():
        entries = [_entry(post, as_topic=True) for post in latest_opening_posts()]
        title = _("Latest topics · %(site)s", site=current_app.config["SITE_NAME"])
        return _feed(title, url_for("main.index", _external=True), entries)


@bp.route("/feeds/g/<slug>.atom")
@access(PUBLIC)
def group(slug: str):  # noqa: ANN201
    group = group_or_404(slug)
    if not is_public_group(group):
        abort(404)
    html_url = url_for("community.group", slug=group.slug, _external=True)
    with _community_language():
        entries = [_entry(post, as_topic=True) for post in latest_opening_posts(group)]
        title = _("%(group)s · %(site)s", group=group.name, site=current_app.config["SITE_NAME"])
        return _feed(title, html_url, entries, group.description)


@bp.route("/feeds/t/<int:topic_id>.atom")
@access(PUBLIC)
def topic(topic_id: int):  # noqa: ANN201
    topic = topic_or_404(topic_id)
    if not is_public_topic(topic):
        abort(404)
    html_url = url_for("community.topic", topic_id=topic.id, slug=topic.slug, _external=True)
    with _community_language():
        entries = [_entry(post, as_topic=False) for post in latest_topic_posts(topic)]
        return _feed(topic.title, html_url, entries)


@bp.route("/sitemap.xml")
@access(PUBLIC)
def sitemap():  # noqa: ANN201
    body = render_template("feeds/sitemap.xml", groups=sitemap_groups(), topics=sitemap_topics(), atom_date=atom_date)
    return Response(body, mimetype="application/xml")


@bp.route("/robots.txt")
@access(PUBLIC)
def robots():  # noqa: ANN201
    body = render_template("feeds/robots.txt")
    return Response(body, mimetype="text/plain")
