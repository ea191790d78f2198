"""Listening and responding: the dashboard (and its CSV), and the list of topics nobody has answered yet."""

from __future__ import annotations

import csv
import io

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app import permissions
from app.extensions import db
from app.models.base import utcnow
from app.permissions import SIGNED_IN, STAFF, access
from app.services import ServiceError
from app.services.moderation.settings import change_settings, get_int
from app.staff import bp
from app.staff.attendance import attendance
from app.staff.charts import bar_chart
from app.staff.figures import PERIODS, Dashboard, dashboard
from app.staff.forms import UnansweredSettingForm
from app.staff.queries import unanswered_query
from app.web.pagination import make_page

UNANSWERED_PAGE_SIZE = 30
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _days() -> int:
    """`?days=90` for the longer view; anything else is the last 30 days."""
    return 90 if request.args.get("days") == "90" else PERIODS[0]


@bp.route("", endpoint="dashboard")
@access(STAFF)
def dashboard_page():  # noqa: ANN201
    permissions.ensure(current_user, "view_dashboard", None)
    figures = dashboard(_days(), utcnow())
    charts = [
        bar_chart(_("New members per day"), figures.new_members),
        bar_chart(_("New topics per day"), figures.new_topics),
        bar_chart(_("Replies per day"), figures.replies),
    ]
    return render_template(
        "staff/dashboard.html", figures=figures, charts=charts, periods=PERIODS, attendance=attendance(figures.period)
    )


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (display names are chosen by members)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_rows(figures: Dashboard) -> list[list[object]]:
    """The dashboard as tidy rows: figure, day, member, value. The headings and figure names are machine-read keys
    (spreadsheets and scripts look them up by name), so they stay English in every language."""

    rows: list[list[object]] = [["figure", "day", "member", "value"]]
    for name, series in (
        ("new_members", figures.new_members),
        ("new_topics", figures.new_topics),
        ("replies", figures.replies),
    ):
        rows += [[name, day.isoformat(), "", value] for day, value in series]
    share = figures.answered_in_a_day
    rows += [
        ["median_hours_to_first_reply", "", "", _hours(figures.median_first_reply)],
        ["topics_answered_within_24h", "", "", share.part],
        ["topics_older_than_24h", "", "", share.whole],
        ["open_review_items", "", "", figures.open_review_items],
        ["median_hours_to_moderation_decision", "", "", _hours(figures.median_decision)],
        ["median_hours_to_welcome", "", "", _hours(figures.median_welcome)],
    ]
    rows += [["helpful_marks_received", "", name, marks] for name, marks in figures.most_helpful]
    return rows


def _hours(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 3600:.2f}"


@bp.route("/export.csv")
@access(STAFF)
def export():  # noqa: ANN201
    permissions.ensure(current_user, "view_dashboard", None)
    days, now = _days(), utcnow()
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[_cell(v) for v in row] for row in _csv_rows(dashboard(days, now))])
    filename = f"kindred-dashboard-{days}-days-{now.date().isoformat()}.csv"
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.route("/unanswered")
@access(SIGNED_IN)  # mentors too: the view asks "view_unanswered"
def unanswered():  # noqa: ANN201
    permissions.ensure(current_user, "view_unanswered", None)
    hours = get_int("unanswered_after_hours")
    query = unanswered_query(hours, utcnow())
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = make_page(total, UNANSWERED_PAGE_SIZE)
    topics = db.session.scalars(query.offset(page.offset).limit(page.per_page)).all()
    form = UnansweredSettingForm(data={"hours": str(hours)})
    return render_template("staff/unanswered.html", topics=topics, page=page, hours=hours, form=form)


@bp.route("/unanswered/setting", methods=["POST"])
@access(STAFF)
def unanswered_setting():  # noqa: ANN201
    permissions.ensure(current_user, "edit_settings", None)
    form = UnansweredSettingForm()
    try:
        change_settings(current_user, {"unanswered_after_hours": form.hours.data or ""})
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(_("Saved: the list now shows topics waiting longer than that."), "success")
    return redirect(url_for(".unanswered"))
