"""Allowance (TPP) pages: an employee's own months, HR's rules, recap and export, sanctions, assemblies."""
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.errors import ServiceError
from app.extensions import db
from app.models import Agency, Allowance, AllowanceRuleSet, ApelAbsence, DisciplinarySanction
from app.rules.allowance import check_rules, default_rules
from app.services.access import scope
from app.services.allowance import discipline, report
from app.services.allowance import rules as allowance_rules
from app.web.errors import HANDLED, action_form_required
from app.web.hr import hr_required
from app.web.paging import paginate
from forms.allowance import (
    BASE_FIELDS,
    DEDUCTION_FIELDS,
    GRADE_FIELDS,
    LEAVE_FIELDS,
    SANCTION_FIELDS,
    TAX_FIELDS,
    AllowanceRulesForm,
    ApelForm,
    RevokeForm,
    SanctionForm,
    fill,
    rules_from,
)
from forms.common import ActionForm

bp = Blueprint("allowance", __name__)


# -- the employee's own allowance -------------------------------------------------------------------

@bp.route("/tpp")
@login_required
def mine():
    page = paginate(db.session, report.own_rows(db.session, current_user))
    return render_template("allowance_mine.html", page=page)


@bp.route("/tpp/<month>")
@login_required
def my_month(month):
    row = report.own_month(db.session, current_user, month)
    if row is None:
        abort(404, _("TPP bulan ini belum dihitung untuk Anda."))
    return render_template("allowance_detail.html", row=row, own=True)


# -- HR and auditors: recap, one employee's month, export ----------------------------------------

def _recap_reader():
    if not report.can_read_recap(current_user):
        abort(403, _("Rekap TPP hanya untuk pengelola kinerja (HR) dan auditor."))


def _recap_args():
    months = report.months(db.session, current_user)
    month = request.args.get("month") or (months[0] if months else "")
    unit_id = request.args.get("unit", type=int)
    return months, month, unit_id


@bp.route("/hr/tpp")
@login_required
def recap():
    _recap_reader()
    months, month, unit_id = _recap_args()
    q = request.args.get("q", "")
    page = paginate(db.session, report.recap_query(current_user, month, unit_id, q))
    totals = report.unit_totals(db.session, current_user, month, unit_id)
    return render_template("allowance_recap.html", months=months, month=month, unit_id=unit_id, q=q, page=page,
                           totals=totals, units=report.units(db.session, current_user),
                           columns=report.MONEY_COLUMNS)


@bp.route("/hr/tpp/export.xlsx")
@login_required
def export():
    _recap_reader()
    _months, month, unit_id = _recap_args()
    if not month:
        abort(404, _("Belum ada TPP yang dihitung."))
    content = report.export_xlsx(db.session, current_user, month, unit_id)
    return Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="rekap-tpp-{month}.xlsx"'})


@bp.route("/hr/tpp/rows/<int:allowance_id>")
@login_required
def row_detail(allowance_id):
    _recap_reader()
    row = db.session.get(Allowance, allowance_id)
    if row is None:
        abort(404)
    paths = current_user.scope_paths(*report.READ_ROLES)
    if not any(row.unit.path.startswith(path) for path in paths):
        abort(403, _("Pegawai ini di luar wewenang Anda."))
    return render_template("allowance_detail.html", row=row, own=False)


# -- HR: the rules ----------------------------------------------------------------------------------

def _agency() -> Agency:
    agencies = {u.agency_id for u in scope.hr_units(db.session, current_user)}
    chosen = request.args.get("agency", type=int) or min(agencies)
    if chosen not in agencies:
        abort(403, _("Instansi ini di luar wewenang Anda."))
    return db.session.get(Agency, chosen)


@bp.route("/hr/tpp/rules")
@login_required
@hr_required
def rules_index():
    agency = _agency()
    rule_sets = db.session.scalars(select(AllowanceRuleSet).where(AllowanceRuleSet.agency_id == agency.id)
                                   .order_by(AllowanceRuleSet.effective_year.desc())).all()
    return render_template("allowance_rules.html", agency=agency, rule_sets=rule_sets, this_year=current_user.today().year)


@bp.route("/hr/tpp/rules/<int:year>", methods=["GET", "POST"])
@login_required
@hr_required
def rules_edit(year):
    agency = _agency()
    form = AllowanceRulesForm()
    status = 200
    if request.method == "GET":
        current = allowance_rules.in_force(db.session, agency.id, year)
        fill(form, allowance_rules.to_rules(current) if current else default_rules())
        form.effective_year.data = year
    else:
        # Field errors and rule problems are shown together, so HR fixes everything in one pass.
        valid = form.validate_on_submit()
        problems = check_rules(rules_from(form))
        for name, message in problems.items():
            if message not in form[name].errors:
                form[name].errors = list(form[name].errors) + [message]
        if valid and not problems:
            try:
                allowance_rules.save(db.session, agency.id, form.effective_year.data, rules_from(form), current_user.id)
            except allowance_rules.RulesRejected as err:
                db.session.rollback()
                flash(str(err), "danger")
            else:
                db.session.commit()
                flash(_("Aturan TPP berlaku mulai %(year)s disimpan. Bulan yang sudah dihitung berubah setelah "
                        "dihitung ulang dari halaman periode.", year=form.effective_year.data), "success")
                return redirect(url_for("allowance.rules_index", agency=agency.id))
        flash(_("Aturan TPP belum disimpan; perbaiki isian yang ditandai."), "danger")
        status = 422
    existing = db.session.scalars(select(AllowanceRuleSet).where(
        AllowanceRuleSet.agency_id == agency.id, AllowanceRuleSet.effective_year == year)).first()
    return render_template("allowance_rules_form.html", agency=agency, form=form, year=year, existing=existing,
                           fields={"base": BASE_FIELDS, "deduction": DEDUCTION_FIELDS, "leave": LEAVE_FIELDS,
                                   "sanction": SANCTION_FIELDS, "grade": GRADE_FIELDS, "tax": TAX_FIELDS}), status


# -- HR: sanctions and missed assemblies --------------------------------------------------------------

@bp.route("/hr/sanctions", methods=["GET", "POST"])
@login_required
@hr_required
def sanctions():
    form = SanctionForm()
    status = 200
    if form.validate_on_submit():
        try:
            discipline.record_sanction(db.session, current_user, form.nip.data, form.level.data, form.kind.data,
                                       form.decree_number.data, form.starts_on.data, form.months.data,
                                       form.cut_pct.data, form.note.data)
        except ServiceError as err:
            db.session.rollback()
            form.nip.errors = list(form.nip.errors) + [str(err)]
            status = 422
        else:
            db.session.commit()
            flash(_("Hukuman disiplin dicatat; TPP bulan yang terkena berubah saat dihitung (ulang)."), "success")
            return redirect(url_for("allowance.sanctions"))
    elif form.is_submitted():
        status = 422
    q = request.args.get("q", "")
    page = paginate(db.session, discipline.sanctions_query(current_user, q))
    return render_template("sanctions.html", form=form, page=page, q=q, revoke_form=RevokeForm(),
                           today=current_user.today()), status


@bp.route("/hr/sanctions/<int:sanction_id>/revoke", methods=["POST"])
@login_required
@hr_required
def revoke_sanction(sanction_id):
    sanction = db.session.get(DisciplinarySanction, sanction_id)
    if sanction is None:
        abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(" ".join(form.reason.errors) or _("Formulir tidak valid."), "danger")
        return redirect(url_for("allowance.sanctions"))
    try:
        discipline.revoke_sanction(db.session, current_user, sanction, form.reason.data)
    except HANDLED:
        raise
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
    else:
        db.session.commit()
        flash(_("Hukuman disiplin dicabut."), "success")
    return redirect(url_for("allowance.sanctions"))


@bp.route("/hr/apel", methods=["GET", "POST"])
@login_required
@hr_required
def apel():
    form = ApelForm()
    status = 200
    if form.validate_on_submit():
        try:
            result = discipline.record_apel(db.session, current_user, form.day.data, form.nips.data)
        except ServiceError as err:
            db.session.rollback()
            form.day.errors = list(form.day.errors) + [str(err)]
            status = 422
        else:
            db.session.commit()
            day = f"{form.day.data:%d-%m-%Y}"
            if result.already:
                flash(ngettext("%(num)d pegawai dicatat tidak hadir apel %(day)s, %(already)d sudah tercatat.",
                               "%(num)d pegawai dicatat tidak hadir apel %(day)s, %(already)d sudah tercatat.",
                               result.added, day=day, already=result.already), "success")
            else:
                flash(ngettext("%(num)d pegawai dicatat tidak hadir apel %(day)s.",
                               "%(num)d pegawai dicatat tidak hadir apel %(day)s.", result.added, day=day), "success")
            if result.unknown:
                flash(_("NIP tidak ditemukan di unit Anda: %(nips)s", nips=", ".join(result.unknown)), "warning")
            return redirect(url_for("allowance.apel", month=form.day.data.strftime("%Y-%m")))
    elif form.is_submitted():
        status = 422
    month = request.args.get("month") or current_user.today().strftime("%Y-%m")
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        abort(400)
    page = paginate(db.session, discipline.apel_query(current_user, first))
    return render_template("apel.html", form=form, page=page, month=month, action_form=ActionForm()), status


@bp.route("/hr/apel/<int:absence_id>/delete", methods=["POST"])
@login_required
@hr_required
@action_form_required
def delete_apel(absence_id):
    absence = db.session.get(ApelAbsence, absence_id)
    if absence is None:
        abort(404)
    try:
        discipline.delete_apel(db.session, current_user, absence)
    except HANDLED:
        raise
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
    else:
        db.session.commit()
        flash(_("Catatan dihapus."), "success")
    return redirect(url_for("allowance.apel", month=absence.day.strftime("%Y-%m")))
