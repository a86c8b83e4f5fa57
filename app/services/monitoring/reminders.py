"""The daily reminders: employees with no log for the previous working day, supervisors with
validations past due. Safe to run twice a day: each reminder has a key and is sent once."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.notifications import notify
from app.models import Absence, Agency, Employee, HumanTask, User, WorkLog
from app.models.calendar import calendar_for
from app.models.statuses import AbsenceStatus, TaskStatus


@dataclass
class ReminderResult:
    employees: int = 0
    supervisors: int = 0


def previous_working_day(calendar, today: date) -> date:
    day = today - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def send_reminders(session: Session, now: datetime | None = None) -> ReminderResult:
    now = now or utcnow()
    result = ReminderResult()
    for agency in session.scalars(select(Agency)):
        today = agency.today(now)
        day = previous_working_day(calendar_for(session, agency.id), today)
        result.employees += _remind_loggers(session, agency, day)
    result.supervisors = _remind_validators(session, now)
    session.flush()
    return result


def _remind_loggers(session: Session, agency: Agency, day: date) -> int:
    key = f"log:{day.isoformat()}"
    logged = exists().where(WorkLog.employee_id == Employee.id, WorkLog.day == day)
    away = exists().where(Absence.employee_id == Employee.id, Absence.status == AbsenceStatus.APPROVED,
                          Absence.starts_on <= day, Absence.ends_on >= day)
    users = session.scalars(
        select(User.id).join(Employee, Employee.id == User.employee_id).where(
            Employee.agency_id == agency.id, Employee.is_active.is_(True), User.is_active_account.is_(True),
            ~logged, ~away)).all()
    sent = 0
    for user_id in users:
        sent += notify(session, user_id, f"Anda belum mencatat aktivitas harian untuk {day:%d-%m-%Y}. "
                       "Catat sebelum bulan ditutup agar menit kerja Anda dihitung.",
                       f"/logs/new?day={day.isoformat()}", key=key)
    return sent


def _remind_validators(session: Session, now: datetime) -> int:
    overdue = session.execute(
        select(func.coalesce(HumanTask.claimed_by_id, HumanTask.assignee_user_id), func.count())
        .where(HumanTask.form_key == "month_validation", HumanTask.status == TaskStatus.OPEN, HumanTask.due_at < now,
               func.coalesce(HumanTask.claimed_by_id, HumanTask.assignee_user_id).is_not(None))
        .group_by(func.coalesce(HumanTask.claimed_by_id, HumanTask.assignee_user_id))).all()
    sent = 0
    for user_id, count in overdue:
        sent += notify(session, user_id, f"{count} validasi aktivitas bawahan sudah lewat tenggat. "
                       "Validasi agar tunjangan kinerja mereka dapat dihitung.",
                       "/inbox?form=month_validation&overdue=1", key=f"validation:{now.date().isoformat()}")
    return sent
