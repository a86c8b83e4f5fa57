"""Complaint pages: file one from any page, my complaints, a complaint's thread, its files, the
PIC/IT desk, the SLA targets and the report for HR and IT."""
from datetime import date
from functools import wraps

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.core.clock import utcnow
from app.core.errors import ServiceError
from app.extensions import db
from app.models import Agency
from app.rules.sla import CATEGORIES
from app.services.access import scope, task_access
from app.services.complaints import desk, report, targets
from app.services.complaints import filing as service
from app.web.errors import HANDLED
from app.web.paging import paginate
from app.web.stored_files import send_stored
from forms.complaints import CommentForm, ComplaintForm, ReassignForm, sla_targets_form

bp = Blueprint("complaints", __name__, url_prefix="/complaints")


def _visible(complaint_id):
    return service.get_visible(db.session, current_user, complaint_id)


def _role_required(check, message):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not check(current_user):
                abort(403, str(message))
            return view(*args, **kwargs)
        return wrapped
    return decorator


desk_required = _role_required(desk.is_desk_user, _l("Meja pengaduan khusus PIC dan Tim TI."))
report_required = _role_required(report.may_see, _l("Laporan pengaduan khusus pengelola kinerja, Tim TI dan auditor."))
targets_required = _role_required(lambda user: bool(targets.editable_agency_ids(user)),
                                  _l("Target SLA diatur oleh Tim TI atau pengelola kinerja."))


# -- filing and reading ---------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = ComplaintForm()
    tasks = service.own_open_tasks(db.session, current_user)
    form.related_task_id.choices = [(0, _("Tidak terkait tugas tertentu"))] + [
        (t.id, f"{t.name} — {t.subject.name}") for t in tasks]
    if request.method == "GET":
        form.source_url.data = service.safe_source(request.args.get("from"))
        from_task = service.task_from_source(form.source_url.data)
        form.related_task_id.data = from_task if from_task in {t.id for t in tasks} else 0
    status = 200
    if current_user.employee_id is None:
        flash(service.NO_EMPLOYEE, "warning")
    elif form.validate_on_submit():
        try:
            complaint = service.file_complaint(db.session, current_user, service.NewComplaint(
                category=form.category.data, description=form.description.data, source_url=form.source_url.data,
                related_task_id=form.related_task_id.data or None, files=form.uploads()))
        except ServiceError as err:
            flash(str(err), "danger")
            status = 422
        else:
            db.session.commit()
            flash(_("Pengaduan %(number)s terkirim ke PIC unit Anda. Anda akan diberi tahu setiap ada balasan.",
                    number=complaint.number), "success")
            return redirect(url_for("complaints.detail", complaint_id=complaint.id))
    elif form.is_submitted():
        flash(_("Periksa isian yang ditandai merah; uraian Anda tidak hilang (lampiran perlu dipilih lagi)."),
              "danger")
        status = 422
    return render_template("complaint_new.html", form=form, categories=CATEGORIES), status


@bp.route("")
@login_required
def mine():
    status = request.args.get("status", "")
    page = paginate(db.session, service.mine_query(current_user, status))
    return render_template("complaints_mine.html", page=page, status=status)


@bp.route("/<int:complaint_id>")
@login_required
def detail(complaint_id):
    complaint = _visible(complaint_id)
    return _render_detail(complaint, CommentForm())


def _render_detail(complaint, comment_form, status=200):
    task = service.open_task(db.session, complaint)
    can_work = task is not None and (task_access.may_act(current_user, task)
                                     or task_access.in_candidate_group(current_user, task))
    return render_template(
        "complaint_detail.html", complaint=complaint, task=task, can_work=can_work,
        is_reporter=complaint.reporter_user_id == current_user.id,
        is_staff=service.is_staff_for(current_user, complaint), comment_form=comment_form,
        is_hr=scope.is_hr_for(current_user, complaint.unit_path),
        linked=service.linked_case_view(db.session, current_user, complaint), now=utcnow(),
        paused=service.is_paused(complaint)), status


@bp.route("/<int:complaint_id>/comment", methods=["POST"])
@login_required
def comment(complaint_id):
    complaint = _visible(complaint_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return _render_detail(complaint, form, 422)
    try:
        service.comment(db.session, current_user, complaint, form.message.data, form.uploads())
    except HANDLED:
        raise
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
        return _render_detail(complaint, form, 422)
    db.session.commit()
    flash(_("Informasi tambahan terkirim."), "success")
    return redirect(url_for("complaints.detail", complaint_id=complaint.id))


@bp.route("/files/<int:attachment_id>")
@login_required
def attachment(attachment_id):
    return send_stored(service.attachment_for(db.session, current_user, attachment_id))


# -- the desk -------------------------------------------------------------------------------

def _desk_filter() -> desk.DeskFilter:
    return desk.DeskFilter(
        view=request.args.get("view", "open") if request.args.get("view") in desk.VIEWS else "open",
        category=request.args.get("category", "") if request.args.get("category") in CATEGORIES else "",
        unit_id=request.args.get("unit", type=int), level=request.args.get("level", ""),
        holder=request.args.get("holder", ""), q=request.args.get("q", ""))


@bp.route("/desk")
@login_required
@desk_required
def desk_page():
    f = _desk_filter()
    now = utcnow()
    page = paginate(db.session, desk.desk_query(current_user, f, now))
    form = ReassignForm()
    form.target.choices = [(0, _("— kembalikan ke antrean kelompok —"))] + [
        (u.id, u.display_name) for u in desk.reassign_targets(db.session, current_user)]
    tasks = desk.open_tasks_by_case(db.session, page.items)
    return render_template(
        "complaint_desk.html", page=page, f=f, now=now, counts=desk.view_counts(db.session, current_user, now),
        tasks=tasks, holders=desk.holder_names(db.session, tasks), units=desk.desk_units(db.session, current_user),
        form=form, views=desk.VIEWS, view_labels=desk.VIEW_LABELS, categories=CATEGORIES)


@bp.route("/desk/reassign", methods=["POST"])
@login_required
@desk_required
def reassign():
    form = ReassignForm()
    if not form.validate_on_submit():
        abort(400)
    ids = [int(v) for v in request.form.getlist("complaint_ids") if v.isdigit()]
    try:
        result = desk.reassign(db.session, current_user, ids, form.target.data or None)
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
    else:
        db.session.commit()
        if result.moved:
            flash(ngettext("%(num)d pengaduan dialihkan: %(numbers)s.", "%(num)d pengaduan dialihkan: %(numbers)s.",
                           len(result.moved), numbers=", ".join(result.moved)), "success")
        if result.refused:
            flash(_("Tidak dialihkan: %(reasons)s.", reasons="; ".join(result.refused)), "warning")
    return redirect(request.form.get("back") if (request.form.get("back") or "").startswith("/complaints/desk")
                    else url_for("complaints.desk_page"))


# -- SLA targets ----------------------------------------------------------------------------

@bp.route("/sla", methods=["GET", "POST"])
@login_required
@targets_required
def sla_targets():
    agency_ids = targets.editable_agency_ids(current_user)
    agency_id = request.args.get("agency", type=int) or agency_ids[0]
    if agency_id not in agency_ids:
        abort(403, _("Instansi ini di luar wewenang Anda."))
    current = targets.targets_for(db.session, agency_id)
    form = sla_targets_form(current)()
    status = 200
    if form.validate_on_submit():
        values = {c: (form[f"response_{c}"].data, form[f"resolution_{c}"].data) for c in CATEGORIES}
        problems = {c: targets.check_pair(c, *values[c]) for c in CATEGORIES}
        for c, messages in problems.items():
            form[f"resolution_{c}"].errors = list(form[f"resolution_{c}"].errors) + messages
        if any(problems.values()):
            status = 422
        else:
            changed = targets.save(db.session, current_user, agency_id, values)
            db.session.commit()
            flash(ngettext("Target SLA tersimpan (%(num)d kategori berubah). Pengaduan yang sudah berjalan tetap "
                           "memakai target saat diajukan.",
                           "Target SLA tersimpan (%(num)d kategori berubah). Pengaduan yang sudah berjalan tetap "
                           "memakai target saat diajukan.", changed), "success")
            return redirect(url_for("complaints.sla_targets", agency=agency_id))
    elif form.is_submitted():
        status = 422
    return render_template("complaint_sla.html", form=form, categories=CATEGORIES, agency=db.session.get(Agency, agency_id),
                           agencies=[db.session.get(Agency, a) for a in agency_ids]), status


# -- report ---------------------------------------------------------------------------------

def _report_filter() -> report.ReportFilter:
    f = report.default_filter(current_user.today())
    try:
        if request.args.get("start"):
            f.start = date.fromisoformat(request.args["start"])
        if request.args.get("end"):
            f.end = date.fromisoformat(request.args["end"])
    except ValueError as err:
        raise ServiceError(_("Tanggal harus berformat TTTT-BB-HH.")) from err
    f.unit_id = request.args.get("unit", type=int)
    f.category = request.args.get("category", "")
    report.check_filter(f)
    return f


@bp.route("/report")
@login_required
@report_required
def report_page():
    status = 200
    try:
        f = _report_filter()
    except ServiceError as err:
        flash(str(err), "danger")
        f, status = report.default_filter(current_user.today()), 422
    if request.args.get("format") == "csv" and status == 200:
        body = report.csv_text(db.session, current_user, f)
        return Response(body, mimetype="text/csv", headers={
            "Content-Disposition": f"attachment; filename=pengaduan-{f.start.isoformat()}-{f.end.isoformat()}.csv"})
    data = report.summary(db.session, current_user, f)
    return render_template("complaint_report.html", f=f, data=data, categories=CATEGORIES,
                           units=report.report_units(db.session, current_user),
                           can_edit_targets=bool(targets.editable_agency_ids(current_user))), status


@bp.app_context_processor
def complaint_nav():
    if not current_user.is_authenticated:
        return {}
    return {"complaint_nav": {"desk": desk.is_desk_user(current_user), "report": report.may_see(current_user)}}

