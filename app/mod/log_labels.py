"""The moderation log's action names, as people read them: the stored names stay English machine values."""

from __future__ import annotations

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l

from app.services.moderation.watched_words import ACTION_LABELS as WATCH_ACTION_LABELS

# Keyed by AuditEvent.action as the services store it (app/services/**: audit(actor, "<action>", ...)).
ACTION_LABELS: dict[str, LazyString] = {
    "add_watched_word": _l("add watched word"),
    "answer_question": _l("answer an event question"),
    "archive_resource": _l("archive resource"),
    "cancel_event": _l("cancel event"),
    "change_settings": _l("change settings"),
    "create_announcement": _l("create announcement"),
    "create_event": _l("create event"),
    "create_group": _l("create group"),
    "create_resource": _l("create resource"),
    "create_webhook": _l("add webhook"),
    "delete_account": _l("delete account"),
    "delete_announcement": _l("delete announcement"),
    "delete_webhook": _l("delete webhook"),
    "disable_two_factor": _l("turn off two-factor sign-in"),
    "deleted_topic": _l("deleted topic"),
    "edit_announcement": _l("edit announcement"),
    "edit_event": _l("edit event"),
    "edit_group": _l("edit group"),
    "edit_guidelines": _l("edit guidelines"),
    "edit_post": _l("edit post"),
    "edit_resource": _l("edit resource"),
    "edit_webhook": _l("change webhook"),
    "enable_two_factor": _l("turn on two-factor sign-in"),
    "end_announcement": _l("end announcement"),
    "event_recap_told": _l("tell everyone about an event's answers"),
    "event_recap_topic": _l("link an event's recap topic"),
    "feature_post": _l("feature post"),
    "hidden_topic": _l("hidden topic"),
    "hide_post": _l("hide post"),
    "lift_suspension": _l("lift suspension"),
    "lock_topic": _l("lock topic"),
    "message_report_dismiss": _l("message report dismiss"),
    "message_report_remove": _l("message report remove"),
    "move_pin": _l("move pin"),
    "move_resource": _l("move resource"),
    "move_topic": _l("move topic"),
    "pin_topic": _l("pin topic"),
    "question_approve": _l("approve an event question"),
    "question_reject": _l("reject an event question"),
    "recommend_post": _l("recommend post"),
    "redact_revision": _l("erase an old version of a post"),
    "remove_picture": _l("remove picture"),
    "remove_watched_word": _l("remove watched word"),
    "repost_post": _l("repost post outside Kindred"),
    "reset_two_factor": _l("reset two-factor sign-in"),
    "restore_post": _l("restore post"),
    "restore_resource": _l("restore resource"),
    "restore_topic": _l("restore topic"),
    "review_approve": _l("review approve"),
    "review_dismiss": _l("review dismiss"),
    "review_hide": _l("review hide"),
    "review_reject": _l("review reject"),
    "set_moderator_groups": _l("set moderator groups"),
    "suspend_member": _l("suspend member"),
    "test_webhook": _l("send a webhook test"),
    "translate_guidelines": _l("translate guidelines"),
    "two_factor_failed": _l("wrong two-factor code"),
    "unlock_topic": _l("unlock topic"),
    "unpin_topic": _l("unpin topic"),
    "unrecommend_post": _l("unrecommend post"),
}


def action_label(action: str) -> str:
    """The stored action name in the reader's language; a name this table does not know yet reads as stored."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action.replace("_", " ")


# The reason stored when a moderator edits and approves without saying why: stored in English, read translated.
EDITED_BEFORE_APPROVAL = "edited before approval"
_REASON_LABELS: dict[str, LazyString] = {EDITED_BEFORE_APPROVAL: _l("edited before approval")}


def reason_label(reason: str | None) -> str:
    """A stored reason: the moderators' own words as written, the few the site writes itself translated."""
    if not reason:
        return ""
    label = _REASON_LABELS.get(reason)
    return str(label) if label is not None else reason


# Values the site itself writes into an entry's before/after, read in the reader's language.
_STATUS_LABELS: dict[str, LazyString] = {
    "visible": _l("visible"),
    "pending": _l("pending"),
    "rejected": _l("rejected"),
    "hidden": _l("hidden"),
    "deleted": _l("deleted"),
    "suspended": _l("suspended"),
    "active": _l("active"),
}
_WATCHED_WORD_ACTIONS = ("add_watched_word", "remove_watched_word")


def change_lines(action: str, values: dict | None) -> list[str]:
    """An entry's before or after state, one line per value; the keys other code writes are shown as stored."""
    values = {key: value for key, value in (values or {}).items() if value is not None}
    lines = []
    for key, value in values.items():
        if action in _WATCHED_WORD_ACTIONS and key == "phrase":
            lines.append(gettext("Phrase: %(phrase)s", phrase=value))
        elif action in _WATCHED_WORD_ACTIONS and key == "action":
            label = WATCH_ACTION_LABELS.get(value)
            lines.append(gettext("What happens: %(action)s", action=str(label) if label is not None else value))
        elif key == "status":
            status = _STATUS_LABELS.get(value)
            lines.append(gettext("Status: %(status)s", status=str(status) if status is not None else value))
        elif key == "raw":
            lines.append(gettext("Text: %(text)s", text=value))
        elif key == "revision":
            lines.append(gettext("Version: %(number)s", number=value))
        else:  # a value other areas write: its stored name, in a line the translator can still arrange
            lines.append(gettext("%(name)s = %(value)s", name=key, value=value))
    return lines
