"""Job functions. Each is idempotent and safe to retry; they call services, never web code.

Arguments are ids, never objects: a job may run in another process, later, or twice.
"""
import logging
from contextlib import contextmanager

from flask import current_app, has_app_context

from app import create_app
from app.core import notifications
from app.core.clock import utcnow
from app.core.jobs import queue
from app.core.retries import with_retry
from app.extensions import db
from app.services.allowance import runs as allowance_runs
from app.services.cases import timers
from app.services.cycle import period_batches as period_close
from app.services.designer import migration as case_migration
from app.services.monitoring import reminders
from app.services.tasks import escalation

log = logging.getLogger(__name__)
_app = None
# Due cases fired by one job; more are fanned out in batches of this size across workers.
TIMER_BATCH = 100


@contextmanager
def _job():
    """A job owns its transaction: what the services it calls flushed is committed when it returns
    and rolled back when it raises (RQ then records the failure; every job is safe to run again).
    Batch bodies (a period close's chunks, an allowance batch) commit each chunk themselves."""
    with _app_context():
        try:
            yield
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise


def _app_context():
    """RQ workers import this module without an app; build one once per worker process."""
    global _app
    if has_app_context():
        return current_app.app_context()
    if _app is None:
        _app = create_app()
    return _app.app_context()


def close_period(run_id: int) -> dict:
    """Coordinator of a close: list the waiting cases and fan them out as batches."""
    with _job():
        return {"batches": period_close.prepare(db.session, run_id)}


def close_period_batch(run_id: int, first_item_id: int, last_item_id: int) -> dict:
    with _job():
        result = period_close.process_batch(db.session, run_id, first_item_id, last_item_id)
        return {"done": result.done, "failed": result.failed}


def compute_allowance_batch(batch_id: int) -> dict:
    with _job():
        outcome = allowance_runs.run_batch(db.session, batch_id)
        return {"employees": outcome.employees, "changed": outcome.changed} if outcome else {}


def start_allowance(agency_id: int, period_key: str, actor_user_id: int | None) -> dict:
    """A month's allowance, started once the month's period has closed."""
    with _job():
        run = with_retry(db.session, lambda: allowance_runs.start(db.session, agency_id, period_key, actor_user_id))
        return {"run": run.id, "status": run.status}


def fire_timers_at(when_iso: str) -> dict:
    """Scheduled at a timer deadline (one job per instant, however many cases share it): fires
    every case due by now, fanned out in batches when there are many."""
    with _job():
        return _fire_due()


def fire_timer_batch(case_ids: list[int]) -> dict:
    with _job():
        result = timers.fire_cases(db.session, case_ids)
        return {"fired": result.fired, "retry_later": len(result.retry_later)}


def _fire_due() -> dict:
    due = timers.due_case_ids(db.session, utcnow())
    if len(due) <= TIMER_BATCH:
        result = timers.fire_cases(db.session, due)
        return {"fired": result.fired, "retry_later": len(result.retry_later)}
    queue.enqueue_many("workers.jobs.fire_timer_batch",
                       [(due[i:i + TIMER_BATCH],) for i in range(0, len(due), TIMER_BATCH)])
    return {"batches": (len(due) + TIMER_BATCH - 1) // TIMER_BATCH}


def sweep() -> dict:
    """Every minute from `rq cron` (every few seconds in-process): what a lost job would have done.

    Fires timers that are due, reminds and escalates overdue tasks, and continues period closes and
    allowance runs that stopped moving because a worker died."""
    with _job():
        fired = _fire_due()
        reminded = escalation.remind_overdue(db.session)
        escalated = escalation.escalate_overdue(db.session)
        resumed = 0
        for run_id in period_close.stalled_runs(db.session):
            log.warning("period close run %s stalled; continuing it", run_id)
            period_close.prepare(db.session, run_id)
            resumed += 1
        for run_id in allowance_runs.stalled_runs(db.session):
            log.warning("allowance run %s stalled; continuing it", run_id)
            allowance_runs.resume(db.session, run_id)
            resumed += 1
        return {"timers": fired, "reminded": reminded, "escalated": escalated, "resumed": resumed}


def send_notification_mail(notification_ids: list[int]) -> dict:
    """Mail notifications once their action has committed (enqueued by app.core.notifications)."""
    with _job():
        return {"sent": notifications.send_mail(db.engine, notification_ids)}


def send_reminders() -> dict:
    """Daily: remind employees with no log for the previous working day and supervisors with
    validations past due (once per day each, so a rerun sends nothing twice)."""
    with _job():
        result = reminders.send_reminders(db.session)
        return {"employees": result.employees, "supervisors": result.supervisors}


def precheck_migration(run_id: int) -> None:
    with _job():
        case_migration.precheck(db.session, run_id)


def migrate_cases(run_id: int, actor_user_id: int | None) -> None:
    with _job():
        case_migration.migrate_queued(db.session, run_id, actor_user_id)
