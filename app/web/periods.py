"""HR's period pages: the periods with their state and live progress, closing (with confirmation
of what is still open), continuing, retrying failed cases, reopening, and the month's allowance."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.core.errors import ServiceError
from app.extensions import db
from app.models import AuditEvent, Case, Employee, Period, PeriodCloseItem, PeriodCloseRun
from app.models.statuses import CaseStatus, CloseItemStatus
from app.rules.periods import PERIOD_KINDS
from app.services.access import scope
from app.services.allowance import runs as allowance_runs
from app.services.cycle import periods as period_service
from app.web.errors import action_form_required
from app.web.hr import hr_required
from app.web.paging import paginate
from forms.common import ActionForm, ReopenForm

bp = Blueprint("periods", __name__, url_prefix="/hr/periods")

HISTORY_ACTIONS = ("period_closing", "period_closed", "period_reopened", "period_close_retry", "period_close_resumed",
                   "allowance_requested", "allowance_computed")


def _agency_ids() -> set[int]:
    return {u.agency_id for u in scope.hr_units(db.session, current_user)}


def _period(period_id) -> Period:
    period = db.session.get(Period, period_id)
    if period is None:
        abort(404)
    if period.agency_id not in _agency_ids():
        abort(403, _("Periode ini di luar wewenang Anda."))
    return period


@bp.route("")
@login_required
@hr_required
def index():
    agency_ids = _agency_ids()
    years = db.session.scalars(select(Period.cycle_key).where(Period.agency_id.in_(agency_ids))
                               .group_by(Period.cycle_key).order_by(Period.cycle_key.desc())).all()
    year = request.args.get("year") or (years[0] if years else "")
    kind = request.args.get("kind", "")
    stmt = select(Period).where(Period.agency_id.in_(agency_ids), Period.cycle_key == year)
    if kind in PERIOD_KINDS:
        stmt = stmt.where(Period.kind == kind)
    # Months, then quarters, then the year, each in date order.
    order = {"month": 0, "quarter": 1, "year": 2}
    page = paginate(db.session, stmt.order_by(Period.starts_on, Period.ends_on))
    page.items.sort(key=lambda p: (order.get(p.kind, 3), p.starts_on))
    waiting = dict(db.session.execute(
        select(Case.waiting_message, func.count()).join(Employee, Employee.id == Case.employee_id)
        .where(Case.waiting_message.like("period_closed:%"), Case.status == CaseStatus.RUNNING,
               Employee.agency_id.in_(agency_ids))
        .group_by(Case.waiting_message)).all())
    runs = {p.id: period_service.latest_run(db.session, p.id) for p in page.items}
    progress = {pid: period_service.progress(db.session, run) for pid, run in runs.items()}
    return render_template("hr_periods.html", page=page, years=years, year=year, kind=kind, waiting=waiting,
                           progress=progress, action_form=ActionForm())


@bp.route("/<int:period_id>")
@login_required
@hr_required
def detail(period_id):
    period = _period(period_id)
    run = period_service.latest_run(db.session, period.id)
    failures = None
    if run is not None:
        failures = paginate(db.session, select(PeriodCloseItem).where(
            PeriodCloseItem.run_id == run.id, PeriodCloseItem.status == CloseItemStatus.FAILED).order_by(PeriodCloseItem.id))
    runs = db.session.scalars(select(PeriodCloseRun).where(PeriodCloseRun.period_id == period.id)
                              .order_by(PeriodCloseRun.id.desc()).limit(10)).all()
    allowance_run = allowance_runs.latest(db.session, period.agency_id, period.key) if period.kind == "month" else None
    history = [event for event in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.in_(HISTORY_ACTIONS), AuditEvent.summary.like(f"%{period.key}%"))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(200))
        if (event.detail or {}).get("period_id") == period.id
        or ((event.detail or {}).get("period_key") == period.key and event.action == "allowance_computed")][:50]
    return render_template(
        "period_detail.html", period=period, run=run, progress=period_service.progress(db.session, run),
        failures=failures, runs=runs, waiting=period_service.waiting_count(db.session, period),
        allowance_run=allowance_run,
        allowance=allowance_runs.progress(db.session, allowance_run) if allowance_run else None,
        history=history, action_form=ActionForm(), reopen_form=ReopenForm())


@bp.route("/<int:period_id>/progress")
@login_required
@hr_required
def progress(period_id):
    period = _period(period_id)
    data = period_service.progress(db.session, period_service.latest_run(db.session, period.id))
    data["state"] = period.state
    if period.kind == "month":
        run = allowance_runs.latest(db.session, period.agency_id, period.key)
        data["allowance"] = allowance_runs.progress(db.session, run) if run else None
    return jsonify(data)


@bp.route("/<int:period_id>/close", methods=["POST"])
@login_required
@hr_required
@action_form_required
def close(period_id):
    period = _period(period_id)
    try:
        period_service.request_close(db.session, period, current_user.id, confirmed=request.form.get("confirm") == "1")
    except period_service.NeedsConfirmation as err:
        return render_template("period_confirm.html", period=period, warnings=err.warnings,
                               action_form=ActionForm())
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
        return redirect(url_for("periods.index", year=period.cycle_key))
    flash(_("Penutupan periode %(period)s sedang diproses.", period=period.key), "success")
    return redirect(url_for("periods.detail", period_id=period.id))


def _act(period, action, done):
    """`done` is given the action's result to say what happened: a count is only known once it ran."""
    try:
        result = action()
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
    else:
        done(result)
    return redirect(url_for("periods.detail", period_id=period.id))


@bp.route("/<int:period_id>/resume", methods=["POST"])
@login_required
@hr_required
@action_form_required
def resume(period_id):
    period = _period(period_id)
    return _act(period, lambda: period_service.resume(db.session, period),
                lambda _run: flash(_("Penutupan periode %(period)s dilanjutkan.", period=period.key), "success"))


@bp.route("/<int:period_id>/retry", methods=["POST"])
@login_required
@hr_required
@action_form_required
def retry(period_id):
    period = _period(period_id)
    item_id = request.form.get("item_id", type=int)
    return _act(period, lambda: period_service.retry_failed(db.session, period, current_user.id, item_id),
                lambda count: flash(ngettext("%(num)d kasus gagal diproses ulang.",
                                             "%(num)d kasus gagal diproses ulang.", count), "success"))


@bp.route("/<int:period_id>/allowance", methods=["POST"])
@login_required
@hr_required
@action_form_required
def compute_allowance(period_id):
    period = _period(period_id)
    return _act(period, lambda: allowance_runs.compute_for_period(db.session, period, current_user.id),
                lambda _run: flash(_("Perhitungan TPP %(period)s sedang diproses.", period=period.key), "success"))


@bp.route("/<int:period_id>/reopen", methods=["POST"])
@login_required
@hr_required
def reopen(period_id):
    period = _period(period_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        flash(" ".join(form.reason.errors) or _("Formulir tidak valid."), "danger")
        return redirect(url_for("periods.detail", period_id=period.id))
    try:
        period_service.reopen(db.session, period, current_user.id, form.reason.data)
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
    else:
        db.session.commit()
        flash(_("Periode %(period)s dibuka kembali.", period=period.key), "success")
    return redirect(url_for("periods.detail", period_id=period.id))
