"""Daily work logs: save (idempotently, by the browser's token), edit until validated or the
month closes, and the supervisor's monthly validation of them."""
import time as time_module
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.core import audit, notifications
from app.core.clock import utcnow
from app.core.dialect import insert_for
from app.core.errors import Forbidden, NotFound, ServiceError
from app.core.language import month_name
from app.engine.runner import CaseRunner
from app.models import (
    ActionPlan,
    Agency,
    Employee,
    Evidence,
    HumanTask,
    MonitoringSetting,
    OrgUnit,
    User,
    WorkLog,
    WorkMonth,
)
from app.models.calendar import cached_calendar
from app.models.statuses import LogStatus, TaskStatus
from app.rules import attendance as attendance_rules
from app.rules import uploads as upload_rules
from app.rules.periods import month_bounds, month_label
from app.rules.work_logs import Slot, check_entry
from app.services.access import scope, task_access
from app.services.attendance.days import cached_schedules, forget_schedules
from app.services.cycle import periods
from app.services.monitoring import evidence

QUANTITY_MAX = Decimal("999999999999.99")  # work_log.quantity is NUMERIC(14, 2)
DEFAULT_TARGET = 6750
DEFAULT_CAP = 450


class LogRefused(ServiceError):
    """The entry breaks a rule; `errors` maps form fields to messages (nothing was saved)."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


@dataclass
class LogInput:
    day: date
    start_time: time
    end_time: time
    description: str
    quantity: Decimal
    unit: str
    action_plan_id: int | None
    link: str = ""
    client_token: str = ""
    uploads: list = field(default_factory=list)  # upload_rules.Upload
    remove_evidence_ids: list = field(default_factory=list)


@dataclass
class Saved:
    log: WorkLog
    duplicate: bool = False


def settings_for(session: Session, agency_id: int) -> tuple[int, int]:
    """(monthly target minutes, daily cap minutes) of an agency."""
    row = session.scalars(select(MonitoringSetting).where(MonitoringSetting.agency_id == agency_id)).first()
    return (row.monthly_target_minutes, row.daily_cap_minutes) if row else (DEFAULT_TARGET, DEFAULT_CAP)


def local_today(agency: Agency) -> date:
    return agency.today()


def month_closed(session: Session, employee_id: int, first_day: date) -> bool:
    """Closed by the supervisor's monthly validation, or locked by HR closing the period."""
    if session.scalar(select(WorkMonth.id).where(
            WorkMonth.employee_id == employee_id, WorkMonth.month == first_day, WorkMonth.closed_at.is_not(None))
    ) is not None:
        return True
    agency_id = session.scalar(select(Employee.agency_id).where(Employee.id == employee_id))
    return periods.locked_on(session, agency_id, first_day) is not None


def _first_of(day: date) -> date:
    return day.replace(day=1)


def _month_closed_message(day: date) -> str:
    return _("Bulan %(month)s sudah ditutup (validasi atasan selesai); entri tidak dapat ditambah atau diubah.",
             month=month_name(day))


def _month_row(session: Session, employee_id: int, first: date, exclusive: bool) -> WorkMonth:
    """The employee's month row, created if missing and locked: shared by a log save, exclusive by
    the month's close, so an entry saved while the supervisor closes the month either lands before
    the close (and is counted as undecided) or sees the month closed (on SQLite writes serialise)."""
    def locked():
        return session.scalars(select(WorkMonth).where(WorkMonth.employee_id == employee_id, WorkMonth.month == first)
                               .with_for_update(read=not exclusive)).first()

    row = locked()
    if row is None:
        # A concurrent save may create it meanwhile: the conflict is skipped, not raised.
        session.execute(insert_for(session, WorkMonth.__table__)
                        .values(employee_id=employee_id, month=first).on_conflict_do_nothing())
        row = locked()
    return row


def _check_plan(session: Session, employee: Employee, action_plan_id: int | None, day: date) -> dict:
    if action_plan_id is None:
        return {}
    plan = session.get(ActionPlan, action_plan_id)
    if plan is None or plan.employee_id != employee.id:
        return {"action_plan_id": _("Rencana aksi ini bukan milik Anda; pilih dari rencana aksi Anda sendiri.")}
    if plan.month != _first_of(day):
        return {"action_plan_id": _("Rencana aksi ini untuk %(month)s, bukan bulan tanggal aktivitas.",
                                    month=month_name(plan.month))}
    return {}


_cap_cache: dict[int, tuple[float, int]] = {}
CAP_CACHE_SECONDS = 300


def _log_rules(session: Session, agency_id: int) -> tuple[int, tuple]:
    """The daily cap and the working hours used to flag entries; like the calendar, they change a few
    times a year, so a web process may use them up to five minutes old (they only raise flags)."""
    now = time_module.monotonic()
    hit = _cap_cache.get(agency_id)
    if hit is None or hit[0] < now:
        hit = (now + CAP_CACHE_SECONDS, settings_for(session, agency_id)[1])
        _cap_cache[agency_id] = hit
    return hit[1], cached_schedules(session, agency_id)


def forget_rules(agency_id: int | None) -> None:
    """Drop this process's cached cap and hours after HR edits them (None: every agency)."""
    forget_schedules(agency_id)
    if agency_id is None:
        _cap_cache.clear()
    else:
        _cap_cache.pop(agency_id, None)


def _check_rules(session: Session, employee: Employee, data: LogInput, editing_id: int | None):
    agency = employee.unit.agency
    cap, (regular, special) = _log_rules(session, agency.id)
    calendar = cached_calendar(session, agency.id)
    hours = attendance_rules.hours_on(data.day, regular, special)
    others = [Slot(s, e) for log_id, s, e in session.execute(
        select(WorkLog.id, WorkLog.start_time, WorkLog.end_time).where(
            WorkLog.employee_id == employee.id, WorkLog.day == data.day)) if log_id != editing_id]
    today = local_today(agency)
    # A day not yet come is refused before its calendar matters (next year's may not be loaded).
    working = data.day <= today and calendar.is_working_day(data.day) and hours is not None
    return check_entry(data.day, Slot(data.start_time, data.end_time), today, working, others, cap,
                       Slot(hours.start, hours.end) if hours else None)


def _validate_input(data: LogInput) -> dict:
    errors = {}
    if not (data.description or "").strip():
        errors["description"] = _("Tulis apa yang dikerjakan.")
    if data.quantity is None or not data.quantity.is_finite() or data.quantity <= 0:
        errors["quantity"] = _("Jumlah harus bilangan positif.")
    elif data.quantity > QUANTITY_MAX or data.quantity != data.quantity.quantize(Decimal("0.01")):
        errors["quantity"] = _("Jumlah terlalu besar atau memiliki lebih dari dua angka desimal.")
    if not (data.unit or "").strip():
        errors["unit"] = _("Isi satuan hasil (misalnya dokumen, kegiatan, pasien).")
    link = (data.link or "").strip()
    if link and not link.lower().startswith(("http://", "https://")):
        errors["link"] = _("Tautan bukti harus diawali http:// atau https://.")
    return errors


def save(session: Session, user: User, data: LogInput, log_id: int | None = None) -> Saved:
    """Create (log_id None) or edit an entry of the user's own. The caller commits.

    A create whose client token was already used returns that entry unchanged (a resubmitted form
    is the same entry, never a second one).
    """
    employee = user.employee
    if employee is None:
        raise Forbidden(_("Hanya pegawai yang dapat mencatat aktivitas harian."))
    token = (data.client_token or "").strip()[:64]
    if log_id is None:
        if not token:
            raise ServiceError(_("Formulir tidak lengkap (token hilang); muat ulang halaman lalu kirim lagi."))
        existing = _by_token(session, employee.id, token)
        if existing is not None:
            return Saved(existing, duplicate=True)
        log = None
    else:
        log = own_log(session, user, log_id)
        if log.status == LogStatus.VALIDATED:
            raise ServiceError(_("Entri ini sudah divalidasi atasan dan tidak dapat diubah."))
        if _month_row(session, employee.id, _first_of(log.day), exclusive=False).closed_at is not None:
            raise ServiceError(_month_closed_message(log.day))
    errors = _validate_input(data)
    if data.day is not None and _month_row(session, employee.id, _first_of(data.day), exclusive=False).closed_at:
        errors["day"] = _month_closed_message(data.day)
    errors.update(_check_plan(session, employee, data.action_plan_id, data.day))
    checked_files = []
    kept = len(log.evidence) - len(set(data.remove_evidence_ids)) if log else 0
    if kept + len(data.uploads) > upload_rules.MAX_FILES:
        errors["files"] = _("Paling banyak %(count)s berkas bukti per entri.", count=upload_rules.MAX_FILES)
    for upload in data.uploads:
        try:
            checked_files.append(evidence.check(upload))
        except ServiceError as err:
            errors["files"] = str(err)
    result = _check_rules(session, employee, data, log.id if log else None)
    errors = {**result.errors, **errors}
    if errors:
        raise LogRefused(errors)

    now = utcnow()
    if log is None:
        log = WorkLog(employee_id=employee.id, client_token=token, created_by_id=user.id, created_at=now)
        session.add(log)
        action = "work_log_created"
    else:
        action = "work_log_updated"
        # A corrected entry goes back to the supervisor; the rejection stays in the audit trail.
        log.reject_reason = ""
    log.day = data.day
    log.start_time = data.start_time
    log.end_time = data.end_time
    log.minutes = result.minutes
    log.description = data.description.strip()
    log.quantity = data.quantity
    log.unit = data.unit.strip()[:40]
    log.action_plan_id = data.action_plan_id
    log.kind = "utama" if data.action_plan_id else "lainnya"
    log.link = (data.link or "").strip()[:500]
    log.flags = result.flags
    log.updated_at = now
    log.status = LogStatus.SUBMITTED
    removed = [e for e in log.evidence if e.id in set(data.remove_evidence_ids)]
    for item in removed:
        log.evidence.remove(item)
    stored = []
    try:
        for checked in checked_files:
            name = evidence.store(checked)
            stored.append(name)
            log.evidence.append(Evidence.of_upload(checked, name, user.id, now))
        session.flush()
    except IntegrityError:
        # The same form submitted twice at once: the other request saved it first.
        session.rollback()
        for name in stored:
            evidence.remove(name)
        existing = _by_token(session, employee.id, token)
        if existing is None:
            raise
        return Saved(existing, duplicate=True)
    for item in removed:
        evidence.remove(item.stored_name)
    audit.record(session, user.id, action, f"Aktivitas {log.day:%d-%m-%Y} {log.start_time:%H:%M}-"
                 f"{log.end_time:%H:%M} ({log.minutes} menit)", detail={"work_log_id": log.id})
    return Saved(log)


def _by_token(session: Session, employee_id: int, token: str) -> WorkLog | None:
    return session.scalars(select(WorkLog).where(
        WorkLog.employee_id == employee_id, WorkLog.client_token == token)).first()


def next_free_slot(session: Session, employee_id: int, day: date) -> tuple[time, time]:
    """A starting suggestion for the form: from where the day's last entry ended, for an hour."""
    last_end = session.scalar(select(func.max(WorkLog.end_time)).where(
        WorkLog.employee_id == employee_id, WorkLog.day == day))
    start = last_end or time(7, 30)
    minutes = min(start.hour * 60 + start.minute + 60, 23 * 60 + 59)
    return start, time(minutes // 60, minutes % 60)


def own_log(session: Session, user: User, log_id: int) -> WorkLog:
    log = session.get(WorkLog, log_id)
    if log is None:
        raise NotFound(_("Entri aktivitas tidak ditemukan."))
    if log.employee_id != user.employee_id:
        raise Forbidden(_("Entri ini bukan milik Anda."))
    return log


def delete(session: Session, user: User, log_id: int) -> None:
    log = own_log(session, user, log_id)
    if log.status == LogStatus.VALIDATED or month_closed(session, log.employee_id, _first_of(log.day)):
        raise ServiceError(_("Entri yang sudah divalidasi atau bulannya sudah ditutup tidak dapat dihapus."))
    names = [e.stored_name for e in log.evidence]
    session.delete(log)
    session.flush()
    for name in names:
        evidence.remove(name)
    audit.record(session, user.id, "work_log_deleted", f"Aktivitas {log.day:%d-%m-%Y} dihapus")


def month_logs(session: Session, employee_id: int, key: str, status: str = "") -> list[WorkLog]:
    first, last = month_bounds(key)
    stmt = select(WorkLog).where(WorkLog.employee_id == employee_id, WorkLog.day >= first, WorkLog.day <= last)
    if status:
        stmt = stmt.where(WorkLog.status == status)
    return list(session.scalars(stmt.options(selectinload(WorkLog.evidence), selectinload(WorkLog.action_plan))
                                .order_by(WorkLog.day, WorkLog.start_time)))


def month_minutes(session: Session, employee_id: int, key: str) -> dict:
    """Minutes of the month by status, e.g. {"validated": 3000, "submitted": 600}."""
    first, last = month_bounds(key)
    return dict(session.execute(
        select(WorkLog.status, func.coalesce(func.sum(WorkLog.minutes), 0)).where(
            WorkLog.employee_id == employee_id, WorkLog.day >= first, WorkLog.day <= last)
        .group_by(WorkLog.status)).all())


def evidence_visible(session: Session, user: User, item: Evidence) -> bool:
    return scope.can_view_employee(session, user, item.work_log.employee_id)


# -- monthly validation (the BPMN task "Validasi aktivitas <bulan>") ------------------------------

def _validation_task(session: Session, user: User, task_id: int) -> HumanTask:
    task = task_access.get_task(session, task_id)
    if task.form_key != "month_validation":
        raise NotFound(_("Tugas ini bukan validasi aktivitas."))
    task_access.check_can_complete(user, task)
    return task


def _log_of_task(session: Session, task: HumanTask, log_id: int) -> WorkLog:
    first, last = month_bounds(task.period_key or "")
    log = session.get(WorkLog, log_id)
    if log is None or log.employee_id != task.subject_employee_id or not first <= log.day <= last:
        raise NotFound(_("Entri ini tidak termasuk validasi bulan ini."))
    return log


def decide(session: Session, user: User, task_id: int, log_id: int, decision: str, reason: str = "") -> WorkLog:
    """Accept or reject one entry while the month's validation task is open. The caller commits."""
    task = _validation_task(session, user, task_id)
    log = _log_of_task(session, task, log_id)
    if decision not in (LogStatus.VALIDATED, LogStatus.REJECTED):
        raise ServiceError(_("Pilih terima atau tolak."))
    reason = (reason or "").strip()
    if decision == LogStatus.REJECTED and not reason:
        raise LogRefused({"reason": _("Tulis alasan penolakan agar pegawai dapat memperbaikinya.")})
    log.status = decision
    log.reject_reason = reason if decision == LogStatus.REJECTED else ""
    log.decided_by_id = user.id
    log.decided_at = utcnow()
    label = f"{log.day:%d-%m-%Y} {log.start_time:%H:%M}-{log.end_time:%H:%M}"
    audit.record(session, user.id, f"work_log_{decision}", f"Aktivitas {label}: {decision} {reason}".strip(),
                 task.case_id, detail={"work_log_id": log.id})
    if decision == LogStatus.REJECTED:
        owner = session.scalar(select(User.id).where(User.employee_id == log.employee_id))
        if owner is not None:
            notifications.notify(session, owner, f"Aktivitas {label} ditolak atasan: {reason}. "
                                 "Perbaiki dan kirim ulang sebelum bulan ditutup.", f"/logs/{log.id}/edit")
    return log


def accept_remaining(session: Session, user: User, task_id: int) -> int:
    task = _validation_task(session, user, task_id)
    first, last = month_bounds(task.period_key or "")
    accepted = session.execute(
        update(WorkLog).where(WorkLog.employee_id == task.subject_employee_id, WorkLog.day >= first,
                              WorkLog.day <= last, WorkLog.status == LogStatus.SUBMITTED)
        .values(status=LogStatus.VALIDATED, decided_by_id=user.id, decided_at=utcnow())).rowcount
    audit.record(session, user.id, "work_log_validated",
                 f"{accepted} aktivitas {month_label(task.period_key)} diterima sekaligus", task.case_id)
    return accepted


def finish_from(session: Session, agency: Agency, key: str) -> date:
    """The first day a month's validation may be finished: the day after its last working day in
    the agency's calendar. Until then the employee may still log work in it."""
    first, last = month_bounds(key)
    last_working = cached_calendar(session, agency.id).last_working_day(first, last) or last
    return last_working + timedelta(days=1)


def _agency_of(session: Session, employee_id: int) -> Agency:
    """The employee's agency in one round trip: closing a month needs only its zone and calendar,
    and this runs in nearly every step of the month clock (through the employee and the unit it
    took three)."""
    return session.scalars(select(Agency).join(OrgUnit, OrgUnit.agency_id == Agency.id)
                           .join(Employee, Employee.unit_id == OrgUnit.id).where(Employee.id == employee_id)).one()


def check_month_over(session: Session, agency: Agency, key: str) -> None:
    opens = finish_from(session, agency, key)
    if local_today(agency) < opens:
        raise ServiceError(_("Validasi %(month)s baru dapat diselesaikan mulai %(day)s, setelah hari kerja terakhir "
                             "bulan itu, karena pegawai masih dapat mencatat aktivitas. Sampai saat itu Anda dapat "
                             "menerima atau menolak entri kapan saja.",
                             month=month_name(month_bounds(key)[0]), day=opens.strftime("%d-%m-%Y")))


def close_month(session: Session, task: HumanTask, user: User, forced_reason: str | None = None) -> WorkMonth:
    """Completing the validation task closes the employee's month, once the month is over; every
    entry must be decided, unless HR forces the close (entries still waiting then do not count)."""
    key = task.period_key or ""
    first, last = month_bounds(key)
    check_month_over(session, _agency_of(session, task.subject_employee_id), key)
    row = _month_row(session, task.subject_employee_id, first, exclusive=True)
    minutes_by_status = month_minutes(session, task.subject_employee_id, key)
    if LogStatus.SUBMITTED in minutes_by_status and forced_reason is None:
        pending = session.scalar(select(func.count()).select_from(WorkLog).where(
            WorkLog.employee_id == task.subject_employee_id, WorkLog.day >= first, WorkLog.day <= last,
            WorkLog.status == LogStatus.SUBMITTED))
        raise ServiceError(_("Masih ada %(count)s entri yang belum diterima atau ditolak. Putuskan semuanya (atau "
                             "terima semua yang tersisa) sebelum menyelesaikan validasi.", count=pending))
    minutes = minutes_by_status.get(LogStatus.VALIDATED, 0)
    row.closed_at = utcnow()
    row.closed_by_id = user.id
    row.validated_minutes = minutes
    owner = session.scalar(select(User.id).where(User.employee_id == task.subject_employee_id))
    if owner is not None:
        how = "ditutup oleh pengelola kinerja" if forced_reason is not None else "selesai"
        text = f"Validasi aktivitas {month_label(key)} {how}: {minutes} menit tervalidasi."
        notifications.notify(session, owner, text, f"/logs?month={key}")
    return row


FORCE_REASON_MIN = 10


def force_close_month(session: Session, user: User, task_id: int, reason: str) -> WorkMonth:
    """HR closes a month its supervisor never validated, so that the allowance can be paid: what was
    validated counts, entries still waiting do not; recorded with the reason and told to both."""
    task = session.get(HumanTask, task_id)
    if task is None or task.form_key != "month_validation":
        raise NotFound(_("Tugas validasi bulanan tidak ditemukan."))
    if not scope.is_hr_for(user, task.case.unit_path):
        raise Forbidden(_("Hanya pengelola kinerja unit pegawai ini yang dapat menutup bulannya."))
    if task.status != TaskStatus.OPEN:
        raise ServiceError(_("Validasi bulan ini sudah tidak terbuka; bulannya sudah ditutup."))
    reason = (reason or "").strip()
    if len(reason) < FORCE_REASON_MIN:
        raise ServiceError(_("Tulis alasan penutupan (paling sedikit %(count)s karakter); alasan ini dicatat dan "
                             "dikirim ke atasan dan pegawai.", count=FORCE_REASON_MIN))
    key = task.period_key or ""
    waiting = month_minutes(session, task.subject_employee_id, key).get(LogStatus.SUBMITTED, 0)
    row = close_month(session, task, user, forced_reason=reason)
    summary = f"{task.name} ditutup oleh pengelola kinerja: {reason}"
    CaseRunner(session).complete(task, user.id, {}, summary=summary)
    audit.record(session, user.id, "month_force_closed", summary, task.case_id,
                 detail={"month": key, "validated_minutes": row.validated_minutes, "waiting_minutes": waiting})
    if task.assignee_user_id is not None:
        notifications.notify(session, task.assignee_user_id,
                             f"{task.name} untuk {task.subject.name} ditutup oleh pengelola kinerja: {reason}",
                             f"/cases/{task.case_id}")
    return row


def validation_context(session: Session, task: HumanTask) -> dict:
    key = task.period_key or ""
    employee = task.subject
    target, _cap = settings_for(session, employee.agency_id)
    opens = finish_from(session, employee.unit.agency, key)
    return {"logs": month_logs(session, employee.id, key), "minutes": month_minutes(session, employee.id, key),
            "target": target, "month_label": month_name(month_bounds(key)[0]), "month": key,
            "finish_from": opens, "may_finish": local_today(employee.unit.agency) >= opens}
