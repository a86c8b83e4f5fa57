"""Case lists, the case page's facts, and HR's retry after an error."""
import json

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.errors import Forbidden, NotFound, ServiceError
from app.engine.runner import CaseRunner
from app.models import Appraisal, AuditEvent, Case, Dialog, Employee, FollowUp, HumanTask, Plan, User
from app.models.statuses import CaseStatus, TaskStatus
from app.services.access import scope


def case_list_query(user: User, status: str = "", q: str = "", cycle: str = ""):
    # A complaint is a case too, but it has its own pages and readers (app/services/complaints.py).
    stmt = select(Case).join(Employee, Employee.id == Case.employee_id).where(
        scope.case_filter(user), Case.process_id != "complaint")
    if status:
        stmt = stmt.where(Case.status == status)
    if cycle:
        stmt = stmt.where(Case.cycle_key == cycle)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Employee.name.ilike(like), Employee.nip.like(like)))
    return stmt.order_by(Employee.name)


def get_visible_case(session: Session, user: User, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(_("Kasus tidak ditemukan."))
    if not scope.can_view_case(session, user, case):
        raise Forbidden(_("Anda tidak berhak melihat kasus ini."))
    return case


def case_facts(session: Session, case: Case) -> dict:
    return {
        "plan": session.scalars(select(Plan).where(Plan.case_id == case.id)).first(),
        "dialogs": session.scalars(select(Dialog).where(Dialog.case_id == case.id).order_by(Dialog.period_key)).all(),
        "appraisals": session.scalars(
            select(Appraisal).where(Appraisal.case_id == case.id).order_by(Appraisal.rated_at)).all(),
        "follow_ups": session.scalars(select(FollowUp).where(FollowUp.case_id == case.id)).all(),
        "open_tasks": session.scalars(
            select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.status == TaskStatus.OPEN)).all(),
        "history": session.scalars(
            select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.at, AuditEvent.id)).all(),
    }


def parse_data_fix(text: str) -> dict:
    if not (text or "").strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise ServiceError(_('Data perbaikan harus JSON objek, misalnya {"nilai": 1}: %(error)s',
                             error=err.msg)) from err
    if not isinstance(value, dict):
        raise ServiceError(_('Data perbaikan harus JSON objek, misalnya {"nilai": 1}.'))
    return value


def retry(session: Session, user: User, case: Case, data_fix_text: str) -> Case:
    if not scope.is_hr_for(user, case.unit_path):
        raise Forbidden(_("Hanya pengelola kinerja yang dapat mengulang langkah yang galat."))
    if case.status != CaseStatus.ERROR:
        raise ServiceError(_("Kasus ini tidak dalam keadaan galat."))
    CaseRunner(session).retry(case, user.id, parse_data_fix(data_fix_text))
    session.flush()
    return case
