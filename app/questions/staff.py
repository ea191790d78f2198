"""The host's and staff's view of an event's questions: most wanted first; answers, recap and telling everyone."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import permissions
from app.events.queries import event_or_404
from app.permissions import STAFF, access
from app.questions import bp
from app.questions.forms import AnswerForm, RecapForm
from app.questions.queries import question_or_404
from app.services import ServiceError
from app.services.questions.answers import answer_question, host_questions, set_recap_topic, tell_everyone
from app.web.forms import apply_service_error


def answer_form(question_id: int, **kwargs: object) -> AnswerForm:
    """One answer form per question on the page: the prefix keeps their fields' ids (and labels) apart."""
    return AnswerForm(prefix=f"q{question_id}", **kwargs)


def _page(event, recap_form: RecapForm | None = None, failed: tuple[int, AnswerForm] | None = None):  # noqa: ANN001, ANN202
    questions = host_questions(event)
    forms = {q.id: answer_form(q.id, formdata=None, data={"answer": q.answer}) for q in questions}
    if failed is not None:
        forms[failed[0]] = failed[1]
    if recap_form is None:
        recap_form = RecapForm(formdata=None, data={"recap_topic": str(event.recap_topic_id or "")})
    status = 422 if failed is not None or recap_form.errors or recap_form.form_errors else 200
    page = render_template(
        "questions/staff.html",
        event=event,
        questions=questions,
        answer_forms=forms,
        recap_form=recap_form,
        may_answer=permissions.can(current_user, "answer_questions", event),
    )
    return page, status


@bp.route("/staff/events/<int:event_id>/questions")
@access(STAFF)
def staff_questions(event_id: int):  # noqa: ANN201
    event = event_or_404(event_id, current_user)
    permissions.ensure(current_user, "manage_event_questions", event)
    return _page(event)


@bp.route("/staff/events/questions/<int:question_id>/answer", methods=["POST"])
@access(STAFF)
def answer(question_id: int):  # noqa: ANN201
    question = question_or_404(question_id)
    event = question.event
    permissions.ensure(current_user, "answer_questions", event)
    form = answer_form(question.id)
    if form.validate_on_submit():
        try:
            answer_question(current_user, question, form.answer.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Answer saved."), "success")
            return redirect(url_for(".staff_questions", event_id=event.id, _anchor=f"question-{question.id}"))
    return _page(event, failed=(question.id, form))


@bp.route("/staff/events/<int:event_id>/recap", methods=["POST"])
@access(STAFF)
def recap(event_id: int):  # noqa: ANN201
    event = event_or_404(event_id, current_user)
    permissions.ensure(current_user, "answer_questions", event)
    form = RecapForm()
    if form.validate_on_submit():
        try:
            set_recap_topic(current_user, event, form.recap_topic.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Recap topic saved."), "success")
            return redirect(url_for(".staff_questions", event_id=event.id))
    return _page(event, recap_form=form)


@bp.route("/staff/events/<int:event_id>/tell", methods=["POST"])
@access(STAFF)
def tell(event_id: int):  # noqa: ANN201
    event = event_or_404(event_id, current_user)
    permissions.ensure(current_user, "answer_questions", event)
    try:
        told = tell_everyone(current_user, event)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(ngettext("%(num)d member was told.", "%(num)d members were told.", told), "success")
    return redirect(url_for(".staff_questions", event_id=event.id))
