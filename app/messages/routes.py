"""Private messages: the list of conversations, starting one, reading and replying, leaving, blocking, reporting.

Only participants ever reach a conversation: anyone else, moderators and staff included, gets 404. Moderators see a
reported message alone, in the review queue (templates/messages/_queue_reports.html).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app import permissions
from app.drafts import composing
from app.extensions import limiter
from app.messages import bp
from app.messages.forms import BlockForm, MessageForm, NewConversationForm, ReportDecisionForm, ReportMessageForm
from app.messages.queries import (
    People,
    blocked_members,
    conversation_messages,
    conversation_of,
    conversation_page,
    find_member,
    message_in,
    only_conversation_with,
    open_message_reports,
    people_or_404,
)
from app.models import Member
from app.models.messages import ConversationParticipant
from app.models.moderation import FLAG_REASON_LABELS
from app.permissions import SIGNED_IN, TEAM, access
from app.services import ServiceError
from app.services.common.submissions import DuplicateSubmission
from app.services.messages.conversations import (
    block_member,
    find_recipients,
    is_blocked,
    leave_conversation,
    mark_read,
    send_message,
    start_conversation,
    unblock_member,
)
from app.services.messages.repeats import refuse_repeat
from app.services.messages.reports import decide_report, report_message
from app.services.pictures.uploads import Upload
from app.web import drafts
from app.web.drafts import composer
from app.web.forms import apply_service_error
from app.web.pagination import Page, make_page
from app.web.pictures import upload_limit, uploads_from
from app.web.preview import previewing
from app.web.submissions import to_first_submission

CONVERSATIONS_PER_PAGE = 20
MESSAGES_PER_PAGE = 50
START_LIMIT = "10 per hour; 30 per day"
SEND_LIMIT = "20 per minute; 300 per day"


def _blocked(name: str) -> str:
    return _("You blocked %(name)s. They can no longer message you or add you to conversations.", name=name)


def _unblocked(name: str) -> str:
    return _("You unblocked %(name)s.", name=name)


@bp.record_once
def _template_helpers(state: BlueprintSetupState) -> None:
    """For the review queue and profiles, which include this area's partials."""
    state.app.jinja_env.globals.update(
        open_message_reports=open_message_reports, report_labels=FLAG_REASON_LABELS, has_blocked=_has_blocked
    )


def _has_blocked(member: Member) -> bool:
    return current_user.is_authenticated and is_blocked(current_user.id, member.id)


def _member_key() -> str:
    """Rate limits count per member (signed in on every route here), so a shared IP does not punish others."""
    return f"member:{current_user.id}" if current_user.is_authenticated else get_remote_address()


@bp.route("")
@access(SIGNED_IN)
def index():  # noqa: ANN201
    places, page = conversation_page(current_user, CONVERSATIONS_PER_PAGE)
    blocked = blocked_members(current_user)
    return render_template("messages/index.html", places=places, page=page, blocked=blocked, form=BlockForm())


@bp.route("/new", methods=["GET", "POST"])
@access(SIGNED_IN)
@composer("to", "subject", "body")
@limiter.limit(START_LIMIT, methods=["POST"], key_func=_member_key)
@upload_limit
def new():  # noqa: ANN201
    permissions.ensure(current_user, "start_conversation", None)
    form = NewConversationForm()
    composing.at("message")
    to = request.args.get("to", "")
    if request.method == "GET" and to.isascii() and to.isdigit() and len(to) < 10:
        form.to.data = find_member(int(to)).display_name  # the "Message" button on a profile
    drafts.restore(form)
    composing.fill(form, "message")
    existing = _continuable(form.to.data or "")
    if form.validate_on_submit():
        try:
            if existing is not None and form.then.data not in ("continue", "new"):
                # The words just sent there come back (Back, a second click): no question, the message is there.
                refuse_repeat(current_user, form.body.data or "", conversation_id=existing.conversation_id)
                # Writing again to someone already in a 1-to-1 conversation: ask, keeping the words typed.
                return render_template("messages/new.html", form=form, existing=existing, asking=True)
            if existing is not None and form.then.data == "continue":
                return _continued(existing, form.body.data or "", uploads_from(form))
            conversation = start_conversation(
                current_user, form.to.data or "", form.subject.data or "", form.body.data or "", uploads_from(form)
            )
        except ServiceError as error:
            apply_service_error(form, error)
        except DuplicateSubmission as first:
            return _to_first_message(first)
        else:
            flash(_("Your message is sent."), "success")
            return redirect(url_for(".conversation", conversation_id=conversation.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("messages/new.html", form=form, existing=existing), status


def _continuable(to: str) -> ConversationParticipant | None:
    """The one 1-to-1 conversation the member already has with the single person named, if there is one."""
    try:
        recipients = find_recipients(current_user, to) if to.strip() else []
    except ServiceError:  # a wrong name is for start_conversation to explain
        return None
    return only_conversation_with(current_user, recipients[0]) if len(recipients) == 1 else None


def _continued(place: ConversationParticipant, body: str, pictures: list[Upload]):  # noqa: ANN202
    message = send_message(current_user, place, body, pictures)
    flash(_("Your message is added to your conversation."), "success")
    return redirect(url_for(".conversation", conversation_id=place.conversation_id, _anchor=f"m{message.id}"))


def _to_first_message(first: DuplicateSubmission):  # noqa: ANN202
    """The same message arrived twice: the conversation, at the message already sent."""
    conversation_id = conversation_of(first.target_id)
    if conversation_id is None:
        return to_first_submission(url_for(".index"))
    return to_first_submission(url_for(".conversation", conversation_id=conversation_id, _anchor=f"m{first.target_id}"))


def _readable(conversation_id: int) -> People:
    """The people of a conversation the member may read: 404 if never in it, the reason if they left."""
    people = people_or_404(conversation_id, current_user)
    if people.place.left_at is not None:
        abort(403, description=_("You left this conversation, so you can no longer read or write in it."))
    return people


@bp.route("/<int:conversation_id>")
@access(SIGNED_IN)
def conversation(conversation_id: int):  # noqa: ANN201
    people = _readable(conversation_id)
    form = MessageForm()
    drafts.restore(form, url_for(".reply", conversation_id=conversation_id))
    composing.fill(form, "conversation", conversation_id)
    response = _render_conversation(people, form)
    mark_read(people.place)
    return response


def _render_conversation(people: People, form: MessageForm, last_page: bool = False) -> str:
    place = people.place
    conversation = place.conversation
    total = conversation.message_count
    if last_page or "page" not in request.args:  # a conversation opens at its latest messages
        page = Page(-(-total // MESSAGES_PER_PAGE) or 1, MESSAGES_PER_PAGE, total)
    else:
        page = make_page(total, MESSAGES_PER_PAGE)
    return render_template(
        "messages/conversation.html",
        conversation=conversation,
        place=place,
        participants=people.everyone,
        messages=conversation_messages(conversation.id, page.offset, page.per_page),
        page=page,
        form=form,
        write_refusal=permissions.why_not(current_user, "write_message", place),
        block_form=BlockForm(),
        unread_after=place.last_read_message_id,
    )


@bp.route("/<int:conversation_id>/reply", methods=["POST"])
@access(SIGNED_IN)
@composer("body", page=lambda args: url_for("messages.conversation", conversation_id=args["conversation_id"]))
@limiter.limit(SEND_LIMIT, key_func=_member_key)
@upload_limit
def reply(conversation_id: int):  # noqa: ANN201
    composing.at("conversation", conversation_id)
    people = _readable(conversation_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message = send_message(current_user, people.place, form.body.data or "", uploads_from(form))
        except ServiceError as error:
            apply_service_error(form, error)
        except DuplicateSubmission as first:
            return _to_first_message(first)
        else:
            return redirect(url_for(".conversation", conversation_id=conversation_id, _anchor=f"m{message.id}"))
    return _render_conversation(people, form, last_page=True), 200 if previewing() else 422


@bp.route("/<int:conversation_id>/leave", methods=["POST"])
@access(SIGNED_IN)
def leave(conversation_id: int):  # noqa: ANN201
    leave_conversation(current_user, _readable(conversation_id).place)
    flash(_("You left the conversation. It no longer appears in your messages."), "info")
    return redirect(url_for(".index"))


@bp.route("/<int:conversation_id>/messages/<int:message_id>/report", methods=["GET", "POST"])
@access(SIGNED_IN)
@limiter.limit("20 per hour", methods=["POST"], key_func=_member_key)
def report(conversation_id: int, message_id: int):  # noqa: ANN201
    place = _readable(conversation_id).place
    message = message_in(place, message_id)
    permissions.ensure(current_user, "report_message", (place, message))
    form = ReportMessageForm()
    if form.validate_on_submit():
        try:
            report_message(current_user, place, message, form.reason.data or "", form.details.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Thank you. The moderators will look at this message, and only this message."), "success")
            return redirect(url_for(".conversation", conversation_id=conversation_id, _anchor=f"m{message.id}"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("messages/report.html", place=place, message=message, form=form), status


def _back_to(member: Member, form: BlockForm):  # noqa: ANN202
    """Back where the button was: a conversation (its id), the messages list ("index"), else the member's profile."""
    back = form.back.data or ""
    if back.isascii() and back.isdigit() and len(back) < 10:
        return redirect(url_for(".conversation", conversation_id=int(back)))
    if back == "index":
        return redirect(url_for(".index"))
    return redirect(url_for("members.profile", name=member.display_name))


def _change_block(member_id: int, change: Callable[[Member, Member], None], done: Callable[[str], str]):  # noqa: ANN202
    """The flow behind both block buttons: make the change, say so (`done` writes the sentence naming the member),
    go back."""
    target = find_member(member_id)
    form = BlockForm()
    form.validate_on_submit()
    change(current_user, target)
    flash(done(target.display_name), "info")
    return _back_to(target, form)


@bp.route("/block/<int:member_id>", methods=["POST"])
@access(SIGNED_IN)
def block(member_id: int):  # noqa: ANN201
    return _change_block(member_id, block_member, _blocked)


@bp.route("/unblock/<int:member_id>", methods=["POST"])
@access(SIGNED_IN)
def unblock(member_id: int):  # noqa: ANN201
    return _change_block(member_id, unblock_member, _unblocked)


@bp.route("/reports/<int:report_id>/decide", methods=["POST"], endpoint="decide_report")
@access(TEAM)  # the view asks "review_message_reports": unscoped moderators and staff
def decide_report_view(report_id: int):  # noqa: ANN201
    permissions.ensure(current_user, "review_message_reports", None)
    form = ReportDecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose a decision."), "error")
    else:
        try:
            decide_report(current_user, report_id, form.action.data or "", form.note.data or "")
        except ServiceError as error:
            flash(error.message, "error")
        else:
            done = _("Message removed.") if form.action.data == "remove" else _("Report dismissed: the message stays.")
            flash(done, "success")
    return redirect(url_for("mod.queue"))
