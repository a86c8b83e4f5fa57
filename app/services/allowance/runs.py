"""Runs of the allowance computation: a month of an agency fanned out in batches of employees.

A batch writes its rows and marks itself done in one transaction, so a killed worker leaves its
batch pending and nothing half-written; the batch that leaves none pending finishes the run.
"""
import logging
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import ServiceError
from app.core.jobs import queue
from app.core.language import stored
from app.core.retries import begin_write, with_retry
from app.models import AllowanceBatch, AllowanceRun, Employee, Period
from app.models.statuses import AllowanceBatchStatus, AllowanceRunStatus, PeriodState
from app.services.allowance import compute as allowance
from app.services.allowance.rules import in_force

log = logging.getLogger(__name__)

BATCH_EMPLOYEES = 2500
STALL_MINUTES = 10
MAX_WARNINGS = 200


def latest(session: Session, agency_id: int, period_key: str) -> AllowanceRun | None:
    return session.scalars(select(AllowanceRun).where(
        AllowanceRun.agency_id == agency_id, AllowanceRun.period_key == period_key)
        .order_by(AllowanceRun.id.desc()).limit(1)).first()


def start(session: Session, agency_id: int, period_key: str, actor_user_id: int | None) -> AllowanceRun:
    """Start computing a month. A run already going is returned as is; a month without rules gets
    a failed run that says so, for HR to see next to the period."""
    start_day, _end = allowance.month_bounds(period_key)
    begin_write(session)
    running = latest(session, agency_id, period_key)
    if running is not None and running.status == AllowanceRunStatus.RUNNING and not _stalled(running):
        return running
    run = AllowanceRun(agency_id=agency_id, period_key=period_key, requested_by_id=actor_user_id,
                       status=AllowanceRunStatus.RUNNING, progress_at=utcnow())
    session.add(run)
    session.flush()
    if in_force(session, agency_id, start_day.year) is None:
        run.status = AllowanceRunStatus.FAILED
        run.finished_at = utcnow()
        run.error = f"Aturan TPP yang berlaku untuk tahun {start_day.year} belum ada; isi aturan TPP lalu hitung ulang."
        session.commit()
        return run
    ids = session.scalars(select(Employee.id).where(Employee.agency_id == agency_id).order_by(Employee.id)).all()
    for i in range(0, len(ids), BATCH_EMPLOYEES):
        chunk = ids[i:i + BATCH_EMPLOYEES]
        session.add(AllowanceBatch(run_id=run.id, first_employee_id=chunk[0], last_employee_id=chunk[-1]))
    session.commit()
    _enqueue_pending(session, run)
    return run


def _enqueue_pending(session: Session, run: AllowanceRun) -> None:
    pending = session.scalars(select(AllowanceBatch.id).where(
        AllowanceBatch.run_id == run.id, AllowanceBatch.status == AllowanceBatchStatus.PENDING).order_by(AllowanceBatch.id)).all()
    if not pending:
        finish(session, run.id)
        return
    try:
        queue.enqueue_many("workers.jobs.compute_allowance_batch", [(batch_id,) for batch_id in pending])
    except ServiceError as err:
        run.status = AllowanceRunStatus.FAILED
        # HR reads it next to the period, whoever asked for the run.
        run.error = stored(err)
        run.finished_at = utcnow()
        session.commit()
        raise


def resume(session: Session, run_id: int) -> None:
    run = session.get(AllowanceRun, run_id)
    if run is None or run.status == AllowanceRunStatus.FINISHED:
        return
    run.status = AllowanceRunStatus.RUNNING
    run.error = None
    run.progress_at = utcnow()
    session.commit()
    _enqueue_pending(session, run)


def run_batch(session: Session, batch_id: int) -> allowance.BatchOutcome | None:
    outcome = with_retry(session, lambda: _compute_batch(session, batch_id))
    if outcome is not None:
        run_id = session.get(AllowanceBatch, batch_id).run_id
        with_retry(session, lambda: finish(session, run_id))
    return outcome


def _compute_batch(session: Session, batch_id: int) -> allowance.BatchOutcome | None:
    """The batch's rows and its 'done' mark in one transaction."""
    begin_write(session)
    batch = session.get(AllowanceBatch, batch_id)
    if batch is None or batch.status != AllowanceBatchStatus.PENDING:
        return None
    run = session.get(AllowanceRun, batch.run_id)
    try:
        outcome = allowance.compute_range(session, run.agency_id, run.period_key, batch.first_employee_id,
                                          batch.last_employee_id)
    except ServiceError as err:
        session.rollback()
        run = session.get(AllowanceRun, batch.run_id)
        run.status = AllowanceRunStatus.FAILED
        run.error = str(err)
        run.finished_at = utcnow()
        session.commit()
        return None
    batch.status = AllowanceBatchStatus.DONE
    batch.employees = outcome.employees
    batch.changed = outcome.changed + outcome.removed
    batch.warnings = outcome.warnings[:MAX_WARNINGS] or None
    session.execute(update(AllowanceRun).where(AllowanceRun.id == run.id).values(progress_at=utcnow()))
    session.commit()
    return outcome


def finish(session: Session, run_id: int) -> bool:
    begin_write(session)
    now = utcnow()
    won = session.execute(update(AllowanceRun).where(
        AllowanceRun.id == run_id, AllowanceRun.status == AllowanceRunStatus.RUNNING,
        ~exists().where(AllowanceBatch.run_id == run_id, AllowanceBatch.status == AllowanceBatchStatus.PENDING),
    ).values(status=AllowanceRunStatus.FINISHED, finished_at=now)).rowcount == 1
    if not won:
        session.rollback()
        return False
    run = session.get(AllowanceRun, run_id)
    employees, changed = session.execute(select(
        func.coalesce(func.sum(AllowanceBatch.employees), 0), func.coalesce(func.sum(AllowanceBatch.changed), 0))
        .where(AllowanceBatch.run_id == run_id)).one()
    run.employees = employees
    audit.record(session, run.requested_by_id, "allowance_computed",
                 f"TPP {run.period_key} dihitung: {employees} pegawai, {changed} baris berubah",
                 detail={"run_id": run_id, "period_key": run.period_key, "employees": employees, "changed": changed})
    session.commit()
    return True


def progress(session: Session, run: AllowanceRun) -> dict:
    counts = dict(session.execute(select(AllowanceBatch.status, func.count()).where(
        AllowanceBatch.run_id == run.id).group_by(AllowanceBatch.status)).all())
    warnings = [w for batch in session.scalars(select(AllowanceBatch.warnings).where(
        AllowanceBatch.run_id == run.id, AllowanceBatch.warnings.is_not(None))) for w in batch or ()]
    return {"status": run.status, "batches_done": counts.get(AllowanceBatchStatus.DONE, 0), "batches": sum(counts.values()),
            "employees": run.employees, "error": run.error, "warnings": warnings[:MAX_WARNINGS]}


def _stalled(run: AllowanceRun) -> bool:
    return (run.progress_at or run.requested_at) < utcnow() - timedelta(minutes=STALL_MINUTES)


def stalled_runs(session: Session) -> list[int]:
    limit = utcnow() - timedelta(minutes=STALL_MINUTES)
    return list(session.scalars(select(AllowanceRun.id).where(
        AllowanceRun.status == AllowanceRunStatus.RUNNING, func.coalesce(AllowanceRun.progress_at, AllowanceRun.requested_at) < limit)))


def compute_for_period(session: Session, period: Period, actor_user_id: int) -> AllowanceRun:
    """Compute a closed month's allowance again (after fixing rules, attendance or a sanction)."""
    if period.kind != "month":
        raise ServiceError(_("TPP dihitung per bulan; pilih periode bulanan."))
    if period.state != PeriodState.CLOSED:
        raise ServiceError(_("TPP dihitung setelah bulan ditutup."))
    run = start(session, period.agency_id, period.key, actor_user_id)
    audit.record(session, actor_user_id, "allowance_requested", f"Hitung TPP {period.key} diminta",
                 detail={"period_id": period.id, "run_id": run.id})
    session.commit()
    return run
