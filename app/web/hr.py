"""HR pages: start a year's cycle (periods have their own module, app/web/periods.py)."""
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.core.errors import ServiceError
from app.extensions import db
from app.models import Case, OrgUnit
from app.services.access import scope
from app.services.cycle import start as cycle_service
from forms.common import StartCycleForm

bp = Blueprint("hr", __name__, url_prefix="/hr")


def hr_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.has_role("hr"):
            abort(403, _("Halaman ini khusus pengelola kinerja (HR)."))
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
        form.year.data = current_user.today().year
    status = 200
    notice = None
    if form.validate_on_submit():
        unit = db.session.get(OrgUnit, form.unit_id.data)
        if unit is None or not scope.is_hr_for(current_user, unit.path):
            abort(403, _("Unit ini di luar wewenang Anda."))
        notice = cycle_service.past_year_notice(unit.agency, form.year.data)
        confirmed = form.past_year_confirmed.data == str(form.year.data)
        try:
            if notice and not confirmed:
                raise ServiceError(notice)
            result = cycle_service.start_cycle(db.session, unit, form.year.data, current_user.id,
                                               past_year_confirmed=confirmed)
        except ServiceError as err:
            db.session.rollback()
            if str(err) != notice:
                flash(str(err), "danger")
                notice = None
            status = 422
        else:
            db.session.commit()
            if result.errors:
                flash(_("Siklus %(year)s: %(started)s kasus dimulai, %(skipped)s sudah ada, %(errors)s galat.",
                        year=form.year.data, started=result.started, skipped=result.skipped, errors=result.errors),
                      "success")
            else:
                flash(_("Siklus %(year)s: %(started)s kasus dimulai, %(skipped)s sudah ada.", year=form.year.data,
                        started=result.started, skipped=result.skipped), "success")
            return redirect(url_for("cases.index", cycle=form.year.data))
    elif form.is_submitted():
        status = 422
    counts = dict(db.session.execute(
        select(Case.cycle_key, func.count()).where(Case.process_id == "performance_cycle")
        .group_by(Case.cycle_key)).all())
    return render_template("hr_cycle.html", form=form, counts=counts, notice=notice), status
