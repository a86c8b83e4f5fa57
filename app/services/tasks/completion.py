"""Inboxes, claim/release, and completing a task through the case runner."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, func, literal, or_, select, update
from sqlalchemy.orm import Session

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import Forbidden, ServiceError, TaskNotOpen
from app.engine.runner import CaseChanged, CaseRunner, TaskUnavailable
from app.models import Employee, HumanTask, User
from app.models.statuses import CaseStatus, TaskStatus
from app.rules.working_days import CalendarYearMissing
from app.services.access.task_access import check_can_complete, get_task, may_claim, not_open_message
from app.services.tasks import types as task_types


def _candidate_clause(user: User):
    clauses = [
        and_(HumanTask.candidate_role == g.role, HumanTask.candidate_unit_path.like(f"{g.unit.path}%"))
        for g in user.grants
    ]
    return or_(*clauses) if clauses else None


@dataclass
class InboxFilter:
    scope: str = "all"  # all | mine | claimable
    status: str = TaskStatus.OPEN
    q: str = ""
    form_key: str = ""
    overdue: bool = False


def inbox_query(user: User, f: InboxFilter):
    mine = or_(HumanTask.assignee_user_id == user.id, HumanTask.claimed_by_id == user.id)
    candidate = _candidate_clause(user)
    claimable = and_(candidate, HumanTask.claimed_by_id.is_(None)) if candidate is not None else None
    if f.scope == "mine" or claimable is None:
        where = mine
    elif f.scope == "claimable":
        where = claimable
    else:
        where = or_(mine, claimable)
    stmt = select(HumanTask).where(where)
    if f.status in tuple(TaskStatus):
        stmt = stmt.where(HumanTask.status == f.status)
    if f.form_key:
        stmt = stmt.where(HumanTask.form_key == f.form_key)
    if f.overdue:
        stmt = stmt.where(HumanTask.due_at < utcnow())
    if f.q:
        like = f"%{f.q.strip()}%"
        stmt = stmt.join(Employee, Employee.id == HumanTask.subject_employee_id).where(
            or_(HumanTask.name.ilike(like), Employee.name.ilike(like), Employee.nip.like(like))
        )
    return stmt


def inbox_count_columns(user: User) -> list:
    """The inbox counts as labelled scalar subqueries (mine, claimable, overdue), so a page can
    read them together with its other navigation facts in one round trip."""
    assigned = and_(HumanTask.status == TaskStatus.OPEN,
                    or_(HumanTask.assignee_user_id == user.id, HumanTask.claimed_by_id == user.id))
    count = select(func.count()).select_from(HumanTask)
    candidate = _candidate_clause(user)
    claimable = (count.where(HumanTask.status == TaskStatus.OPEN, HumanTask.claimed_by_id.is_(None), candidate)
                 .scalar_subquery() if candidate is not None else literal(0))
    return [count.where(assigned).scalar_subquery().label("mine"), claimable.label("claimable"),
            count.where(assigned, HumanTask.due_at < utcnow()).scalar_subquery().label("overdue")]


def claim(session: Session, user: User, task: HumanTask) -> None:
    if task.status != TaskStatus.OPEN:
        raise TaskNotOpen(not_open_message())
    if not may_claim(user, task):
        raise Forbidden(_("Anda tidak dapat mengambil tugas ini.") if task.claimed_by_id is None
                        else _("Tugas ini sudah diambil oleh orang lain."))
    # A conditional UPDATE so two people claiming at once cannot both win; an ORM one, so that the
    # task object the caller holds sees its new holder in the same transaction.
    claimed = session.execute(
        update(HumanTask)
        .where(HumanTask.id == task.id, HumanTask.claimed_by_id.is_(None), HumanTask.status == TaskStatus.OPEN)
        .values(claimed_by_id=user.id, claimed_at=utcnow())
    ).rowcount
    if claimed != 1:
        raise ServiceError(_("Tugas ini baru saja diambil oleh orang lain."))
    audit.record(session, user.id, "task_claimed", f"Mengambil tugas '{task.name}'", task.case_id)
    session.flush()


def release(session: Session, user: User, task: HumanTask) -> None:
    if task.status != TaskStatus.OPEN or task.claimed_by_id != user.id:
        raise Forbidden(_("Hanya yang mengambil tugas ini yang dapat melepaskannya."))
    task.claimed_by_id = None
    task.claimed_at = None
    audit.record(session, user.id, "task_released", f"Melepas tugas '{task.name}'", task.case_id)
    session.flush()


def complete(session: Session, user: User, task_id: int, data: dict):
    """Complete a task in one transaction; a concurrent change rolls everything back.

    A form is accepted while its own task is open, even if other branches of the case moved since
    it was rendered; only a change to the same case *during* this step loses (CaseChanged).
    """
    task = get_task(session, task_id)
    check_can_complete(user, task)
    case = task.case
    if case.status == CaseStatus.ERROR:
        raise ServiceError(_("Kasus ini sedang dalam keadaan galat; hubungi pengelola kinerja."))
    try:
        data_for_workflow = task_types.get(task.form_key).handler(session, case, task, user, data)
        CaseRunner(session).complete(task, user.id, data_for_workflow)
        session.flush()
    except TaskUnavailable as err:
        session.rollback()
        raise TaskNotOpen(not_open_message(), case_id=task.case_id) from err
    except (CaseChanged, ServiceError):
        session.rollback()
        raise
    except CalendarYearMissing as err:
        session.rollback()
        raise ServiceError(str(err)) from err
    return case
