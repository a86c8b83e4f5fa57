"""Daily work logs with evidence, monthly action plans, entry validation and unit compliance."""
import uuid
from datetime import date, timedelta

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.core.errors import ServiceError
from app.core.language import month_name
from app.extensions import db
from app.models import ActionPlan, Employee, Evidence
from app.models.statuses import LogStatus
from app.rules import uploads as upload_rules
from app.rules.periods import month_bounds, month_key
from app.services.access import scope
from app.services.monitoring import action_plans, compliance, work_logs
from app.services.monitoring.work_logs import LogInput, LogRefused
from app.web.errors import HANDLED, action_form_required
from app.web.paging import Page
from app.web.stored_files import send_stored
from forms.common import ActionForm
from forms.monitoring import OTHER_WORK, ActionPlanForm, CommentForm, DecisionForm, WorkLogForm

bp = Blueprint("monitoring", __name__)


def _month_arg() -> str:
    key = request.args.get("month") or month_key(current_user.today())
    try:
        month_bounds(key)
    except ValueError:
        abort(404)
    return key


def _employee_required():
    if current_user.employee_id is None:
        abort(403, _("Halaman ini untuk pegawai yang memiliki data kepegawaian."))


def _neighbours(key: str) -> tuple[str, str]:
    first, last = month_bounds(key)
    return month_key(first - timedelta(days=1)), month_key(last + timedelta(days=1))


# -- work logs --------------------------------------------------------------------------------------

@bp.route("/logs")
@login_required
def logs():
    _employee_required()
    key = _month_arg()
    employee = current_user.employee
    target, _cap = work_logs.settings_for(db.session, employee.agency_id)
    return render_template(
        "logs.html", month=key, month_label=month_name(month_bounds(key)[0]), neighbours=_neighbours(key),
        logs=work_logs.month_logs(db.session, employee.id, key),
        minutes=work_logs.month_minutes(db.session, employee.id, key), target=target,
        closed=work_logs.month_closed(db.session, employee.id, month_bounds(key)[0]),
        saved_token=request.args.get("saved", ""), action_form=ActionForm())


def _plan_choices(employee_id: int, day: date):
    plans = action_plans.for_month(db.session, employee_id, month_key(day))
    return [(OTHER_WORK, _("Tugas lain (di luar rencana aksi)"))] + [(p.id, p.text[:90]) for p in plans]


def _log_input(form: WorkLogForm) -> LogInput:
    uploads = [upload_rules.Upload(f.filename, f.read()) for f in (form.files.data or []) if f and f.filename]
    removed = [int(v) for v in request.form.getlist("remove_evidence") if v.isdigit()]
    return LogInput(day=form.day.data, start_time=form.start_time.data, end_time=form.end_time.data,
                    description=form.description.data or "", quantity=form.quantity.data, unit=form.unit.data or "",
                    action_plan_id=form.action_plan_id.data or None, link=form.link.data or "",
                    client_token=form.client_token.data or "", uploads=uploads, remove_evidence_ids=removed)


def _apply_errors(form: WorkLogForm, errors: dict) -> None:
    for name, message in errors.items():
        field = getattr(form, name, None) or form.description
        field.errors = list(field.errors or []) + [message]


@bp.route("/logs/new", methods=["GET", "POST"])
@login_required
def new_log():
    _employee_required()
    return _log_form(None)


@bp.route("/logs/<int:log_id>/edit", methods=["GET", "POST"])
@login_required
def edit_log(log_id):
    _employee_required()
    return _log_form(work_logs.own_log(db.session, current_user, log_id))


def _log_form(log):
    if request.method == "POST":
        form = WorkLogForm()
    elif log is not None:
        form = WorkLogForm(obj=log, formdata=None)
        form.action_plan_id.data = log.action_plan_id or OTHER_WORK
    else:
        try:
            day = date.fromisoformat(request.args.get("day", ""))
        except ValueError:
            day = current_user.today()
        start, end = work_logs.next_free_slot(db.session, current_user.employee_id, day)
        form = WorkLogForm(formdata=None, day=day, start_time=start, end_time=end, client_token=uuid.uuid4().hex)
    day = form.day.data or (log.day if log else current_user.today())
    form.action_plan_id.choices = _plan_choices(current_user.employee_id, day)
    status = 200
    if request.method == "POST":
        valid = form.validate()
        if valid:
            try:
                saved = work_logs.save(db.session, current_user, _log_input(form), log.id if log else None)
                db.session.commit()
            except LogRefused as err:
                db.session.rollback()
                _apply_errors(form, err.errors)
                valid = False
            except ServiceError as err:
                db.session.rollback()
                flash(str(err), "danger")
                valid = False
            else:
                if saved.duplicate:
                    flash(_("Entri ini sudah tersimpan sebelumnya (formulir yang sama terkirim dua kali); "
                            "tidak ada entri ganda."), "info")
                elif saved.log.flags:
                    # The flags are stored with the entry, so they are shown as stored.
                    flash(_("Aktivitas tersimpan. Perhatian: %(flags)s", flags=" ".join(saved.log.flags)), "warning")
                else:
                    flash(_("Aktivitas tersimpan."), "success")
                return redirect(url_for("monitoring.logs", month=month_key(saved.log.day),
                                        saved=saved.log.client_token))
        if not valid:
            flash(_("Entri belum tersimpan; periksa isian yang ditandai. Berkas bukti perlu dipilih ulang."),
                  "danger")
            status = 422
    return render_template("log_form.html", form=form, log=log), status


@bp.route("/logs/<int:log_id>/delete", methods=["POST"])
@login_required
@action_form_required
def delete_log(log_id):
    try:
        work_logs.delete(db.session, current_user, log_id)
        db.session.commit()
    except HANDLED:
        raise
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
        return redirect(url_for("monitoring.logs"))
    flash(_("Entri dihapus."), "info")
    return redirect(url_for("monitoring.logs", month=request.form.get("month") or None))


@bp.route("/evidence/<int:evidence_id>")
@login_required
def evidence_file(evidence_id):
    item = db.session.get(Evidence, evidence_id)
    if item is None:
        abort(404)
    if not work_logs.evidence_visible(db.session, current_user, item):
        abort(403, _("Anda tidak berhak melihat bukti ini."))
    return send_stored(item)


# -- action plans -----------------------------------------------------------------------------------

@bp.route("/action-plans", methods=["GET", "POST"])
@login_required
def plans():
    key = _month_arg()
    employee_id = request.args.get("employee", type=int) or current_user.employee_id
    if employee_id is None:
        abort(403, _("Halaman ini untuk pegawai yang memiliki data kepegawaian."))
    if not scope.can_view_employee(db.session, current_user, employee_id):
        abort(403, _("Anda tidak berhak melihat rencana aksi pegawai ini."))
    own = employee_id == current_user.employee_id
    first, _last = month_bounds(key)
    form = ActionPlanForm()
    results = action_plans.approved_results(db.session, employee_id, first.year)
    form.plan_result_id.choices = [(r.id, r.text[:100]) for r in results]
    status = 200
    if request.method == "POST":
        if not own:
            abort(403, _("Hanya pegawai itu sendiri yang menyusun rencana aksinya."))
        if form.validate():
            try:
                action_plans.save(db.session, current_user, key, form.plan_result_id.data, form.text.data,
                                  form.target.data, form.unit.data)
                db.session.commit()
            except ServiceError as err:
                db.session.rollback()
                flash(str(err), "danger")
                status = 422
            else:
                flash(_("Rencana aksi tersimpan."), "success")
                return redirect(url_for("monitoring.plans", month=key))
        else:
            status = 422
    return render_template(
        "action_plans.html", month=key, month_label=month_name(month_bounds(key)[0]), neighbours=_neighbours(key), form=form,
        own=own, employee=db.session.get(Employee, employee_id), results=results,
        plans=action_plans.for_month(db.session, employee_id, key), comment_form=CommentForm(),
        can_comment=scope.supervises(db.session, current_user, employee_id) or own,
        action_form=ActionForm()), status


@bp.route("/action-plans/<int:plan_id>/comment", methods=["POST"])
@login_required
def comment(plan_id):
    form = CommentForm()
    if not form.validate_on_submit():
        flash(_("Komentar kosong tidak dikirim; tulis komentarnya."), "danger")
        plan = db.session.get(ActionPlan, plan_id)
        if plan is None:
            abort(404)
        return redirect(url_for("monitoring.plans", month=f"{plan.month:%Y-%m}", employee=plan.employee_id))
    row = action_plans.comment(db.session, current_user, plan_id, form.text.data)
    db.session.commit()
    plan = db.session.get(ActionPlan, row.action_plan_id)
    flash(_("Komentar tersimpan."), "success")
    return redirect(url_for("monitoring.plans", month=f"{plan.month:%Y-%m}", employee=plan.employee_id))


@bp.route("/action-plans/<int:plan_id>/delete", methods=["POST"])
@login_required
@action_form_required
def delete_plan(plan_id):
    try:
        action_plans.delete(db.session, current_user, plan_id)
        db.session.commit()
        flash(_("Rencana aksi dihapus."), "info")
    except HANDLED:
        raise
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
    return redirect(url_for("monitoring.plans", month=request.form.get("month") or None))


# -- validation of entries inside the monthly task ---------------------------------------------------

@bp.route("/validation/<int:task_id>/logs/<int:log_id>", methods=["POST"])
@login_required
def decide(task_id, log_id):
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        work_logs.decide(db.session, current_user, task_id, log_id, form.decision.data, form.reason.data)
        db.session.commit()
    except HANDLED:
        raise
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
    else:
        flash(_("Entri diterima.") if form.decision.data == LogStatus.VALIDATED
              else _("Entri ditolak; pegawai diberi tahu."), "success")
    return redirect(url_for("inbox.task", task_id=task_id) + f"#log-{log_id}")


@bp.route("/validation/<int:task_id>/accept-all", methods=["POST"])
@login_required
@action_form_required
def accept_all(task_id):
    try:
        count = work_logs.accept_remaining(db.session, current_user, task_id)
        db.session.commit()
    except HANDLED:
        raise
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
    else:
        flash(ngettext("%(num)d entri diterima sekaligus.", "%(num)d entri diterima sekaligus.", count), "success")
    return redirect(url_for("inbox.task", task_id=task_id))


# -- compliance -------------------------------------------------------------------------------------

def _compliance_rows():
    units = scope.units_in_scope(db.session, current_user)
    if not units:
        abort(403, _("Halaman kepatuhan untuk pimpinan unit dan pengelola kinerja."))
    unit_id = request.args.get("unit", type=int) or units[0].id
    unit = next((u for u in units if u.id == unit_id), None)
    if unit is None:
        abort(403, _("Unit ini di luar wewenang Anda."))
    key = _month_arg()
    sort = request.args.get("sort", "name")
    descending = request.args.get("desc") == "1"
    rows = compliance.unit_rows(db.session, unit, key, current_user.today(), sort, descending)
    return units, unit, key, sort, descending, rows


@bp.route("/compliance")
@login_required
def compliance_page():
    units, unit, key, sort, descending, rows = _compliance_rows()
    size = current_app.config["PAGE_SIZE"]
    pages = max(1, (len(rows) + size - 1) // size)
    number = min(max(1, request.args.get("page", 1, type=int)), pages)
    page = Page(items=rows[(number - 1) * size:number * size], page=number, pages=pages, total=len(rows))
    return render_template("compliance.html", units=units, unit=unit, month=key, month_label=month_name(month_bounds(key)[0]),
                           sort=sort, descending=descending, page=page, columns=compliance.SORT_KEYS)


@bp.route("/compliance.csv")
@login_required
def compliance_csv():
    _units, unit, key, _sort, _desc, rows = _compliance_rows()
    return Response(compliance.to_csv(rows), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=kepatuhan-{unit.code}-{key}.csv"})

