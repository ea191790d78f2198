"""Members' side of event questions (the questions page, asking, "I want to know too") and the moderators'
decision on a question in the review queue."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.events.queries import event_or_404
from app.extensions import limiter
from app.mod.forms import DecisionForm
from app.models import EventQuestion
from app.permissions import PUBLIC, SIGNED_IN, TEAM, access
from app.questions import bp
from app.questions.forms import QuestionForm
from app.questions.queries import question_or_404, questions_view
from app.services import ServiceError
from app.services.common.submissions import DuplicateSubmission
from app.services.moderation.settings import crisis_panel
from app.services.questions.asking import Asked, ask, unwant, want
from app.services.questions.review import decide_question, open_questions
from app.text.rendering import cook_markup
from app.web.forms import apply_service_error
from app.web.submissions import to_first_submission

ASKING_LIMIT = "10 per minute; 100 per day"
VOTING_LIMIT = "60 per minute"


@bp.record_once
def _template_helpers(state: BlueprintSetupState) -> None:
    """For the event page (which includes events/_questions.html) and the review queue."""
    state.app.jinja_env.globals.update(
        event_questions=lambda event: questions_view(current_user, event),
        open_event_questions=lambda: open_questions(current_user),
    )


def _question_anchor(question_id: int) -> str:
    return f"question-{question_id}"


def _back_to(question: EventQuestion):  # noqa: ANN202
    """The event page, at the question."""
    return redirect(url_for("events.show", event_id=question.event_id, _anchor=_question_anchor(question.id)))


@bp.route("/events/<int:event_id>/questions", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(ASKING_LIMIT, methods=["POST"])
def index(event_id: int):  # noqa: ANN201
    """The event's questions, and the form to ask one (the event page shows the same part)."""
    event = event_or_404(event_id, current_user)
    form = QuestionForm()
    if request.method == "POST":
        permissions.ensure(current_user, "ask_question", event)
        if form.validate_on_submit():
            try:
                asked = ask(current_user, event, form.body.data or "", submission_key=form.once_key)
            except ServiceError as error:
                apply_service_error(form, error)
            except DuplicateSubmission as first:
                target = first.target_id
                return to_first_submission(
                    url_for("events.show", event_id=event.id, _anchor=_question_anchor(target)) if target else None
                )
            else:
                return _after_asking(asked)
    view = questions_view(current_user, event, form)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("questions/index.html", event=event, view=view), status


def _after_asking(asked: Asked):  # noqa: ANN202
    """Where the member lands: the crisis-support panel first when it may be needed."""
    question = asked.question
    if asked.crisis:
        panel = crisis_panel(str(get_locale()), current_app.config["DEFAULT_LOCALE"])
        return render_template("questions/crisis.html", question=question, panel=cook_markup(panel))
    if asked.held:
        flash(
            _(
                "Thank you. Your question is waiting for a moderator and will appear once it is approved. "
                "Until then only you can see it."
            ),
            "info",
        )
    else:
        flash(_("Your question is published. Others can now say they want to know too."), "success")
    return _back_to(question)


@bp.route("/events/questions/<int:question_id>/want", methods=["POST"])
@access(SIGNED_IN)
@limiter.limit(VOTING_LIMIT)
def want_question(question_id: int):  # noqa: ANN201
    question = question_or_404(question_id, current_user)
    want(current_user, question)
    flash(_("Noted: you want to know too."), "success")
    return _back_to(question)


@bp.route("/events/questions/<int:question_id>/unwant", methods=["POST"])
@access(SIGNED_IN)
@limiter.limit(VOTING_LIMIT)
def unwant_question(question_id: int):  # noqa: ANN201
    question = question_or_404(question_id, current_user)
    unwant(current_user, question)
    flash(_("Your mark is taken back."), "info")
    return _back_to(question)


@bp.route("/mod/questions/<int:question_id>/decide", methods=["POST"])
@access(TEAM)
def decide(question_id: int):  # noqa: ANN201
    question = question_or_404(question_id)
    permissions.ensure(current_user, "moderate_question", question)
    form = DecisionForm()
    back = url_for("mod.queue", _anchor=f"event-question-{question.id}")
    if not form.validate_on_submit():
        flash(_("Choose a decision."), "error")
        return redirect(back)
    version = int(seen) if (seen := form.version.data or "").isdigit() else None
    action = form.action.data or ""
    try:
        decide_question(current_user, question, action, form.note.data or "", form.guideline.data or "", version)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(back)
    if action == "approve":
        flash(_("Approved: the question is published."), "success")
    else:
        flash(_("Rejected: the question is not published."), "success")
    return redirect(url_for("mod.queue"))
