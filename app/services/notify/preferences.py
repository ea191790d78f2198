"""Which kinds of notification exist, how each member wants to hear about them, and signed unsubscribe links."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update

from app.database.dml import insert_once
from app.extensions import db
from app.models import Delivery, Member, MemberStatus, NotificationPreference
from app.services import ServiceError
from app.text.lazy import lazy_text as _l


@dataclass(frozen=True)
class Kind:
    """One choice on the settings page; `subject` and `sentence` are all an e-mail says (no post text)."""

    name: str
    label: str
    default: Delivery
    subject: str
    sentence: str


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("reply", _l("Replies in topics you follow"), Delivery.IN_APP, _l("New reply in a topic you follow"),
             _l("Someone replied in a topic you follow.")),
        Kind("mention", _l("Someone mentions you"), Delivery.IN_APP, _l("You were mentioned"),
             _l("Someone mentioned you in a post.")),
        Kind("new_topic", _l("New topics in groups you follow"), Delivery.IN_APP, _l("New topic in a group you follow"),
             _l("Someone started a topic in a group you follow.")),
        Kind("helpful", _l("Your replies marked helpful, recommended or featured"), Delivery.IN_APP,
             _l("Your reply helped someone"), _l("Someone found your reply helpful.")),
        Kind("message", _l("New private messages"), Delivery.EMAIL, _l("You have a new private message"),
             _l("You have a new private message.")),
        Kind("moderation", _l("Moderators' decisions about your posts and account"), Delivery.EMAIL,
             _l("News from the moderators"), _l("The moderators made a decision about your post or account.")),
        Kind("bookmark_reminder", _l("Reminders you set on your bookmarks"), Delivery.IN_APP,
             _l("A reminder you set"), _l("A reminder you set on one of your bookmarks is due.")),
        Kind("event", _l("Events you replied to: reminders, places freed and cancellations"), Delivery.IN_APP,
             _l("News about an event"), _l("There is news about an event you replied to.")),
    )
}  # fmt: skip
# The kinds that notify() is called with, by the preference that governs them; any other kind is a moderation one.
KIND_OF = (
    {"recommended": "helpful", "featured": "helpful"}
    | {"event_reminder": "event", "event_place": "event", "event_cancelled": "event", "event_recap": "event"}
    | {name: name for name in KINDS}
)
DIGEST_KIND = "digest"  # an unsubscribe link in a digest stops the digest, whichever kinds it held
UNSUBSCRIBE_SALT = "kindred.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 180 * 24 * 3600  # seconds: old e-mails keep working for about half a year
BAD_LINK = _l("This unsubscribe link is not valid (it may be incomplete or too old). Nothing was changed.")


def preference_kind(kind: str) -> Kind:
    """The preference that governs a notification kind (moderation for any kind not listed)."""
    return KINDS[KIND_OF.get(kind, "moderation")]


def deliveries(member_id: int) -> dict[str, Delivery]:
    """Every kind's delivery for the member: their choice, or the default (one query)."""
    chosen = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.member_id == member_id
            )
        ).all()
    )
    return {name: chosen.get(name, kind.default) for name, kind in KINDS.items()}


def set_delivery(member: Member, kind: str, delivery: Delivery) -> None:
    """Store one choice (caller commits)."""
    if kind not in KINDS:
        raise ServiceError(_("Unknown kind of notification."))
    # Insert-or-update by key, never read-then-write: the same form saved from two tabs at once must not collide.
    if not insert_once(NotificationPreference, member_id=member.id, kind=kind, delivery=delivery):
        db.session.execute(
            update(NotificationPreference)
            .where(NotificationPreference.member_id == member.id, NotificationPreference.kind == kind)
            .values(delivery=delivery)
        )


def save_deliveries(member: Member, choices: dict[str, Delivery]) -> None:
    """The settings form: every kind's choice in one transaction."""
    for kind, delivery in choices.items():
        set_delivery(member, kind, delivery)
    db.session.commit()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(member_id: int, kind: str) -> str:
    """A signed token for one member and one kind (or the digest): the link works without signing in."""
    return _serializer().dumps({"m": member_id, "k": kind})


# What the unsubscribe page asks, then says once done: whole sentences for each kind, since a label fitted into a
# sentence reads wrongly in most languages (German nouns keep their capitals; others change the words around it).
STOP_SENTENCES: dict[str, tuple[str, str]] = {
    "reply": (_l("Stop e-mails about replies in topics you follow?"),
              _l("You will no longer get e-mails about replies in topics you follow.")),
    "mention": (_l("Stop e-mails when someone mentions you?"),
                _l("You will no longer get e-mails when someone mentions you.")),
    "new_topic": (_l("Stop e-mails about new topics in groups you follow?"),
                  _l("You will no longer get e-mails about new topics in groups you follow.")),
    "helpful": (_l("Stop e-mails when your replies are marked helpful, recommended or featured?"),
                _l("You will no longer get e-mails when your replies are marked helpful, recommended or featured.")),
    "message": (_l("Stop e-mails about new private messages?"),
                _l("You will no longer get e-mails about new private messages.")),
    "moderation": (_l("Stop e-mails about the moderators' decisions on your posts and account?"),
                   _l("You will no longer get e-mails about the moderators' decisions on your posts and account.")),
    "bookmark_reminder": (_l("Stop e-mails about the reminders you set on your bookmarks?"),
                          _l("You will no longer get e-mails about the reminders you set on your bookmarks.")),
    "event": (_l("Stop e-mails about events you replied to?"),
              _l("You will no longer get e-mails about events you replied to.")),
    DIGEST_KIND: (_l("Stop the daily digest?"), _l("You will no longer get the daily digest.")),
}  # fmt: skip


@dataclass(frozen=True)
class Unsubscribe:
    member: Member
    kind: str  # a name in KINDS, or DIGEST_KIND

    @property
    def question(self) -> str:
        """Asked before anything changes."""
        return str(STOP_SENTENCES[self.kind][0])

    @property
    def stopped(self) -> str:
        """Said once the e-mails are stopped."""
        return str(STOP_SENTENCES[self.kind][1])


def read_unsubscribe_token(token: str) -> Unsubscribe:
    """Who and what a token is for; a tampered, expired or stale token raises ServiceError (nothing changes)."""
    try:
        data = _serializer().loads(token[:500], max_age=UNSUBSCRIBE_MAX_AGE)
    except (BadSignature, SignatureExpired) as error:  # SignatureExpired is a BadSignature; named for readers
        raise ServiceError(str(BAD_LINK)) from error
    member_id, kind = (data.get("m"), data.get("k")) if isinstance(data, dict) else (None, None)
    if not isinstance(member_id, int) or (kind not in KINDS and kind != DIGEST_KIND):
        raise ServiceError(str(BAD_LINK))
    member = db.session.get(Member, member_id)
    if member is None or member.status == MemberStatus.DELETED:
        raise ServiceError(str(BAD_LINK))
    return Unsubscribe(member, kind)


def unsubscribe(token: str) -> Unsubscribe:
    """Stop the e-mails a token names: that kind (or every digest kind) falls back to in-app only."""
    target = read_unsubscribe_token(token)
    current = deliveries(target.member.id)
    if target.kind == DIGEST_KIND:
        kinds = [name for name, delivery in current.items() if delivery == Delivery.DIGEST]
    else:
        kinds = [target.kind] if current[target.kind] in (Delivery.EMAIL, Delivery.DIGEST) else []
    for kind in kinds:
        set_delivery(target.member, kind, Delivery.IN_APP)
    db.session.commit()
    return target
