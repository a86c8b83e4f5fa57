"""The worker side of closing a period: prepare a run, advance its cases in batches, finish it.

`prepare` (one job) lists every case waiting for the period's `period_closed` message as a pending
item and fans the items out as batch jobs; each `process_batch` (on any worker) advances its cases
and marks each item in the same transaction as the case; the batch that leaves no item pending
finishes the run: the period is closed and, for a month, the allowance is computed.

Why this is safe to repeat and to kill: a case is advanced only while it still waits for this
period's message, and its item changes in the case's own transaction. A batch killed halfway loses
only uncommitted cases, whose items stay pending; rerunning `prepare` (the "continue" button, or
the sweeper for a run that stopped moving) enqueues the pending items again. Two batches that meet
on one case are serialised by the case's lock version: the loser finds the case no longer waiting
and records it as done without touching it.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, func, insert, literal, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, joinedload

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import ServiceError
from app.core.jobs import queue
from app.core.retries import begin_write, with_retry
from app.engine import lanes
from app.engine.runner import CaseChanged, CaseRunner
from app.models import Case, Employee, OrgUnit, Period, PeriodCloseItem, PeriodCloseRun
from app.models.statuses import CaseStatus, CloseItemStatus, CloseRunStatus, PeriodState

log = logging.getLogger(__name__)
# A closed month's allowance is computed next, as its own job: the allowance area reads periods,
# so the close names the job rather than importing the allowance.
START_ALLOWANCE_JOB = "workers.jobs.start_allowance"

MESSAGE = "period_closed"
BATCH_SIZE = 200
# Cases per transaction inside a batch: they share the commit (see _process_chunk).
COMMIT_EVERY = 20
STALL_MINUTES = 10
CONFLICT_RETRIES = 2


def waiting_key(period: Period) -> str:
    return f"{MESSAGE}:{period.key}"


def waiting_cases(period: Period):
    """Running cases of the period's agency that wait for this period's message."""
    return (select(Case.id).join(Employee, Employee.id == Case.employee_id)
            .where(Case.waiting_message == waiting_key(period), Case.status == CaseStatus.RUNNING,
                   Employee.agency_id == period.agency_id))


@dataclass
class BatchResult:
    done: int = 0
    failed: int = 0


def prepare(session: Session, run_id: int) -> int:
    """List the cases to advance and enqueue their batches; returns the number of batches."""
    pending = prepare_items(session, run_id)
    if pending is None:
        return 0
    if not pending:
        finish(session, run_id)
        return 0
    batches = [(run_id, ids[0], ids[-1]) for ids in chunks(pending, BATCH_SIZE)]
    queue.enqueue_many("workers.jobs.close_period_batch", batches)
    return len(batches)


def prepare_items(session: Session, run_id: int) -> list[int] | None:
    """Add an item for every case now waiting (once per run) and return the pending item ids;
    None when the run has nothing more to do."""
    begin_write(session)
    run = session.get(PeriodCloseRun, run_id)
    if run is None or run.status == CloseRunStatus.FINISHED:
        return None
    period = run.period
    if not period.locked:
        # Reopened before the job ran: nothing to close.
        run.status = CloseRunStatus.FINISHED
        run.finished_at = utcnow()
        session.commit()
        return None
    now = utcnow()
    run.status = CloseRunStatus.RUNNING
    run.started_at = run.started_at or now
    run.progress_at = now
    waiting = waiting_cases(period).subquery()
    already = exists().where(PeriodCloseItem.run_id == run.id, PeriodCloseItem.case_id == waiting.c.id)
    session.execute(insert(PeriodCloseItem).from_select(
        ["run_id", "case_id", "status", "attempts"],
        select(literal(run.id), waiting.c.id, literal(CloseItemStatus.PENDING.value), literal(0)).where(~already)))
    run.total = session.scalar(select(func.count()).where(PeriodCloseItem.run_id == run.id))
    session.commit()
    return list(session.scalars(select(PeriodCloseItem.id).where(
        PeriodCloseItem.run_id == run_id, PeriodCloseItem.status == CloseItemStatus.PENDING).order_by(PeriodCloseItem.id)))


def process_batch(session: Session, run_id: int, first_item_id: int, last_item_id: int) -> BatchResult:
    run = session.get(PeriodCloseRun, run_id)
    result = BatchResult()
    if run is None or run.status == CloseRunStatus.FINISHED:
        return result
    period = run.period
    actor = run.requested_by_id
    item_ids = session.scalars(select(PeriodCloseItem.id).where(
        PeriodCloseItem.run_id == run_id, PeriodCloseItem.id.between(first_item_id, last_item_id),
        PeriodCloseItem.status == CloseItemStatus.PENDING)).all()
    for chunk in chunks(item_ids, COMMIT_EVERY):
        done, failed = with_retry(session, lambda chunk=chunk: _process_chunk(session, run_id, period, actor, chunk))
        result.done += done
        result.failed += failed
    if not session.scalar(select(exists().where(PeriodCloseItem.run_id == run_id,
                                                PeriodCloseItem.status == CloseItemStatus.PENDING))):
        with_retry(session, lambda: finish(session, run_id))
    return result


def _process_chunk(session: Session, run_id: int, period: Period, actor: int | None, item_ids) -> tuple[int, int]:
    """Advance a few cases in one transaction and commit them together.

    Almost every chunk fails nowhere, so its cases first go without a savepoint each, which spares
    two round trips per case. When a case raises, the chunk is rolled back and done again with a
    savepoint per case, so that case alone is recorded as failed and the others go on. A lock
    conflict is not a case's failure: it goes to `with_retry`, which does the chunk again."""
    try:
        return _advance_chunk(session, run_id, period, actor, item_ids, careful=False)
    except OperationalError:
        raise
    except Exception:  # noqa: BLE001 (the careful pass records which case it was)
        session.rollback()
        log.info("period close: a case failed in a chunk; doing the chunk again case by case")
        return _advance_chunk(session, run_id, period, actor, item_ids, careful=True)


def _advance_chunk(session: Session, run_id: int, period: Period, actor: int | None, item_ids,
                   careful: bool) -> tuple[int, int]:
    begin_write(session)
    # Cases in id order, so two workers that meet on the same cases lock them in one order.
    items = session.scalars(select(PeriodCloseItem).where(
        PeriodCloseItem.id.in_(item_ids), PeriodCloseItem.status == CloseItemStatus.PENDING)
        .options(joinedload(PeriodCloseItem.case).joinedload(Case.employee).joinedload(Employee.unit)
                 .joinedload(OrgUnit.agency))
        .order_by(PeriodCloseItem.case_id)).all()
    # One clock for the chunk, so the supervisors read up front are the ones of the steps' date
    # (the period's cases are of one agency, so of one time zone).
    now = utcnow()
    known = None
    if items:
        today = items[0].case.employee.unit.agency.today(now)
        known = lanes.KnownSupervisors.load(session, [item.case.employee_id for item in items], today)
    runner = CaseRunner(session, now, defer_flush=not careful, known_supervisors=known)
    for item in items:
        if careful:
            _advance_item(runner, period, item, actor)
        else:
            _advance_case(runner, period, item.case, actor)
            _mark_outcome(item)
    session.execute(update(PeriodCloseRun).where(PeriodCloseRun.id == run_id).values(progress_at=utcnow()))
    # Counted before the commit, which expires the items (one query each to read them again).
    failed = sum(item.status == CloseItemStatus.FAILED for item in items)
    session.commit()
    return len(items) - failed, failed


def _advance_item(runner: CaseRunner, period: Period, item: PeriodCloseItem, actor: int | None) -> None:
    session = runner.session
    for _attempt in range(CONFLICT_RETRIES):
        savepoint = session.begin_nested()
        try:
            _advance_case(runner, period, item.case, actor)
            savepoint.commit()
            break
        except CaseChanged:
            savepoint.rollback()
            session.refresh(item.case)
        except OperationalError:
            raise  # a lock conflict: the whole chunk is rolled back and done again
        except Exception as err:  # noqa: BLE001 (any failure of one case is recorded, the batch goes on)
            savepoint.rollback()
            log.exception("period close: case %s failed", item.case_id)
            _mark(item, CloseItemStatus.FAILED, f"{type(err).__name__}: {err}")
            return
    else:
        _mark(item, CloseItemStatus.FAILED, "Kasus sedang diubah oleh proses lain; ulangi.")
        return
    _mark_outcome(item)


def _mark_outcome(item: PeriodCloseItem) -> None:
    case = item.case
    if case.status == CaseStatus.ERROR:
        _mark(item, CloseItemStatus.FAILED, f"{case.error_element}: {case.error_message}")
    else:
        _mark(item, CloseItemStatus.DONE, None)


def _advance_case(runner: CaseRunner, period: Period, case: Case, actor: int | None) -> None:
    if case.status == CaseStatus.ERROR:
        # A retry of an item whose delivery stopped on an error runs the failed step again.
        runner.retry(case, actor, {})
    elif case.status == CaseStatus.RUNNING and case.waiting_message == waiting_key(period):
        runner.deliver_message(case, MESSAGE, {"period": period.key}, actor)


def _mark(item: PeriodCloseItem, status: str, error: str | None) -> None:
    # Set with the outcome, not before the attempt, so the item costs one UPDATE per case.
    item.attempts += 1
    item.status = status
    item.error = error
    item.finished_at = utcnow()


def finish(session: Session, run_id: int) -> bool:
    """Close the period once no item is pending; only one caller wins (conditional update)."""
    begin_write(session)
    now = utcnow()
    won = session.execute(update(PeriodCloseRun).where(
        PeriodCloseRun.id == run_id, PeriodCloseRun.status != CloseRunStatus.FINISHED,
        ~exists().where(PeriodCloseItem.run_id == run_id, PeriodCloseItem.status == CloseItemStatus.PENDING),
    ).values(status=CloseRunStatus.FINISHED, finished_at=now, progress_at=now)).rowcount == 1
    if not won:
        session.rollback()
        return False
    run = session.get(PeriodCloseRun, run_id)
    period = run.period
    counts = dict(session.execute(select(PeriodCloseItem.status, func.count()).where(
        PeriodCloseItem.run_id == run_id).group_by(PeriodCloseItem.status)).all())
    newly_closed = period.state == PeriodState.CLOSING
    if newly_closed:
        period.state = PeriodState.CLOSED
        period.closed_at = now
        period.closed_by_id = run.requested_by_id
    audit.record(session, run.requested_by_id, "period_closed",
                 f"Periode {period.key} ditutup: {counts.get(CloseItemStatus.DONE, 0)} kasus maju, {counts.get(CloseItemStatus.FAILED, 0)} gagal",
                 detail={"period_id": period.id, "run_id": run_id, "done": counts.get(CloseItemStatus.DONE, 0),
                         "failed": counts.get(CloseItemStatus.FAILED, 0)})
    session.commit()
    if newly_closed and period.kind == "month":
        agency_id, key, actor = period.agency_id, period.key, run.requested_by_id
        try:
            queue.enqueue(START_ALLOWANCE_JOB, agency_id, key, actor)
        except ServiceError:
            log.exception("allowance of %s not started; HR can compute it from the period page", key)
    return True


def stalled_runs(session: Session, now=None) -> list[int]:
    """Runs that have pending items but no progress for STALL_MINUTES (a worker died)."""
    limit = (now or utcnow()) - timedelta(minutes=STALL_MINUTES)
    return list(session.scalars(select(PeriodCloseRun.id).where(
        PeriodCloseRun.status.in_((CloseRunStatus.QUEUED, CloseRunStatus.RUNNING)),
        func.coalesce(PeriodCloseRun.progress_at, PeriodCloseRun.requested_at) < limit)))


def chunks(values, size):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]
