"""Outgoing webhooks: staff list, add, change, test and remove them, and read each one's delivery log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import permissions
from app.extensions import db, limiter
from app.models.webhooks import DeliveryStatus, Webhook, WebhookDelivery
from app.permissions import STAFF, access
from app.services import ServiceError
from app.services.webhooks.manage import create_webhook, delete_webhook, send_test, update_webhook
from app.staff import bp
from app.staff.webhook_forms import WebhookForm
from app.web.forms import apply_service_error

DELIVERIES_SHOWN = 50


def _webhook_or_404(webhook_id: int) -> Webhook:
    webhook = db.session.get(Webhook, webhook_id) if webhook_id < 2**31 else None
    if webhook is None:
        abort(404)
    return webhook


def _status(form: WebhookForm) -> int:
    return 422 if form.errors or form.form_errors else 200


@bp.route("/webhooks", methods=["GET", "POST"])
@access(STAFF)
def webhooks():  # noqa: ANN201
    """The registered webhooks, and the form to add one."""
    permissions.ensure(current_user, "manage_webhooks", None)
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            webhook = create_webhook(current_user, form.url.data or "", form.secret.data or "", form.events.data or [])
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
        else:
            flash(_("The webhook is saved."), "success")
            return redirect(url_for(".webhook", webhook_id=webhook.id))
    items = db.session.scalars(select(Webhook).order_by(Webhook.id)).all()
    return render_template("staff/webhooks.html", form=form, items=items), _status(form)


@bp.route("/webhooks/<int:webhook_id>", methods=["GET", "POST"])
@access(STAFF)
def webhook(webhook_id: int):  # noqa: ANN201
    """One webhook: change it, and read its latest deliveries."""
    hook = _webhook_or_404(webhook_id)
    permissions.ensure(current_user, "manage_webhooks", hook)
    form = WebhookForm(data={"url": hook.url, "events": hook.events})
    if form.validate_on_submit():
        try:
            update_webhook(current_user, hook, form.url.data or "", form.secret.data or "", form.events.data or [])
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
        else:
            flash(_("The webhook is saved."), "success")
            return redirect(url_for(".webhook", webhook_id=hook.id))
    deliveries = db.session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == hook.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(DELIVERIES_SHOWN)
    ).all()
    page = render_template(
        "staff/webhook.html", form=form, webhook=hook, deliveries=deliveries, statuses=DeliveryStatus
    )
    return page, _status(form)


@bp.route("/webhooks/<int:webhook_id>/test", methods=["POST"], endpoint="test_webhook")
@access(STAFF)
@limiter.limit("10 per minute")
def test_webhook_view(webhook_id: int):  # noqa: ANN201
    """Send a harmless delivery now and show how the receiver answered."""
    delivery = send_test(current_user, _webhook_or_404(webhook_id))
    if delivery is not None and delivery.status == DeliveryStatus.SENT:
        flash(_("The test was delivered."), "success")
    else:
        flash(_("The test could not be delivered; see the log below. It will be tried again later."), "error")
    return redirect(url_for(".webhook", webhook_id=webhook_id))


@bp.route("/webhooks/<int:webhook_id>/delete", methods=["POST"], endpoint="delete_webhook")
@access(STAFF)
def delete_webhook_view(webhook_id: int):  # noqa: ANN201
    """Remove a webhook with its delivery log."""
    delete_webhook(current_user, _webhook_or_404(webhook_id))
    flash(_("The webhook is deleted."), "success")
    return redirect(url_for(".webhooks"))
