"""Unit pages: the unit's own result and the spread of grades it allows."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import ServiceError
from app.extensions import db
from app.models import OrgUnit
from app.rules.grade_matrix import UNIT_RESULT_LABELS, UNIT_RESULTS
from app.services.cycle import unit_results
from app.web.errors import HANDLED
from forms.common import UnitResultForm

bp = Blueprint("units", __name__, url_prefix="/units")


@bp.route("/")
@login_required
def index():
    units = unit_results.units_for(db.session, current_user)
    if not units:
        abort(403, _("Halaman ini untuk kepala unit, pengelola kinerja dan auditor."))
    if len(units) == 1:
        return redirect(url_for("units.distribution", unit_id=units[0].id))
    return render_template("units.html", units=units)


@bp.route("/<int:unit_id>", methods=["GET", "POST"])
@login_required
def distribution(unit_id):
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None:
        abort(404, _("Unit tidak ditemukan."))
    if not unit_results.may_view(current_user, unit):
        abort(403, _("Unit ini di luar wewenang Anda."))
    keys = unit_results.period_keys(db.session, unit)
    period_key = request.args.get("period") or (keys[0] if keys else "")
    if keys and period_key not in keys:
        abort(404, _("Periode tidak ditemukan."))
    form = UnitResultForm()
    form.result.choices = [("", _("— pilih —"))] + [(k, UNIT_RESULT_LABELS[k]) for k in UNIT_RESULTS]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                unit_results.set_result(db.session, current_user, unit, period_key, form.result.data, form.note.data)
            except HANDLED:
                raise
            except ServiceError as err:
                db.session.rollback()
                flash(str(err), "danger")
                status = 422
            else:
                db.session.commit()
                flash(_("Hasil kinerja unit disimpan."), "success")
                return redirect(url_for("units.distribution", unit_id=unit.id, period=period_key))
        else:
            status = 422
    report = unit_results.distribution(db.session, unit, period_key)
    if request.method == "GET" and report.result is not None:
        form.result.data = report.result.result
        form.note.data = report.result.note
    return render_template("unit_distribution.html", unit=unit, keys=keys, period_key=period_key, report=report,
                           form=form, can_manage=unit_results.may_manage(current_user, unit)), status
