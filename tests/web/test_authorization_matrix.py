"""Who may reach what: every route of the URL map × method × role, object-level refusals, and CSRF on every POST."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, request
from sqlalchemy import event, select
from werkzeug.routing.converters import AnyConverter

from app import permissions
from app.extensions import db
from app.models import (
    Bookmark,
    ContentStatus,
    EventQuestion,
    Group,
    Member,
    MemberStatus,
    ModeratorScope,
    Notification,
    Passkey,
    Post,
    Role,
    Topic,
    WatchAction,
    WatchedWord,
    Webhook,
)
from app.models.announcements import Announcement
from app.models.messages import Message, MessageReport
from app.models.moderation import FlagReason, ReviewKind
from app.models.resources import Resource, ResourceKind
from app.permissions import MENTORING, PUBLIC, SIGNED_IN, STAFF, TEAM
from app.permissions.routes import LEVELS, access_level
from app.services.members.accounts import start_session
from app.services.moderation.queue import open_review
from app.services.notify.preferences import unsubscribe_token
from app.text.rendering import cook
from app.web.drafts import composer_of
from tests.conftest import FormClient, sign_in
from tests.factories import make_conversation, make_event, make_group, make_member, make_post, make_topic
from tests.support import browser

# Who each role is, and which access levels it may reach besides public pages.
ROLES: dict[str, tuple[dict, frozenset[str]]] = {
    "anonymous": ({}, frozenset()),
    "member": ({"approved_posts": 1}, frozenset({SIGNED_IN})),
    "suspended": ({"status": MemberStatus.SUSPENDED, "suspension_reason": "Testing"}, frozenset({SIGNED_IN})),
    "trusted": ({"approved_posts": 10}, frozenset({SIGNED_IN})),
    "newcomer": ({"approved_posts": 0}, frozenset({SIGNED_IN})),
    "mentor": ({"role": Role.MENTOR}, frozenset({SIGNED_IN, MENTORING})),
    "moderator": ({"role": Role.MODERATOR}, frozenset({SIGNED_IN, MENTORING, TEAM})),
    "scoped_moderator": ({"role": Role.MODERATOR}, frozenset({SIGNED_IN, MENTORING, TEAM})),
    "staff": ({"role": Role.STAFF}, frozenset({SIGNED_IN, MENTORING, TEAM, STAFF})),
    "admin": ({"role": Role.ADMIN}, frozenset({SIGNED_IN, MENTORING, TEAM, STAFF})),
}
JOINED = ("member", "suspended", "trusted", "newcomer", "mentor")
WALK_LAST = {"community.leave": 1, "auth.logout": 2}
# Steps in the middle of signing in: reached by anyone, and back to /login when no sign-in was started here. The
# organisation's provider (auth.oidc_login, auth.oidc_callback) is off here, so its routes answer 404 to everyone;
# members/test_oidc.py walks them with a provider.
SIGN_IN_STEPS = frozenset({"auth.two_factor", "auth.oidc_callback"})


@dataclass
class World:
    """Ids of real rows for every URL argument; plain values, since some requests delete their target."""

    home: int  # a group the members joined; the scoped moderator does not look after it
    home_slug: str
    other: int  # the only group the scoped moderator looks after
    topic: int  # the author's topic in `home`, and its slug
    topic_slug: str
    post: int  # the author's reply in that topic, flagged
    item: int  # the open review item on that reply
    other_topic: int  # the same three in `other`
    other_post: int
    other_item: int
    word: int
    notification: int  # the author's
    resource: int  # a library entry linked to `home`
    announcement: int  # a site-wide banner
    author: Member  # writes everything above; the member that moderators act on
    actors: dict[str, Member] = field(default_factory=dict)
    conversation: int = 0  # between the author and someone else: no actor takes part in it
    message: int = 0  # the other participant's message in it, reported by the author
    message_report: int = 0
    bookmark: int = 0  # the author's bookmark on their own reply
    login_session: int = 0  # one of the author's signed-in browsers: no actor may sign it out
    passkey: int = 0  # the author's passkey
    event: int = 0  # an upcoming event in `home`, with a place or two, collecting questions
    question: int = 0  # the author's published question to it
    webhook: int = 0  # a staff webhook to a receiver that does not exist (its test delivery just fails)

    def url_values(self, argument: str, endpoint: str) -> str | int:
        """A real value for a URL argument, by its name."""
        values = {
            "slug": self.topic_slug if endpoint == "community.topic" else self.home_slug,
            "group_id": self.home,
            "topic_id": self.topic,
            "post_id": self.post,
            "item_id": self.item,
            "member_id": self.author.id,
            "notification_id": self.notification,
            "word_id": self.word,
            "resource_id": self.resource,
            "announcement_id": self.announcement,
            "name": self.author.display_name,
            "filename": "kindred.css",
            "conversation_id": self.conversation,
            "message_id": self.message,
            "report_id": self.message_report,
            "number": 1,  # a post's first kept version
            "bookmark_id": self.bookmark,
            "session_id": self.login_session,
            "passkey_id": self.passkey,
            "event_id": self.event,
            "question_id": self.question,
            "webhook_id": self.webhook,
            "picture_id": 1,  # none exists: the view answers 404 after the gate
            "phrase_id": 1,  # no staff nudge phrase exists: the view answers 404 after the gate
            "token": "not-a-real-token",  # e-mail links: a bad token answers 400 and changes nothing
        }
        if endpoint == "notify.unsubscribe":  # a genuine link, so the walk reaches the confirm page and the POST
            values["token"] = unsubscribe_token(self.author.id, "message")
        assert argument in values, f"no test value for <{argument}> of {endpoint}: add one to World.url_values"
        return values[argument]


def _flagged_thread(group, author: Member) -> tuple[Topic, Post, int]:  # noqa: ANN001
    topic = make_topic(group=group, author=author)
    post = make_post(topic=topic, author=author, body="Have you tried this?")
    item = open_review(post, ReviewKind.FLAGGED_POST, ["Flagged by members"])
    db.session.commit()
    return topic, post, item.id


def _private_conversation(author: Member) -> dict[str, int]:
    """A conversation between the author and a member who is no actor, with a message the author reported."""
    conversation = make_conversation(make_member(display_name="Pat Participant"), author, bodies=("Private words",))
    message = db.session.scalar(select(Message).where(Message.conversation_id == conversation.id))
    report = MessageReport(message_id=message.id, reporter_id=author.id, reason=FlagReason.HARASSMENT)
    db.session.add(report)
    db.session.commit()
    return {"conversation": conversation.id, "message": message.id, "message_report": report.id}


@pytest.fixture
def world(app: Flask) -> World:
    """One member per role, two groups, a flagged thread in each, a watched word and someone's notification."""
    actors = {role: make_member(**fields) for role, (fields, _) in ROLES.items() if role != "anonymous"}
    author = make_member(display_name="Ann Author")
    home = make_group(members=(author, *(actors[role] for role in JOINED)))
    other = make_group()
    db.session.add(ModeratorScope(member_id=actors["scoped_moderator"].id, group_id=other.id))
    topic, post, item = _flagged_thread(home, author)
    other_topic, other_post, other_item = _flagged_thread(other, author)
    word = WatchedWord(phrase="miracle cure", phrase_key="miracle cure", action=WatchAction.HOLD)
    notification = Notification(member_id=author.id, kind="post_approved", message="Approved.", link=f"/p/{post.id}")
    resource = Resource(title="Living with it", kind=ResourceKind.ARTICLE, url="https://example.org/", groups=[home])
    announcement = Announcement(raw="Welcome", cooked=cook("Welcome"))
    bookmark = Bookmark(member_id=author.id, topic_id=topic.id, post_id=post.id, note="Private to Ann")
    passkey = Passkey(member_id=author.id, credential_id=b"ann", public_key=b"ann", user_handle=b"ann", name="Ann's")
    webhook = Webhook(url="https://hooks.receiver.invalid/kindred", secret="matrix-secret-value", events=[])
    db.session.add_all([word, notification, resource, announcement, bookmark, passkey, webhook])
    db.session.commit()
    return World(
        home.id, home.slug, other.id, topic.id, topic.slug, post.id, item, other_topic.id, other_post.id, other_item,
        word.id, notification.id, resource.id, announcement.id, author, actors,
        **_private_conversation(author), bookmark=bookmark.id, login_session=start_session(author).id,
        passkey=passkey.id, webhook=webhook.id, **_event_with_question(home, author),
    )  # fmt: skip


def _event_with_question(home: Group, author: Member) -> dict[str, int]:
    """An upcoming event in `home` with a place or two, collecting questions, and the author's published question."""
    event = make_event(group=home, capacity=3, questions=True)
    question = EventQuestion(
        event_id=event.id, author_id=author.id, body="Can I swim?", body_html=cook("Can I swim?"),
        status=ContentStatus.VISIBLE,
    )  # fmt: skip
    db.session.add(question)
    db.session.commit()
    return {"event": event.id, "question": question.id}


def route_cases(app: Flask, world: World) -> list[tuple[str, str, str]]:
    """(method, path, endpoint) for every URL rule and method, each choice of an any() converter included.
    GETs come first, then POSTs, leaving the group and signing out last, so the walk keeps its footing."""
    cases = []
    for rule in app.url_map.iter_rules():
        choices = [{}]
        for name, converter in rule._converters.items():
            options = sorted(converter.items) if isinstance(converter, AnyConverter) else [None]
            choices = [
                {**c, name: o if o is not None else world.url_values(name, rule.endpoint)}
                for c in choices
                for o in options
            ]
        for values in choices:
            path = rule.build(values, append_unknown=False)[1]
            cases += [(method, path, rule.endpoint) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return sorted(cases, key=lambda case: (case[0] == "POST", WALK_LAST.get(case[2], 0), case[1]))


def snapshot() -> dict[str, list[str]]:
    """Every row of every table: equal snapshots mean nothing was written."""
    db.session.rollback()  # read what the requests committed, not an older view
    return {
        table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        for table in db.metadata.sorted_tables
    }


def signed_in(app: Flask, member: Member) -> FormClient:
    """A browser with a real login session for `member`."""
    client: FormClient = app.test_client()  # type: ignore[assignment]
    sign_in(client, member)
    return client


def expected_outcome(level: str, role: str) -> str:
    """What the gate should do with this role on a page of this access level."""
    if level == PUBLIC or level in ROLES[role][1]:
        return "reached"
    return "sign in" if role == "anonymous" else "forbidden"


@pytest.fixture
def writes(app: Flask) -> Iterator[list[str]]:
    """The INSERT, UPDATE and DELETE statements run from here on: an empty list means nothing was written."""
    statements: list[str] = []

    def record(conn, cursor, statement: str, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield statements
    event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def gate_verdicts(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The first gate's verdict on each request (None: let through to the view), observed, not predicted."""
    verdicts: list[str | None] = []
    real = permissions.route_refusal

    def observed(actor, endpoint):  # noqa: ANN001, ANN202
        verdicts.append(real(actor, endpoint))
        return verdicts[-1]

    monkeypatch.setattr(permissions, "route_refusal", observed)
    return verdicts


def form_page(app: Flask, method: str, path: str, endpoint: str) -> str:
    """Where sign-in leads back to: the page itself, or for a composer's POST the page showing its form."""
    with app.test_request_context(path, method=method):
        declared = composer_of(endpoint)
        return declared.page(request.view_args or {}) if declared and declared.page else path


def test_every_route_has_an_access_rule(app: Flask) -> None:
    """Every endpoint of the URL map declares an access level with @access, so a new route without one fails here."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    with app.app_context():
        levels = {endpoint: access_level(endpoint) for endpoint in endpoints}
    assert sorted(endpoint for endpoint, level in levels.items() if level is None) == []
    assert set(levels.values()) <= LEVELS == {PUBLIC, SIGNED_IN, MENTORING, TEAM, STAFF}


@pytest.mark.own_app
def test_route_without_a_rule_is_refused_even_to_admins(app: Flask, world: World) -> None:
    """A route added without an @access level is closed to everyone until someone gives it a rule."""
    app.add_url_rule("/unruled", "unruled", lambda: "open")
    response = signed_in(app, world.actors["admin"]).get("/unruled")
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(app: Flask, world: World, role: str, gate_verdicts: list, writes: list, subtests) -> None:  # noqa: ANN001
    """Each route × method answers this role as its access level says, never with a server error."""
    client = browser(app, world.actors.get(role))
    token = client.csrf_token()
    for method, path, endpoint in route_cases(app, world):
        with app.app_context():
            level = access_level(endpoint)
        outcome = expected_outcome(level, role)
        with subtests.test(msg=f"{method} {path} → {outcome}"):
            gate_verdicts.clear()
            writes.clear()
            response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
            response.close()
            assert response.status_code < 500
            assert len(gate_verdicts) == 1
            to_login = response.status_code == 302 and urlsplit(response.location).path == "/login"
            if outcome == "reached":
                assert gate_verdicts[0] is None, gate_verdicts[0]
                assert not to_login or endpoint in SIGN_IN_STEPS
                continue
            assert gate_verdicts[0] is not None
            if outcome == "sign in":
                assert to_login
                assert parse_qs(urlsplit(response.location).query)["next"] == [form_page(app, method, path, endpoint)]
            else:
                assert response.status_code == 403
            assert writes == [], "a refused request wrote to the database"


# Pages that exist only with their setting on (404 otherwise, as the walk above sees them): walked with it on.
SETTING_PAGES = {"EMAIL_LOGIN": frozenset({"auth.email_link_request", "auth.email_link"})}


@pytest.mark.parametrize("setting", SETTING_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_pages_behind_a_setting(
    app: Flask,
    world: World,
    role: str,
    setting: str,
    gate_verdicts: list,
    writes: list,
    subtests,  # noqa: ANN001
) -> None:
    """With the setting on, each of its routes lets every role past the gate (they are public), answers without a
    server error, and a request carrying no real token or address writes nothing."""
    app.config[setting] = True
    client = browser(app, world.actors.get(role))
    token = client.csrf_token()
    cases = [case for case in route_cases(app, world) if case[2] in SETTING_PAGES[setting]]
    assert {case[2] for case in cases} == SETTING_PAGES[setting]
    for method, path, endpoint in cases:
        with app.app_context():
            assert access_level(endpoint) == PUBLIC
        with subtests.test(msg=f"{method} {path}"):
            gate_verdicts.clear()
            writes.clear()
            response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
            assert gate_verdicts == [None]
            assert response.status_code in ((302,) if role != "anonymous" else (400, 422))
            assert writes == [], "a request without a real token or address wrote to the database"


# Object-level rules: past the gate, the view still checks whose post, whose notification, which group.


def _refused_and_unchanged(client, requests: list[tuple[str, str, dict | None]], status: int) -> None:  # noqa: ANN001
    before = snapshot()
    for method, path, data in requests:
        response = client.post_form(path, data) if method == "POST" else client.get(path)
        assert response.status_code == status, f"{method} {path}"
    assert snapshot() == before


@pytest.mark.parametrize("role", ["member", "trusted", "mentor", "scoped_moderator"])
def test_another_members_post_cannot_be_edited_or_deleted(app: Flask, world: World, role: str) -> None:
    """Editing or deleting someone else's post is refused with 403 to all but the group's moderators (whose edits
    tests/community/test_revision_redaction.py covers), and the post stays as it was."""
    client = signed_in(app, world.actors[role])
    edit, delete = f"/p/{world.post}/edit", f"/p/{world.post}/delete"
    requests = [("GET", edit, None), ("POST", edit, {"body": "Rewritten by someone else"}), ("POST", delete, {})]
    _refused_and_unchanged(client, requests, 403)


def test_the_author_may_edit_and_delete_that_post(app: Flask, world: World) -> None:
    """The same requests from the post's author go through: the refusals above are about ownership."""
    client = signed_in(app, world.author)
    assert client.post_form(f"/p/{world.post}/edit", {"body": "Rewritten by me"}).status_code == 302
    assert client.post_form(f"/p/{world.post}/delete").status_code == 302
    assert db.session.get(Post, world.post).status == ContentStatus.DELETED


@pytest.mark.parametrize("role", ["member", "moderator", "admin"])
def test_another_members_notification_is_not_found(app: Flask, world: World, role: str) -> None:
    """Opening or marking read someone else's notification answers 404, like a missing one, and marks nothing."""
    client = signed_in(app, world.actors[role])
    notification = f"/notifications/{world.notification}"
    _refused_and_unchanged(client, [("GET", f"{notification}/open", None), ("POST", f"{notification}/read", {})], 404)


def test_the_owner_may_open_that_notification(app: Flask, world: World) -> None:
    """The notification's owner follows its link and it is marked read."""
    client = signed_in(app, world.author)
    assert client.get(f"/notifications/{world.notification}/open").location == f"/p/{world.post}"
    assert db.session.get(Notification, world.notification).read_at is not None


# Each action a moderator takes on a topic, post or review item: (request, what the target must be beforehand).
SCOPED_ACTIONS = {
    "lock topic": (("POST", "/mod/topics/{topic}/lock", {"reason": "Cooling off"}), None),
    "unlock topic": (("POST", "/mod/topics/{topic}/unlock", {"reason": "Calm again"}), "locked"),
    "move form": (("GET", "/mod/topics/{topic}/move", None), None),
    "move topic": (("POST", "/mod/topics/{topic}/move", {"group": "{other}", "reason": "Fits better"}), None),
    "hide topic form": (("GET", "/mod/topics/{topic}/hide", None), None),
    "hide topic": (("POST", "/mod/topics/{topic}/hide", {"reason": "Off topic"}), None),
    "delete topic": (("POST", "/mod/topics/{topic}/delete", {"reason": "Spam"}), None),
    "restore topic": (("POST", "/mod/topics/{topic}/restore", {"reason": "Fine after all"}), "hidden topic"),
    "hide post": (("POST", "/mod/posts/{post}/hide", {"reason": "Unkind"}), None),
    "restore post": (("POST", "/mod/posts/{post}/restore", {"reason": "Fine after all"}), "hidden post"),
    "decide item": (("POST", "/mod/items/{item}/decide", {"action": "hide", "note": "Misleading"}), None),
    "edit item form": (("GET", "/mod/items/{item}/edit", None), None),
    "edit and approve": (("POST", "/mod/items/{item}/edit", {"body": "Edited by a moderator"}), None),
}


def _prepare(topic_id: int, post_id: int, precondition: str | None) -> None:
    if precondition == "locked":
        db.session.get(Topic, topic_id).locked = True
    elif precondition == "hidden topic":
        db.session.get(Topic, topic_id).status = ContentStatus.HIDDEN
    elif precondition == "hidden post":
        db.session.get(Post, post_id).status = ContentStatus.HIDDEN
    db.session.commit()


@pytest.mark.parametrize("action", SCOPED_ACTIONS)
def test_scoped_moderator_cannot_act_in_another_group(app: Flask, world: World, action: str) -> None:
    """A moderator limited to one group gets 403 on another group's topics, posts and review items; nothing changes."""
    (method, template, data), precondition = SCOPED_ACTIONS[action]
    ids = {"topic": world.topic, "post": world.post, "item": world.item, "other": world.other}
    _prepare(world.topic, world.post, precondition)
    fill = {key: value.format(**ids) for key, value in (data or {}).items()}
    client = signed_in(app, world.actors["scoped_moderator"])
    _refused_and_unchanged(client, [(method, template.format(**ids), fill)], 403)


def test_scoped_moderators_bulk_decision_skips_another_groups_items(app: Flask, world: World) -> None:
    """A bulk rejection that includes another group's item leaves that item untouched and reports it."""
    client = signed_in(app, world.actors["scoped_moderator"])
    data = {"item_ids": str(world.item), "action": "reject", "note": "No"}
    _refused_and_unchanged(client, [("POST", "/mod/queue/bulk", data)], 302)
    page = client.get("/mod/queue").get_data(as_text=True)
    assert "You moderate other groups, not this one." in page


@pytest.mark.parametrize("action", SCOPED_ACTIONS)
def test_scoped_moderator_may_act_in_their_own_group(app: Flask, world: World, action: str) -> None:
    """The same request on their own group's thread is not refused: the 403 above is about the group."""
    (method, template, data), precondition = SCOPED_ACTIONS[action]
    ids = {"topic": world.other_topic, "post": world.other_post, "item": world.other_item, "other": world.other}
    _prepare(world.other_topic, world.other_post, precondition)
    fill = {key: value.format(**ids) for key, value in (data or {}).items()}
    client = signed_in(app, world.actors["scoped_moderator"])
    response = (
        client.post_form(template.format(**ids), fill) if method == "POST" else client.get(template.format(**ids))
    )
    assert response.status_code in (200, 302, 422)


def test_scoped_moderator_sees_only_their_groups_in_the_log(app: Flask, world: World) -> None:
    """The moderation log shows a scoped moderator their own groups' decisions, not another group's reasons."""
    admin = signed_in(app, world.actors["admin"])
    for item, note in ((world.item, "Reason from the other group"), (world.other_item, "Reason from my group")):
        assert admin.post_form(f"/mod/items/{item}/decide", {"action": "hide", "note": note}).status_code == 302
    client = signed_in(app, world.actors["scoped_moderator"])
    for query in ("", f"?group={world.home}"):
        page = client.get(f"/mod/log{query}").get_data(as_text=True)
        assert "Reason from the other group" not in page
    assert "Reason from my group" in client.get("/mod/log").get_data(as_text=True)


# Mentors welcome and check in, nothing more: every moderation power stays with the moderating team.
MENTOR_REFUSED = {
    **{name: request for name, (request, _precondition) in SCOPED_ACTIONS.items()},
    "review queue": ("GET", "/mod/queue", None),
    "moderation log": ("GET", "/mod/log", None),
    "suspend the author": ("POST", "/mod/members/{author}/suspend", {"reason": "Spam"}),
    "add a watched word": ("POST", "/mod/watched-words", {"phrase": "snake oil", "action": "hold"}),
}


@pytest.mark.parametrize("request_name", MENTOR_REFUSED)
def test_mentors_cannot_moderate(app: Flask, world: World, request_name: str) -> None:
    """A mentor gets 403 on hiding, deleting, restoring, deciding, suspending and the queue; nothing changes."""
    method, template, data = MENTOR_REFUSED[request_name]
    ids = {
        "topic": world.topic,
        "post": world.post,
        "item": world.item,
        "other": world.other,
        "author": world.author.id,
    }
    fill = {key: value.format(**ids) for key, value in (data or {}).items()}
    client = signed_in(app, world.actors["mentor"])
    _refused_and_unchanged(client, [(method, template.format(**ids), fill)], 403)


@pytest.mark.parametrize("status", [ContentStatus.PENDING, ContentStatus.HIDDEN])
def test_mentors_cannot_see_held_or_hidden_posts(app: Flask, world: World, status: ContentStatus) -> None:
    """A post waiting for review or hidden answers a mentor 404, on its page and through the mentoring buttons."""
    db.session.get(Post, world.post).status = status
    db.session.commit()
    client = signed_in(app, world.actors["mentor"])
    requests = [("GET", f"/p/{world.post}", None), ("POST", f"/mentor/posts/{world.post}/claim", {})]
    _refused_and_unchanged(client, requests, 404)
    assert "Have you tried this?" not in client.get("/mentor").get_data(as_text=True)


# Site-wide powers stay with moderators of every group: suspensions hold everywhere, watched words screen every post.
SITE_WIDE_REQUESTS = {
    "watched words page": ("GET", "/mod/watched-words", None),
    "add a watched word": ("POST", "/mod/watched-words", {"phrase": "snake oil", "action": "hold"}),
    "remove a watched word": ("POST", "/mod/watched-words/{word}/delete", {}),
    "suspend a member of another group": ("POST", "/mod/members/{outsider}/suspend", {"reason": "Spam"}),
}


def _outsider(world: World) -> Member:
    """A member who posted only in the group the scoped moderator does not look after."""
    outsider = make_member(display_name="Olga Outsider")
    make_post(topic=db.session.get(Topic, world.topic), author=outsider, body="Only in the home group")
    return outsider


@pytest.mark.parametrize("request_name", SITE_WIDE_REQUESTS)
def test_scoped_moderator_has_no_site_wide_powers(app: Flask, world: World, request_name: str) -> None:
    """A moderator limited to one group gets 403 on the watched words and on suspending someone from elsewhere."""
    method, template, data = SITE_WIDE_REQUESTS[request_name]
    path = template.format(word=world.word, outsider=_outsider(world).id)
    client = signed_in(app, world.actors["scoped_moderator"])
    _refused_and_unchanged(client, [(method, path, data)], 403)


@pytest.mark.parametrize("request_name", SITE_WIDE_REQUESTS)
def test_full_moderator_keeps_site_wide_powers(app: Flask, world: World, request_name: str) -> None:
    """The same requests from a moderator of every group go through: the refusals above are about the scope."""
    method, template, data = SITE_WIDE_REQUESTS[request_name]
    path = template.format(word=world.word, outsider=_outsider(world).id)
    client = signed_in(app, world.actors["moderator"])
    response = client.post_form(path, data) if method == "POST" else client.get(path)
    assert response.status_code in (200, 302)


def test_scoped_moderator_may_suspend_a_member_who_posted_in_their_group(app: Flask, world: World) -> None:
    """Someone who wrote in the scoped moderator's group can be suspended by them (the author posted in both)."""
    client = signed_in(app, world.actors["scoped_moderator"])
    response = client.post_form(f"/mod/members/{world.author.id}/suspend", {"reason": "Spam"})
    assert response.status_code == 302
    assert db.session.get(Member, world.author.id).status == MemberStatus.SUSPENDED


def test_scoped_moderator_is_not_offered_the_watched_words(app: Flask, world: World) -> None:
    """The moderation menu leaves out the tools a scoped moderator may not use."""
    scoped = signed_in(app, world.actors["scoped_moderator"]).get("/mod/queue").get_data(as_text=True)
    full = signed_in(app, world.actors["moderator"]).get("/mod/queue").get_data(as_text=True)
    assert "/mod/watched-words" not in scoped and "/mod/watched-words" in full


# CSRF: checked before anything else, on every POST route.

WOULD_WRITE = {
    "title": "A topic that must not be stored",
    "body": "Words that must not be stored",
    "reason": "A reason",
    "action": "hide",
    "note": "A note",
    "phrase": "snake oil",
    "name": "A new group",
    "slug": "a-new-group",
    "position": "1",
}


def test_post_without_csrf_token_is_refused_and_writes_nothing(
    app: Flask,
    world: World,
    writes: list,
    subtests,  # noqa: ANN001
) -> None:
    """Every POST route answers 400 to a form without a CSRF token, even from a signed-in admin, and stores nothing."""
    client = browser(app, world.actors["admin"])
    data = {**WOULD_WRITE, "item_ids": str(world.item), "group": str(world.other), "groups": str(world.other)}
    before = snapshot()
    for method, path, _ in route_cases(app, world):
        if method != "POST":
            continue
        with subtests.test(msg=f"POST {path}"):
            writes.clear()
            response = client.post(path, data=data)
            assert response.status_code == 400
            assert writes == []
    assert snapshot() == before


# The second-factor gate (KINDRED_REQUIRE_2FA_ROLES): the same walk for a team without a second factor.

TWO_FACTOR_ROUTES = {
    "auth.two_factor": PUBLIC,
    "account.two_factor": SIGNED_IN,
    "account.two_factor_start": SIGNED_IN,
    "account.two_factor_confirm": SIGNED_IN,
    "account.two_factor_recovery_codes": SIGNED_IN,
    "account.two_factor_disable": SIGNED_IN,
    "mod.reset_two_factor": STAFF,
}


def test_two_factor_routes_declare_their_levels(app: Flask) -> None:
    """The second factor's pages are each member's own; resetting someone else's is for staff pages (admins only)."""
    with app.app_context():
        assert {endpoint: access_level(endpoint) for endpoint in TWO_FACTOR_ROUTES} == TWO_FACTOR_ROUTES


@pytest.mark.parametrize("app_overrides", [{"REQUIRE_2FA_ROLES": ("moderator", "staff", "admin")}], ids=["2fa"])
@pytest.mark.parametrize("role", ["moderator", "scoped_moderator", "staff", "admin"])
def test_team_pages_wait_for_the_second_factor(
    app: Flask, world: World, role: str, gate_verdicts: list, subtests
) -> None:  # noqa: ANN001
    """Every team and staff page sends an unenrolled team member to enrolment; the gate lets member pages through."""
    client = browser(app, world.actors[role])
    for method, path, endpoint in route_cases(app, world):
        with app.app_context():
            level = access_level(endpoint)
        if method != "GET" or level == PUBLIC:
            continue
        with subtests.test(msg=f"GET {path}"):
            gate_verdicts.clear()
            response = client.get(path)
            response.close()
            to_enrolment = response.status_code == 302 and urlsplit(response.location).path == "/account/two-factor"
            reachable_by_role = level in (TEAM, MENTORING) or (level == STAFF and role in ("staff", "admin"))
            if level == SIGNED_IN:
                assert gate_verdicts == [None]
            elif reachable_by_role:
                assert to_enrolment
            else:
                assert response.status_code == 403
