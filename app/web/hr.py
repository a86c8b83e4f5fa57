"""HR pages: start a year's cycle, see periods and close one."""
from datetime import date
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case, OrgUnit, Period
from app.services import cycle as cycle_service
from app.services import scope
from app.services.errors import ServiceError
from forms.common import ActionForm, StartCycleForm
from workers.queue import enqueue

bp = Blueprint("hr", __name__, url_prefix="/hr")


def hr_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.has_role("hr"):
            abort(403, "Halaman ini khusus pengelola kinerja (HR).")
        return view(*args, **kwargs)
    return wrapped


@bp.route("/cycle", methods=["GET", "POST"])
@login_required
@hr_required
def cycle():
    units = scope.hr_units(db.session, current_user)
    form = StartCycleForm()
    form.unit_id.choices = [(u.id, ("— " * (u.path.count("/") - 2)) + u.name) for u in units]
    if form.year.data is None and not form.is_submitted():
        form.year.data = date.today().year
    status = 200
    if form.validate_on_submit():
        unit = db.session.get(OrgUnit, form.unit_id.data)
        if unit is None or not scope.is_hr_for(current_user, unit.path):
            abort(403, "Unit ini di luar wewenang Anda.")
        try:
            result = cycle_service.start_cycle(db.session, unit, form.year.data, current_user.id)
        except ServiceError as err:
            db.session.rollback()
            flash(str(err), "danger")
            status = 422
        else:
            flash(f"Siklus {form.year.data}: {result.started} kasus dimulai, {result.skipped} sudah ada"
                  + (f", {result.errors} galat" if result.errors else "") + ".", "success")
            return redirect(url_for("cases.index", cycle=form.year.data))
    elif form.is_submitted():
        status = 422
    counts = dict(db.session.execute(
        select(Case.cycle_key, func.count()).where(Case.process_id == "performance_cycle")
        .group_by(Case.cycle_key)).all())
    return render_template("hr_cycle.html", form=form, counts=counts), status


@bp.route("/periods")
@login_required
@hr_required
def periods():
    agency_ids = {u.agency_id for u in scope.hr_units(db.session, current_user)}
    rows = db.session.scalars(
        select(Period).where(Period.agency_id.in_(agency_ids)).order_by(Period.cycle_key.desc(), Period.key)
    ).all()
    waiting = dict(db.session.execute(
        select(Case.waiting_message, func.count()).where(Case.waiting_message.is_not(None))
        .group_by(Case.waiting_message)).all())
    return render_template("hr_periods.html", periods=rows, waiting=waiting, action_form=ActionForm())


@bp.route("/periods/<int:period_id>/close", methods=["POST"])
@login_required
@hr_required
def close_period(period_id):
    period = db.session.get(Period, period_id)
    if period is None:
        abort(404)
    if period.agency_id not in {u.agency_id for u in scope.hr_units(db.session, current_user)}:
        abort(403, "Periode ini di luar wewenang Anda.")
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        enqueue("workers.jobs.close_period", period.id, current_user.id)
    except ServiceError as err:
        flash(str(err), "danger")
    else:
        flash(f"Penutupan periode {period.key} sedang diproses.", "success")
    return redirect(url_for("hr.periods"))
