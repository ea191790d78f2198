"""The XSS corpus in a real browser (SECURITY.md #12-13): every text field that is rendered back is filled with the
payloads of ../shared/data/xss-payloads.txt, and Chromium loads the pages that show them.

No script may run: no dialog opens, no alert/confirm/prompt/print/open/document.write is called (the page's own are
replaced by recorders before any script runs), nothing is logged to the console, no page error, no request leaves
the site, and no element or attribute that could run code is in the page. The pages are loaded with the CSP
switched off, so this proves the escaping and the sanitiser themselves; the CSP is a second wall, not the first.

Many payloads share a page (a topic of replies, a list of titles), so the whole corpus needs only a few dozen loads.
The payloads live on a server of their own: they would otherwise show up in other tests' pages and screenshots.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from app.extensions import db
from app.models import Member, Role
from app.models.base import utcnow
from app.services import ServiceError
from app.services.common.submissions import DuplicateSubmission
from app.services.content.guidelines import current_number
from app.services.members.identity import clean_display_name, display_name_key
from tests.browser import world
from tests.browser.conftest import ARTIFACTS
from tests.browser.pages import sign_in
from tests.browser.server import Site, serve
from tests.support import read_corpus

PAYLOADS = read_corpus("xss-payloads.txt")
BIO_MAX = 300

# Runs before any of the page's scripts: the functions payloads call leave a mark instead of acting.
RECORDERS = """
window.__xss = [];
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
  window[name] = (...args) => { window.__xss.push(name + '(' + args.join(',') + ')'); };
}
for (const name of ['write', 'writeln']) {
  document[name] = (...args) => { window.__xss.push('document.' + name); };
}
"""
# Anything in the page that could run code or load from elsewhere.
FIND_INJECTED = """() => {
  const found = [...window.__xss];
  const ownScript = el => el.src && new URL(el.src).origin === location.origin
    && new URL(el.src).pathname.startsWith('/static/');
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'poster', 'background', 'xlink:href', 'srcdoc'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (tag === 'script' && !ownScript(el)) found.push('script: ' + el.outerHTML.slice(0, 80));
    if (['iframe', 'frame', 'object', 'embed', 'applet', 'svg', 'math', 'style', 'base', 'video', 'audio', 'img',
         'marquee', 'template', 'isindex'].includes(tag)) found.push('element: ' + el.outerHTML.slice(0, 80));
    if ((tag === 'meta' || tag === 'link') && el.closest('body')) found.push('element: ' + el.outerHTML.slice(0, 80));
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) found.push(`handler ${name} on ${tag}`);
      if (name === 'style') found.push(`style attribute on ${tag}`);
      const scheme = attr.value.replace(/[\\t\\n\\r]/g, '');
      if (urlAttributes.includes(name) && /^\\s*(javascript|vbscript|data):/i.test(scheme))
        found.push(`${name}=${attr.value.slice(0, 60)} on ${tag}`);
    }
    if (tag === 'a' && el.href && !['http:', 'https:', 'mailto:'].includes(new URL(el.href, location.href).protocol))
      found.push('link to ' + el.href.slice(0, 60));
  }
  if (!document.querySelector('footer.site-footer')) found.push('the page was rewritten');
  return found;
}"""


@dataclass
class Seeded:
    """Where each field's payloads can be read, and how many of them the app accepted."""

    paths: dict[str, list[str]] = field(default_factory=dict)
    stored: dict[str, int] = field(default_factory=dict)
    admin: world.Person | None = None


def _each(payloads: tuple[str, ...], store) -> int:  # noqa: ANN001
    """Store every payload the app accepts (refusing some is fine: the refusal is tested over HTTP elsewhere; two
    payloads that clean to the same words are one message sent twice, stored once)."""
    stored = 0
    for payload in payloads:
        try:
            store(payload)
        except (ServiceError, DuplicateSubmission):
            db.session.rollback()
        else:
            stored += 1
    return stored


def _bios(payloads: tuple[str, ...]) -> list[str]:
    """The payloads packed into as few bios as their length allows, one payload per line."""
    bios, current = [], ""
    for payload in (" ".join(p.split()) for p in payloads):
        if not payload or len(payload) > BIO_MAX:
            continue
        if current and len(current) + 1 + len(payload) > BIO_MAX:
            bios.append(current)
            current = ""
        current = f"{current}\n{payload}" if current else payload
    return [*bios, current] if current else bios


def _members_named(names: list[str]) -> list[Member]:
    """Members with these names, as far as the naming rules allow (the payloads are mostly refused).

    Inserted with one precomputed password hash: hashing hundreds of passwords would take minutes."""
    password_hash, seen, members = PasswordHasher().hash(world.PASSWORD), set(), []
    for name in names:
        try:
            name = clean_display_name(name)
        except ServiceError:
            continue
        key = display_name_key(name)
        if key in seen:
            continue
        seen.add(key)
        member = Member(email=f"xss{len(seen)}.{world.unique('n').split()[-1]}@example.org", display_name=name,
                        display_name_key=key, approved_posts=20, password_hash=password_hash, role=Role.MEMBER,
                        guidelines_accepted_at=utcnow(), guidelines_version=current_number())  # fmt: skip
        db.session.add(member)
        members.append(member)
    db.session.commit()
    return members


def _bulk(rows: list) -> int:  # noqa: ANN001
    db.session.add_all(rows)
    db.session.commit()
    return len(rows)


def _cleaned(clean, payloads: tuple[str, ...]) -> list[str]:  # noqa: ANN001
    """The payloads as the posting service's own cleaners store them; those it refuses are left out."""
    kept = []
    for payload in payloads:
        try:
            kept.append(clean(payload))
        except ServiceError:
            continue
    return kept


def seed_posts(seeded: Seeded, admin: Member) -> None:
    """Titles: one topic per payload; bodies: replies, a hundred to a topic page; names and bios of their authors.

    Titles and bodies are cleaned and cooked by the posting service's functions but inserted in one transaction:
    through start_topic()/reply() one by one they take half a minute on a busy machine."""
    from app.models import ContentStatus, Post, Topic
    from app.services.common.cleaning import clean_body, clean_title
    from app.services.community.groups import join_group
    from app.services.community.posting import reply, start_topic
    from app.services.members.profiles import update_profile
    from app.text.rendering import cook

    place = world.group(world.unique("Payloads"))
    join_group(admin, place)
    visible, body = ContentStatus.VISIBLE, "An ordinary body."
    topics = [
        Topic(group=place, author=admin, title=title, slug=f"payload-{n}", status=visible)
        for n, title in enumerate(_cleaned(clean_title, PAYLOADS))
    ]
    openings = [
        Post(topic=t, author=admin, raw=body, cooked=cook(body), is_opening=True, status=visible) for t in topics
    ]
    seeded.stored["topic titles"] = _bulk(topics + openings) // 2
    seeded.paths["topic titles"] = [f"/g/{place.slug}", "/search?q=script"]
    holder = start_topic(admin, place, "Replies with payloads", "Bodies follow.").topic
    replies = [
        Post(topic=holder, author=admin, raw=text, cooked=cook(text), status=visible)
        for text in _cleaned(clean_body, PAYLOADS)
    ]
    seeded.stored["post bodies"] = _bulk(replies)
    seeded.paths["post bodies"] = [f"/t/{holder.id}"]

    names = start_topic(admin, place, "Names", "Members named after the payloads reply below.").topic
    members = _members_named([payload[:30] for payload in PAYLOADS])  # a name has at most 30 characters
    for member in members:
        join_group(member, place)
        reply(member, names, "Hello.")
    seeded.stored["display names"] = len(members)
    seeded.paths["display names"] = [f"/t/{names.id}"] + [f"/u/{m.display_name}" for m in members]
    bios = _bios(PAYLOADS)
    holders = _members_named([f"Bio holder {n}" for n in range(len(bios))])
    for member, bio in zip(holders, bios, strict=True):
        update_profile(member, member, bio=bio, visibility="everyone")
    seeded.stored["bios"] = sum(bio.count("\n") + 1 for bio in bios)
    seeded.paths["bios"] = [f"/u/{m.display_name}" for m in holders]


def seed_staff_texts(seeded: Seeded, admin: Member) -> None:
    """Resources, guidelines (bodies, change notes, diffs), private messages and watched words."""
    from app.models import Delivery
    from app.services.content.guidelines import save_guidelines
    from app.services.content.resources import ResourceInput, create_resource
    from app.services.messages.conversations import send_message, start_conversation
    from app.services.moderation.watched_words import add_watched_word
    from app.services.notify.preferences import set_delivery

    entry = lambda p: create_resource(admin, ResourceInput(title=p, description=p, kind="article", body=p))  # noqa: E731
    seeded.stored["resource entries"] = _each(PAYLOADS, entry)
    chunks = [PAYLOADS[i : i + 50] for i in range(0, len(PAYLOADS), 50)]
    pages = [  # the pages' text is shown on the entry's own page: fifty payloads to a page
        create_resource(admin, ResourceInput(title=f"Page {n}", kind="guide", body="\n\n".join(chunk)))
        for n, chunk in enumerate(chunks)
    ]
    seeded.paths["resource entries"] = ["/resources"] + [f"/resources/{page.id}" for page in pages]

    first = current_number() + 1
    for n, chunk in enumerate(chunks):
        save_guidelines(admin, "\n\n".join(chunk), f"Version with payloads {n}", material=False, based_on=first - 1 + n)
    note = lambda p: save_guidelines(admin, f"Revision {p!r}", p, material=False, based_on=current_number())  # noqa: E731
    seeded.stored["guidelines"] = len(chunks) * 50 + _each(PAYLOADS, note)
    versions = range(first, first + len(chunks))
    seeded.paths["guidelines"] = ["/guidelines/history"] + [f"/guidelines?version={v}" for v in versions]
    seeded.paths["guidelines"] += [f"/guidelines/diff?from={v - 1}&to={v}" for v in versions]

    friend = world.member(world.unique("Pen Friend"))
    set_delivery(friend, "message", Delivery.NONE)  # an e-mail per message would triple the seeding time
    db.session.commit()
    subject = lambda p: start_conversation(admin, friend.display_name, p, "Hello.")  # noqa: E731
    seeded.stored["message subjects"] = _each(PAYLOADS, subject)
    seeded.paths["message subjects"] = ["/messages"]
    thread = start_conversation(admin, friend.display_name, "Payloads", "Bodies follow.")
    place = next(p for p in thread.participants if p.member_id == admin.id)
    seeded.stored["message bodies"] = _each(PAYLOADS, lambda p: send_message(admin, place, p))
    seeded.paths["message bodies"] = [f"/messages/{thread.id}"]

    seeded.stored["watched words"] = _each(PAYLOADS, lambda p: add_watched_word(admin, p, "flag"))
    seeded.paths["watched words"] = ["/mod/watched-words"]


@pytest.fixture(scope="module")
def payload_site(browser, site) -> Iterator[tuple[Site, Seeded]]:  # noqa: ANN001 - site: the main server's context
    """A second server whose database holds the payloads in every field."""
    with tempfile.TemporaryDirectory(prefix="kindred-xss-") as folder:
        (ARTIFACTS / "xss").mkdir(parents=True, exist_ok=True)
        with serve(Path(folder), ARTIFACTS / "xss") as payloads_site, payloads_site.app.test_request_context():
            admin = world.member(world.unique("Admin"), role=Role.ADMIN)
            seeded = Seeded(admin=world.person(admin))
            seed_posts(seeded, admin)
            seed_staff_texts(seeded, admin)
            db.session.remove()
            yield payloads_site, seeded


@pytest.fixture(scope="module")
def admin_state(browser, payload_site) -> dict:  # noqa: ANN001
    server, seeded = payload_site
    context = browser.new_context(base_url=server.url)
    sign_in(context.new_page(), seeded.admin)
    state = context.storage_state()
    context.close()
    return state


def watched_context(browser, url: str, state: dict):  # noqa: ANN001, ANN201
    """A signed-in context without CSP whose dialogs, console, errors and outside requests are all recorded."""
    context = browser.new_context(base_url=url, storage_state=state, bypass_csp=True)
    context.add_init_script(RECORDERS)
    signs: list[str] = []
    context.on("dialog", lambda dialog: (signs.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    context.on("console", lambda message: signs.append(f"console: {message.text}"))
    context.on("weberror", lambda error: signs.append(f"page error: {error.error}"))
    context.on("request", lambda r: None if r.url.startswith(url) else signs.append(f"request: {r.url}"))
    return context, signs


def injected_on(page, path: str) -> tuple[list[str], int]:  # noqa: ANN001
    """Load a page and every page its pagination links to; what ran or was injected, and how many pages."""
    found, queue, seen = [], [path], set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        page.goto(url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(20)  # autofocus handlers and failed loads fire just after "load"
        found += [f"{url}: {problem}" for problem in page.evaluate(FIND_INJECTED)]
        queue += page.locator(".pagination a[rel=next], .pagination a[rel=prev]").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    return found, len(seen)


FIELDS = ["topic titles", "post bodies", "display names", "bios", "resource entries", "guidelines", "message subjects",
          "message bodies", "watched words"]  # fmt: skip


@pytest.mark.parametrize("field_name", FIELDS)
def test_payloads_do_not_run_in_chromium(browser, payload_site, admin_state, field_name) -> None:  # noqa: ANN001
    """Pages showing every stored payload of this field run none of them and contain nothing injected."""
    server, seeded = payload_site
    # The naming rules refuse all but a few payloads as display names (letters, digits, spaces, - _ . ' only).
    enough = 1 if field_name == "display names" else len(PAYLOADS) // 2
    assert seeded.stored[field_name] >= enough, f"too few {field_name} were stored to test anything"
    context, signs = watched_context(browser, server.url, admin_state)
    page = context.new_page()
    problems, loaded = [], 0
    for path in seeded.paths[field_name]:
        found, pages = injected_on(page, path)
        problems += found
        loaded += pages
    context.close()
    assert loaded >= len(seeded.paths[field_name])
    assert signs + problems == []


def test_announcement_payloads_do_not_run_in_chromium(browser, payload_site, admin_state) -> None:  # noqa: ANN001
    """Announcements show on every page: one page load checks them all (created last, so only here)."""
    from app.services.content.announcements import create_announcement

    server, seeded = payload_site
    with server.app.test_request_context():
        admin = db.session.scalar(db.select(Member).where(Member.email == seeded.admin.email))
        stored = _each(PAYLOADS, lambda p: create_announcement(admin, p, None))
        db.session.remove()
    assert stored > len(PAYLOADS) // 2
    context, signs = watched_context(browser, server.url, admin_state)
    page = context.new_page()
    found, _ = injected_on(page, "/guidelines")
    banners = page.locator(".banner-body").count()
    context.close()
    assert banners == stored
    assert signs + found == []
