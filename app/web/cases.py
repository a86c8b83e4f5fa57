"""Case list and the case page: current step, diagram, plan, dialogs, grades, full history; HR retry."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app.core.errors import ServiceError
from app.extensions import db
from app.models import Case
from app.models.statuses import CaseStatus
from app.services.access import scope
from app.services.cases import diagram as case_diagram
from app.services.cases import overview as case_service
from app.services.complaints import filing as complaint_service
from app.services.monitoring import work_logs
from app.web.errors import HANDLED
from app.web.paging import paginate
from forms.common import ForceCloseMonthForm, RetryForm

bp = Blueprint("cases", __name__)


@bp.route("/cases")
@login_required
def index():
    status = request.args.get("status", "")
    q = request.args.get("q", "")
    cycle = request.args.get("cycle", "")
    stmt = case_service.case_list_query(current_user, status, q, cycle).options(
        selectinload(Case.employee), selectinload(Case.unit))  # one query per column, not per row
    page = paginate(db.session, stmt)
    return render_template("cases.html", page=page, status=status, q=q, cycle=cycle)


def _visible(case_id):
    return case_service.get_visible_case(db.session, current_user, case_id)


@bp.route("/cases/<int:case_id>")
@login_required
def detail(case_id):
    complaint_id = complaint_service.complaint_id_for_case(db.session, case_id)
    case = db.session.get(Case, case_id)
    # A complaint's case is read on the complaint's page, except by HR retrying a failed step.
    if complaint_id is not None and not (case.status == CaseStatus.ERROR and scope.is_hr_for(current_user, case.unit_path)):
        return redirect(url_for("complaints.detail", complaint_id=complaint_id))
    case = _visible(case_id)
    facts = case_service.case_facts(db.session, case)
    is_hr = scope.is_hr_for(current_user, case.unit_path)
    return render_template("case.html", case=case, is_hr=is_hr, retry_form=RetryForm(),
                           force_close_form=ForceCloseMonthForm(), **facts)


@bp.route("/cases/<int:case_id>/months/<int:task_id>/close", methods=["POST"])
@login_required
def force_close_month(case_id, task_id):
    """HR closes a month whose validation the supervisor never finished (the allowance must be paid)."""
    case = _visible(case_id)
    form = ForceCloseMonthForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "danger")
        return redirect(url_for("cases.detail", case_id=case.id))
    try:
        row = work_logs.force_close_month(db.session, current_user, task_id, form.reason.data)
        db.session.commit()
    except HANDLED:
        raise
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "danger")
    else:
        flash(_("Bulan ditutup: %(minutes)s menit tervalidasi dihitung.", minutes=row.validated_minutes), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/diagram.json")
@login_required
def diagram(case_id):
    return jsonify(case_diagram.markers(db.session, _visible(case_id)))


@bp.route("/cases/<int:case_id>/retry", methods=["POST"])
@login_required
def retry(case_id):
    case = _visible(case_id)
    form = RetryForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        case_service.retry(db.session, current_user, case, form.data_fix.data)
    except HANDLED:
        raise
    except ServiceError as err:
        flash(str(err), "danger")
        return redirect(url_for("cases.detail", case_id=case.id))
    # Kept either way: a step that fails again records its new error on the case.
    db.session.commit()
    if case.status == CaseStatus.ERROR:
        flash(_("Langkah masih galat: %(error)s", error=case.error_message), "danger")
    else:
        flash(_("Langkah berhasil diulang; kasus berjalan kembali."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))
