"""The one inbox, and the task page where a task is claimed, released or completed."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app.core.errors import Conflict, Forbidden, ServiceError, TaskNotOpen
from app.engine.runner import CaseChanged
from app.extensions import db
from app.models.statuses import TaskStatus
from app.rules.periods import within_year
from app.services.access import task_access
from app.services.cycle import plans
from app.services.tasks import completion as task_service
from app.services.tasks import types as task_types
from app.web.errors import HANDLED, action_form_required
from app.web.paging import paginate
from forms.common import ActionForm
from forms.plan import PlanForm, plan_formdata

bp = Blueprint("inbox", __name__)


@bp.route("/")
@login_required
def home():
    return redirect(url_for("inbox.index"))


@bp.route("/inbox")
@login_required
def index():
    f = task_service.InboxFilter(
        scope=request.args.get("scope", "all"),
        status=request.args.get("status", TaskStatus.OPEN),
        q=request.args.get("q", ""),
        form_key=request.args.get("form", ""),
        overdue=request.args.get("overdue") == "1",
    )
    HumanTask = task_service.HumanTask
    stmt = task_service.inbox_query(current_user, f).order_by(
        HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id).options(selectinload(HumanTask.subject))
    page = paginate(db.session, stmt)
    return render_template("inbox.html", page=page, f=f, task_types=task_types.all_types(), action_form=ActionForm())


def _load(task_id):
    return task_access.get_task(db.session, task_id)


@bp.route("/tasks/<int:task_id>/claim", methods=["POST"])
@login_required
@action_form_required
def claim(task_id):
    task = _load(task_id)
    try:
        task_service.claim(db.session, current_user, task)
    except HANDLED:
        raise
    except ServiceError as err:  # a task no longer open is said here too, and the inbox shown again
        flash(str(err), "warning")
        return redirect(url_for("inbox.index"))
    db.session.commit()
    flash(_("Tugas '%(task)s' sekarang milik Anda.", task=task.name), "success")
    return redirect(url_for("inbox.task", task_id=task.id))


@bp.route("/tasks/<int:task_id>/release", methods=["POST"])
@login_required
@action_form_required
def release(task_id):
    task = _load(task_id)
    task_service.release(db.session, current_user, task)
    db.session.commit()
    flash(_("Tugas '%(task)s' dilepas dan kembali ke antrean.", task=task.name), "info")
    return redirect(url_for("inbox.index"))


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@login_required
def task(task_id):
    task = _load(task_id)
    if not (task_access.may_act(current_user, task) or task_access.in_candidate_group(current_user, task)):
        abort(403, task_access.NOT_YOURS)
    if task.status != TaskStatus.OPEN:
        if request.method == "POST":
            raise TaskNotOpen(task_access.NOT_OPEN, case_id=task.case_id)
        return render_template("error.html", code=409, title=_("Tugas sudah tidak terbuka"),
                               message=task_access.NOT_OPEN, case_id=task.case_id), 409
    can_act = task_access.may_act(current_user, task)
    if request.method == "POST" and not can_act:
        abort(403, _("Ambil tugas ini terlebih dahulu.") if task.claimed_by_id is None else task_access.NOT_YOURS)
    spec = task_types.get(task.form_key)
    if task.form_key == "skp":
        return _plan_task(task, spec, can_act)
    form = spec.form_class(data=spec.initial_data(db.session, task) if spec.initial_data else None)
    if spec.decisions and hasattr(form, "decision"):
        form.decision.choices = list(spec.decisions)
    status = 200
    if request.method == "POST":
        if form.validate():
            done = _complete(task, form.payload())
            if done is not None:
                return done
        status = 422
    return _render_task(task, spec, form, can_act, status)


def _render_task(task, spec, form, can_act, status=200, plan=None, **extra):
    if plan is None and task.case.process_id == "performance_cycle":
        plan = plans.plan_for_case(db.session, task.case)
    if spec.context:
        extra.update(spec.context(db.session, task))
    return render_template(spec.template, task=task, spec=spec, form=form, can_act=can_act, plan=plan,
                           action_form=ActionForm(), **extra), status


def _complete(task, payload):
    try:
        task_service.complete(db.session, current_user, task.id, payload)
    except (Forbidden, Conflict, CaseChanged):
        raise  # their error page, or the case as it is now
    except ServiceError as err:
        flash(str(err), "danger")
        return None
    db.session.commit()
    flash(_("Tugas '%(task)s' selesai.", task=task.name), "success")
    return redirect(url_for("inbox.index"))


def _plan_task(task, spec, can_act):
    case = task.case
    plan = plans.plan_for_case(db.session, case)
    parents = plans.supervisor_results(db.session, case.employee, case.cycle_key,
                                      within_year(int(case.cycle_key), case.employee.unit.agency.today()))
    choices = [(r.id, f"{r.text[:90]}") for r in parents]
    allowed = {r.id for r in parents}
    is_jpt = case.employee.is_jpt
    status = 200
    if request.method == "POST":
        form = PlanForm()
        form.set_parent_choices(choices)
        action = request.form.get("action", "save")
        valid = form.validate() and form.check_parents(allowed)
        if action == "submit":
            valid = form.check_for_submit(is_jpt, allowed) and valid
        if valid and action == "submit":
            done = _complete(task, form.payload())
            if done is not None:
                return done
            status = 422
        elif valid:
            try:
                plans.save_draft(db.session, plan, form.payload(), current_user.id)
                db.session.commit()
            except ServiceError as err:
                db.session.rollback()
                flash(str(err), "danger")
                status = 422
            else:
                flash(_("Draf SKP tersimpan."), "success")
                extra = 2 if action == "add_row" else 1
                return redirect(url_for("inbox.task", task_id=task.id, rows=extra))
        else:
            flash(_("Periksa isian yang ditandai merah; tidak ada yang hilang dari yang sudah Anda ketik."), "danger")
            status = 422
    else:
        rows = min(max(request.args.get("rows", 1, type=int), 1), 5)
        form = PlanForm(data=plan_formdata(plan, rows))
        form.set_parent_choices(choices)
    return _render_task(task, spec, form, can_act, status, plan=plan, is_jpt=is_jpt, has_parents=bool(parents))
