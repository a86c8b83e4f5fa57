"""Tasks past due: the holder is reminded once, then the task is offered to the diagram's escalate_to.

A user task's `due` (working days) sets `human_task.due_at`; with `escalate_to` it also gets
`escalate_at`, `escalate_after` working days later (default P2D). The sweeper calls both functions;
each task is claimed for the act by a conditional UPDATE, so two sweepers never remind twice.

Escalating to a group role (hr, pic, it) makes the task claimable by that group in the case's
unit; its assignee keeps it and may still finish it, while a claim on a group task is released so
the new group can take it. Escalating to a person role (supervisor, unit head) hands the task to
that person. Both are recorded in the case's history and notified.
"""
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from app.core import audit, notifications
from app.core.clock import utcnow
from app.core.language import stored
from app.core.retries import begin_write
from app.engine import lanes
from app.models import Case, Employee, HumanTask, OrgUnit, RoleGrant, User
from app.models.statuses import TaskStatus

BATCH = 500


def _local(when: datetime, case: Case) -> str:
    return when.astimezone(case.employee.unit.agency.zone).strftime("%d-%m-%Y %H:%M")


def _claim(session: Session, task_id: int, column, now: datetime) -> bool:
    return session.execute(update(HumanTask).where(
        HumanTask.id == task_id, column.is_(None), HumanTask.status == TaskStatus.OPEN).values({column: now})).rowcount == 1


def _due(session: Session, *conditions) -> list[HumanTask]:
    return list(session.scalars(
        select(HumanTask).where(HumanTask.status == TaskStatus.OPEN, *conditions)
        .options(joinedload(HumanTask.case).joinedload(Case.employee).joinedload(Employee.unit)
                 .joinedload(OrgUnit.agency))
        .order_by(HumanTask.id).limit(BATCH)))


def group_members(session: Session, role: str, unit_path: str) -> list[int]:
    """Active accounts whose grant of `role` covers the unit."""
    rows = session.execute(select(User.id, OrgUnit.path).join(RoleGrant, RoleGrant.user_id == User.id)
                           .join(OrgUnit, OrgUnit.id == RoleGrant.unit_id)
                           .where(RoleGrant.role == role, User.is_active_account.is_(True))).all()
    return sorted({user_id for user_id, path in rows if unit_path.startswith(path)})


def holders(session: Session, task: HumanTask) -> list[int]:
    """Who the task waits for now: its assignee or claimer, else its candidate group."""
    people = [uid for uid in (task.assignee_user_id, task.claimed_by_id) if uid]
    if people:
        return sorted(set(people))
    if task.candidate_role:
        return group_members(session, task.candidate_role, task.candidate_unit_path or "")
    return []


def remind_overdue(session: Session, now: datetime | None = None) -> int:
    now = now or utcnow()
    sent = 0
    while True:
        begin_write(session)
        tasks = _due(session, HumanTask.due_at <= now, HumanTask.reminded_at.is_(None))
        if not tasks:
            session.rollback()
            return sent
        for task in tasks:
            if not _claim(session, task.id, HumanTask.reminded_at, now):
                continue
            text = (f"Pengingat: tugas '{task.name}' untuk {task.subject.name} lewat tenggat "
                    f"({_local(task.due_at, task.case)}). Mohon segera diselesaikan.")
            recipients = holders(session, task)
            for user_id in recipients:
                notifications.notify(session, user_id, text, link=f"/tasks/{task.id}", key=f"task-reminder-{task.id}")
            audit.record(session, None, "task_reminder", f"Pengingat lewat tenggat: '{task.name}'", task.case_id,
                         detail={"task_id": task.id, "recipients": recipients})
            sent += 1
        # One transaction per batch: a sweep killed halfway reminds nobody twice and loses no claim.
        session.commit()


def escalate_overdue(session: Session, now: datetime | None = None) -> int:
    now = now or utcnow()
    moved = 0
    while True:
        begin_write(session)
        tasks = _due(session, HumanTask.escalate_to.is_not(None), HumanTask.escalate_at <= now,
                     HumanTask.escalated_at.is_(None))
        if not tasks:
            session.rollback()
            return moved
        for task in tasks:
            if _claim(session, task.id, HumanTask.escalated_at, now):
                _escalate(session, task, now)
                moved += 1
        session.commit()


def _escalate(session: Session, task: HumanTask, now: datetime) -> None:
    case = task.case
    before = holders(session, task)
    local_day = case.employee.unit.agency.today(now)
    target = lanes.resolve(session, task.escalate_to, case.employee, local_day)
    role_label = stored(lanes.LANE_LABELS.get(task.escalate_to, task.escalate_to))
    if target.user_id is not None:
        task.assignee_user_id = target.user_id
        task.claimed_by_id = None
        task.claimed_at = None
        recipients = [target.user_id]
        summary = f"Tugas '{task.name}' lewat tenggat dialihkan kepada {role_label}"
    else:
        task.candidate_role = target.candidate_role
        task.candidate_unit_path = target.candidate_unit_path
        task.claimed_by_id = None
        task.claimed_at = None
        recipients = group_members(session, target.candidate_role, target.candidate_unit_path or "")
        summary = (f"Tugas '{task.name}' lewat tenggat ditawarkan kepada kelompok "
                   f"{stored(lanes.LANE_LABELS.get(target.candidate_role, target.candidate_role))}")
        if target.fallback_reason:
            summary += f" ({target.fallback_reason})"
    text = f"Tugas '{task.name}' untuk {task.subject.name} lewat tenggat dan kini ditawarkan kepada Anda."
    for user_id in recipients:
        notifications.notify(session, user_id, text, link=f"/tasks/{task.id}", key=f"task-escalated-{task.id}")
    audit.record(session, None, "task_escalated", summary, task.case_id,
                 detail={"task_id": task.id, "escalate_to": task.escalate_to, "before": before,
                         "offered_to": recipients})
