"""HR's acts on periods: close (after confirming what is still open), continue, retry, reopen.

The work itself runs in jobs (app/services/period_close.py); here the request is checked, the
period is locked and the job is enqueued. When the queue cannot take the job (Redis down) the
period is put back as it was, so nothing is half-done.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import ServiceError
from app.core.jobs import queue
from app.models import (
    Employee,
    HumanTask,
    Period,
    PeriodCloseItem,
    PeriodCloseRun,
    WorkLog,
)
from app.models.statuses import (
    LOCKED_PERIOD_STATES,
    CloseItemStatus,
    CloseRunStatus,
    LogStatus,
    PeriodState,
    TaskStatus,
)
from app.services.cycle import period_batches as period_close

MESSAGE = period_close.MESSAGE
WARNING_ROWS = 50
RATING_FORMS = ("period_rating",)
MIN_REASON = 10


@dataclass
class CloseWarnings:
    """What is still open in a period; HR sees it and confirms before the close goes ahead."""

    unvalidated_logs: list[tuple[str, str, int]] = field(default_factory=list)
    unvalidated_total: int = 0
    unrated: list[tuple[str, str, str]] = field(default_factory=list)
    unrated_total: int = 0

    def __bool__(self) -> bool:
        return bool(self.unvalidated_total or self.unrated_total)

    def summary(self) -> dict:
        return {"unvalidated_logs": self.unvalidated_total, "unrated_cases": self.unrated_total}


class NeedsConfirmation(ServiceError):
    def __init__(self, warnings: CloseWarnings):
        self.warnings = warnings
        super().__init__(_("Masih ada catatan kerja yang belum divalidasi atau kasus yang belum dinilai; "
                           "periksa daftarnya lalu konfirmasi penutupan."))


@dataclass
class CloseResult:
    advanced: int = 0
    failed: list = field(default_factory=list)


def close_warnings(session: Session, period: Period) -> CloseWarnings:
    """Logs of the period's days still waiting for validation, and rating tasks still open for
    periods that ended by this one's end."""
    warnings = CloseWarnings()
    logs = (select(Employee.name, Employee.nip, func.count(WorkLog.id).label("n"))
            .join(WorkLog, WorkLog.employee_id == Employee.id)
            .where(Employee.agency_id == period.agency_id, WorkLog.status == LogStatus.SUBMITTED,
                   WorkLog.day.between(period.starts_on, period.ends_on))
            .group_by(Employee.id, Employee.name, Employee.nip))
    warnings.unvalidated_total = int(session.scalar(
        select(func.coalesce(func.sum(logs.subquery().c.n), 0))) or 0)
    warnings.unvalidated_logs = [tuple(row) for row in session.execute(
        logs.order_by(func.count(WorkLog.id).desc(), Employee.name).limit(WARNING_ROWS))]
    ended = select(Period.key).where(Period.agency_id == period.agency_id, Period.ends_on <= period.ends_on)
    rating = (select(Employee.name, HumanTask.period_key, HumanTask.name)
              .join(Employee, Employee.id == HumanTask.subject_employee_id)
              .where(Employee.agency_id == period.agency_id, HumanTask.status == TaskStatus.OPEN,
                     HumanTask.form_key.in_(RATING_FORMS), HumanTask.period_key.in_(ended)))
    warnings.unrated_total = session.scalar(select(func.count()).select_from(rating.subquery()))
    warnings.unrated = [tuple(row) for row in session.execute(
        rating.order_by(HumanTask.period_key, Employee.name).limit(WARNING_ROWS))]
    return warnings


def latest_run(session: Session, period_id: int) -> PeriodCloseRun | None:
    return session.scalars(select(PeriodCloseRun).where(PeriodCloseRun.period_id == period_id)
                           .order_by(PeriodCloseRun.id.desc()).limit(1)).first()


def waiting_count(session: Session, period: Period) -> int:
    return session.scalar(select(func.count()).select_from(period_close.waiting_cases(period).subquery()))


def request_close(session: Session, period: Period, actor_user_id: int | None, confirmed: bool = False) -> PeriodCloseRun:
    if period.state == PeriodState.CLOSING:
        raise ServiceError(_("Penutupan periode %(period)s sedang berjalan; lihat kemajuannya di halaman periode.",
                             period=period.key))
    if period.state == PeriodState.CLOSED and not waiting_count(session, period):
        raise ServiceError(_("Periode %(period)s sudah ditutup dan tidak ada kasus yang masih menunggu.",
                             period=period.key))
    warnings = close_warnings(session, period)
    if warnings and not confirmed:
        raise NeedsConfirmation(warnings)
    previous = (period.state, period.closed_at, period.closed_by_id)
    period.state = PeriodState.CLOSING
    run = PeriodCloseRun(period_id=period.id, requested_by_id=actor_user_id, status=CloseRunStatus.QUEUED,
                         confirmed_warnings=warnings.summary() if warnings else None)
    session.add(run)
    session.flush()
    event = audit.record(session, actor_user_id, "period_closing",
                         f"Penutupan periode {period.key} dimulai"
                         + (f" dengan {warnings.unvalidated_total} catatan belum divalidasi dan "
                            f"{warnings.unrated_total} kasus belum dinilai (dikonfirmasi)" if warnings else ""),
                         detail={"period_id": period.id, "run_id": run.id, **warnings.summary()})
    session.commit()
    try:
        queue.enqueue("workers.jobs.close_period", run.id)
    except ServiceError:
        period = session.get(Period, period.id)
        period.state, period.closed_at, period.closed_by_id = previous
        session.delete(event)
        session.delete(session.get(PeriodCloseRun, run.id))
        session.commit()
        raise
    return run


def resume(session: Session, period: Period) -> PeriodCloseRun:
    """Enqueue the unfinished part of the latest close again (a worker died, or Redis was down)."""
    run = latest_run(session, period.id)
    if run is None or run.status == CloseRunStatus.FINISHED or period.state != PeriodState.CLOSING:
        raise ServiceError(_("Tidak ada penutupan yang perlu dilanjutkan untuk periode ini."))
    queue.enqueue("workers.jobs.close_period", run.id)
    audit.record(session, None, "period_close_resumed", f"Penutupan periode {period.key} dilanjutkan",
                 detail={"period_id": period.id, "run_id": run.id})
    session.commit()
    return run


def retry_failed(session: Session, period: Period, actor_user_id: int, item_id: int | None = None) -> int:
    """Put failed cases of the latest run back to pending and enqueue them; returns how many."""
    run = latest_run(session, period.id)
    if run is None:
        raise ServiceError(_("Periode ini belum pernah ditutup."))
    failed = select(PeriodCloseItem.id).where(PeriodCloseItem.run_id == run.id, PeriodCloseItem.status == CloseItemStatus.FAILED)
    if item_id is not None:
        failed = failed.where(PeriodCloseItem.id == item_id)
    ids = session.scalars(failed).all()
    if not ids:
        raise ServiceError(_("Tidak ada kasus gagal yang dapat diulang."))
    session.execute(update(PeriodCloseItem).where(PeriodCloseItem.id.in_(ids)).values(status=CloseItemStatus.PENDING))
    run.status = CloseRunStatus.RUNNING
    run.finished_at = None
    run.progress_at = utcnow()
    audit.record(session, actor_user_id, "period_close_retry",
                 f"Periode {period.key}: {len(ids)} kasus gagal diulang", detail={"run_id": run.id, "items": ids})
    session.commit()
    try:
        queue.enqueue_many("workers.jobs.close_period_batch",
                           [(run.id, chunk[0], chunk[-1]) for chunk in period_close.chunks(ids, period_close.BATCH_SIZE)])
    except ServiceError:
        session.execute(update(PeriodCloseItem).where(PeriodCloseItem.id.in_(ids)).values(status=CloseItemStatus.FAILED))
        run.status = CloseRunStatus.FINISHED
        run.finished_at = utcnow()
        session.commit()
        raise
    return len(ids)


def reopen(session: Session, period: Period, actor_user_id: int, reason: str) -> None:
    reason = (reason or "").strip()
    if period.state != PeriodState.CLOSED:
        raise ServiceError(_("Hanya periode yang sudah ditutup yang dapat dibuka kembali."))
    if len(reason) < MIN_REASON:
        raise ServiceError(_("Tuliskan alasan membuka kembali periode (paling sedikit %(count)s karakter).",
                             count=MIN_REASON))
    period.state = PeriodState.OPEN
    period.reopened_at = utcnow()
    period.reopened_by_id = actor_user_id
    period.reopen_reason = reason
    audit.record(session, actor_user_id, "period_reopened", f"Periode {period.key} dibuka kembali: {reason}",
                 detail={"period_id": period.id, "reason": reason})
    session.flush()


def locked_on(session: Session, agency_id: int, day) -> Period | None:
    """The closing or closed period covering `day`, if any: its data may no longer change."""
    return session.scalars(select(Period).where(
        Period.agency_id == agency_id, Period.state.in_(LOCKED_PERIOD_STATES),
        Period.starts_on <= day, Period.ends_on >= day).order_by(Period.starts_on.desc()).limit(1)).first()


def progress(session: Session, run: PeriodCloseRun | None) -> dict:
    if run is None:
        return {"status": None, "total": 0, "done": 0, "failed": 0, "pending": 0, "percent": 0}
    counts = dict(session.execute(select(PeriodCloseItem.status, func.count()).where(
        PeriodCloseItem.run_id == run.id).group_by(PeriodCloseItem.status)).all())
    total = sum(counts.values())
    finished = counts.get(CloseItemStatus.DONE, 0) + counts.get(CloseItemStatus.FAILED, 0)
    return {"status": run.status, "total": total, "done": counts.get(CloseItemStatus.DONE, 0), "failed": counts.get(CloseItemStatus.FAILED, 0),
            "pending": counts.get(CloseItemStatus.PENDING, 0), "percent": 100 if not total else round(100 * finished / total)}


def close_period(session: Session, period_id: int, actor_user_id: int | None) -> CloseResult:
    """Close a period now, in this process, whatever the queue: for scripts and tests.

    The same run, items and finish as the jobs; warnings are not asked about."""
    period = session.get(Period, period_id)
    if period is None:
        raise ServiceError("Periode tidak ditemukan.")
    if period.state == PeriodState.CLOSING:
        run = latest_run(session, period.id)
    else:
        period.state = PeriodState.CLOSING
        run = PeriodCloseRun(period_id=period.id, requested_by_id=actor_user_id, status=CloseRunStatus.QUEUED)
        session.add(run)
        session.commit()
    period_close.prepare_items(session, run.id)
    ids = session.scalars(select(PeriodCloseItem.id).where(
        PeriodCloseItem.run_id == run.id, PeriodCloseItem.status == CloseItemStatus.PENDING).order_by(PeriodCloseItem.id)).all()
    result = CloseResult()
    if ids:
        batch = period_close.process_batch(session, run.id, ids[0], ids[-1])
        result.advanced = batch.done
    else:
        period_close.finish(session, run.id)
    result.failed = [(item.case_id, item.error) for item in session.scalars(select(PeriodCloseItem).where(
        PeriodCloseItem.run_id == run.id, PeriodCloseItem.status == CloseItemStatus.FAILED))]
    return result
