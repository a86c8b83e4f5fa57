"""HR's process designer: process list, modeler, versions with rollback, and case migration."""
from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.errors import ServiceError
from app.core.jobs.queue import enqueue
from app.engine.validation import DiagramRejected
from app.extensions import db
from app.models import MigrationItem, ProcessVersion
from app.models.statuses import MigrationItemResult
from app.services.designer import migration as case_migration
from app.services.designer import processes as service
from app.web.errors import HANDLED, action_form_required
from app.web.hr import hr_required
from app.web.paging import paginate
from forms.common import ActionForm
from forms.designer import ActivateForm, MigrationStartForm, UploadProcessForm

bp = Blueprint("designer", __name__, url_prefix="/hr/processes")


def _problems(problems) -> list[dict]:
    return [{"element_id": p.element_id, "element_name": p.element_name, "message": p.message} for p in problems]


def _known(process_id: str) -> None:
    service.known_process(db.session, process_id)


@bp.route("")
@login_required
@hr_required
def index():
    return render_template("designer/index.html", processes=service.overview(db.session),
                           upload_form=UploadProcessForm())


@bp.route("/upload", methods=["POST"])
@login_required
@hr_required
def upload():
    form = UploadProcessForm()
    if form.validate_on_submit():
        try:
            text = service.read_upload(form.file.data.read(), form.file.data.filename or "")
            process_id, xml = service.prepare_import(text)
            draft = service.draft_of(db.session, process_id)
            service.save_draft(db.session, current_user, process_id, xml, draft.lock_version if draft else None)
        except DiagramRejected as err:
            form.file.errors.append("; ".join(str(p) for p in err.problems))
        except ServiceError as err:
            db.session.rollback()
            form.file.errors.append(str(err))
        else:
            db.session.commit()
            flash(_("Diagram '%(process)s' disimpan sebagai draf. Periksa lalu deploy bila sudah benar.",
                    process=process_id), "success")
            return redirect(url_for("designer.modeler", process_id=process_id))
    db.session.rollback()
    return render_template("designer/index.html", processes=service.overview(db.session), upload_form=form), 422


@bp.route("/catalog.json")
@login_required
@hr_required
def catalog():
    return jsonify(service.catalog())


@bp.route("/<process_id>")
@login_required
@hr_required
def versions(process_id):
    _known(process_id)
    rows = service.versions(db.session, process_id)
    start_form = MigrationStartForm()
    choices = [(r.version.id, f"v{r.version.version}") for r in rows]
    start_form.from_version.choices = choices
    start_form.to_version.choices = choices
    if rows:
        active = next((r.version for r in rows if r.version.is_active), rows[0].version)
        start_form.to_version.data = active.id
        older = next((r.version for r in rows if r.running and r.version.id != active.id), None)
        start_form.from_version.data = older.id if older else None
    runs = paginate(db.session, case_migration.runs_query(process_id, current_user))
    return render_template("designer/versions.html", process_id=process_id, rows=rows, runs=runs,
                           draft=service.draft_of(db.session, process_id), activate_form=ActivateForm(),
                           start_form=start_form, action_form=ActionForm())


@bp.route("/<process_id>/versions/<int:number>.bpmn")
@login_required
@hr_required
def download(process_id, number):
    version = service.version(db.session, process_id, number)
    return Response(version.bpmn_xml, mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{process_id}-v{number}.bpmn"'})


@bp.route("/<process_id>/versions/<int:number>/activate", methods=["POST"])
@login_required
@hr_required
def activate(process_id, number):
    form = ActivateForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.activate(db.session, current_user, process_id, number, form.note.data or "")
    except HANDLED:
        raise
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "warning")
    else:
        db.session.commit()
        flash(_("Versi %(number)s sekarang aktif: kasus baru dimulai pada versi ini; kasus berjalan tetap pada "
                "versinya.", number=number), "success")
    return redirect(url_for("designer.versions", process_id=process_id))


@bp.route("/<process_id>/modeler")
@login_required
@hr_required
def modeler(process_id):
    _known(process_id)
    return render_template("designer/modeler.html", process_id=process_id,
                           draft=service.draft_of(db.session, process_id), action_form=ActionForm())


@bp.route("/<process_id>/working.json")
@login_required
@hr_required
def working(process_id):
    xml, source = service.working_xml(db.session, process_id)
    draft = service.draft_of(db.session, process_id)
    return jsonify({"xml": xml, "source": source, "lock_version": draft.lock_version if draft else None,
                    "saved_by": draft.updated_by.display_name if draft and draft.updated_by else None,
                    "saved_at": draft.updated_at.isoformat() if draft else None})


def _xml_from_request() -> str:
    payload = request.get_json(silent=True) or {}
    xml = payload.get("xml")
    if not isinstance(xml, str) or not xml.strip():
        abort(400)
    return xml


@bp.route("/<process_id>/validate", methods=["POST"])
@login_required
@hr_required
def validate(process_id):
    _known(process_id)
    return jsonify({"problems": _problems(service.problems_in(_xml_from_request()))})


@bp.route("/<process_id>/draft", methods=["POST"])
@login_required
@hr_required
def save_draft(process_id):
    _known(process_id)
    xml = _xml_from_request()
    lock = (request.get_json(silent=True) or {}).get("lock_version")
    try:
        draft = service.save_draft(db.session, current_user, process_id, xml, lock if isinstance(lock, int) else None)
    except service.DraftConflict as err:
        db.session.rollback()
        return jsonify({"error": str(err)}), 409
    except DiagramRejected as err:
        db.session.rollback()
        return jsonify({"error": _("Draf tidak disimpan."), "problems": _problems(err.problems)}), 422
    db.session.commit()
    return jsonify({"lock_version": draft.lock_version, "saved_at": draft.updated_at.isoformat()})


@bp.route("/<process_id>/draft/discard", methods=["POST"])
@login_required
@hr_required
@action_form_required
def discard_draft(process_id):
    service.discard_draft(db.session, current_user, process_id)
    db.session.commit()
    if process_id not in service.process_ids(db.session):
        flash(_("Draf proses baru '%(process)s' dibuang.", process=process_id), "success")
        return redirect(url_for("designer.index"))
    flash(_("Draf dibuang; desainer membuka versi aktif."), "success")
    return redirect(url_for("designer.modeler", process_id=process_id))


@bp.route("/<process_id>/deploy", methods=["POST"])
@login_required
@hr_required
def deploy(process_id):
    _known(process_id)
    xml = _xml_from_request()
    note = (request.get_json(silent=True) or {}).get("note") or ""
    note = note if isinstance(note, str) else ""
    try:
        version = service.deploy(db.session, current_user, process_id, note, xml)
    except DiagramRejected as err:
        db.session.rollback()
        return jsonify({"error": _("Tidak dideploy: perbaiki masalah berikut."),
                        "problems": _problems(err.problems)}), 422
    except ServiceError as err:
        db.session.rollback()
        # The service refuses an empty note first; its wording is translated, so it cannot be matched.
        return jsonify({"error": str(err), "field": None if note.strip() else "note"}), 422
    return jsonify({"version": version.version, "url": url_for("designer.versions", process_id=process_id)})


@bp.route("/<process_id>/import", methods=["POST"])
@login_required
@hr_required
def import_file(process_id):
    _known(process_id)
    upload = request.files.get("file")
    if upload is None:
        return jsonify({"error": _("Pilih berkas .bpmn.")}), 422
    try:
        _process_id, xml = service.prepare_import(service.read_upload(upload.read(), upload.filename or ""),
                                                  process_id)
    except DiagramRejected as err:
        return jsonify({"error": _("Berkas tidak dapat dibuka."), "problems": _problems(err.problems)}), 422
    except ServiceError as err:
        return jsonify({"error": str(err)}), 422
    return jsonify({"xml": xml})


@bp.route("/<process_id>/migrations", methods=["POST"])
@login_required
@hr_required
def start_migration(process_id):
    _known(process_id)
    form = MigrationStartForm()
    ids = db.session.scalars(select(ProcessVersion.id).where(ProcessVersion.process_id == process_id)).all()
    form.from_version.choices = form.to_version.choices = [(i, str(i)) for i in ids]
    if not form.validate_on_submit():
        flash(_("Pilih versi asal dan versi tujuan."), "danger")
        return redirect(url_for("designer.versions", process_id=process_id))
    try:
        run = case_migration.start_precheck(db.session, current_user, db.session.get(ProcessVersion, form.from_version.data),
                                            db.session.get(ProcessVersion, form.to_version.data))
        enqueue("workers.jobs.precheck_migration", run.id)
    except HANDLED:
        raise
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
        return redirect(url_for("designer.versions", process_id=process_id))
    return redirect(url_for("designer.migration", run_id=run.id))


def _run(run_id):
    return case_migration.get_run(db.session, current_user, run_id)


@bp.route("/migrations/<int:run_id>")
@login_required
@hr_required
def migration(run_id):
    run = _run(run_id)
    show = request.args.get("show", "")
    page = paginate(db.session, case_migration.items_query(run, show).options(
        selectinload(MigrationItem.case)))
    return render_template("designer/migration.html", run=run, page=page, show=show,
                           progress=case_migration.progress(run), action_form=ActionForm())


@bp.route("/migrations/<int:run_id>/progress.json")
@login_required
@hr_required
def migration_progress(run_id):
    return jsonify(case_migration.progress(_run(run_id)))


@bp.route("/migrations/<int:run_id>/all", methods=["POST"])
@login_required
@hr_required
@action_form_required
def migrate_all(run_id):
    run = _run(run_id)
    try:
        count = case_migration.queue_all(db.session, current_user, run)
        enqueue("workers.jobs.migrate_cases", run.id, current_user.id)
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "warning")
    else:
        flash(ngettext("%(num)d kasus sedang dimigrasikan di latar belakang.",
                       "%(num)d kasus sedang dimigrasikan di latar belakang.", count), "success")
    return redirect(url_for("designer.migration", run_id=run.id))


@bp.route("/migrations/<int:run_id>/items/<int:item_id>", methods=["POST"])
@login_required
@hr_required
@action_form_required
def migrate_one(run_id, item_id):
    run = _run(run_id)
    try:
        item = case_migration.migrate_one(db.session, current_user, run, item_id)
    except HANDLED:
        raise
    except ServiceError as err:
        flash(str(err), "warning")
    else:
        if item.result == MigrationItemResult.MIGRATED:
            flash(_("Kasus %(employee)s dimigrasikan ke versi %(version)s.", employee=item.case.employee.name,
                    version=run.to_version.version), "success")
        else:
            flash(_("Kasus %(employee)s tidak dimigrasikan dan tetap pada versinya: %(reason)s",
                    employee=item.case.employee.name, reason=item.message), "danger")
    return redirect(url_for("designer.migration", run_id=run.id, show=request.args.get("show", "")))
