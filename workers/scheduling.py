"""After a commit, schedule a job at each case's new timer deadline.

DESIGN.md's step ends "commit -> schedule the next timer": whichever service committed the step
(a task completed, a message delivered, a timer fired), the case's `next_timer_at` changed in that
flush and a job is scheduled for it here, once the data it will read is committed. Scheduling
that fails (Redis down) is only logged: the sweeper on `rq cron` finds the case anyway.
"""
import logging
from datetime import datetime

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Case
from app.services.errors import ServiceError
from workers import queue

log = logging.getLogger(__name__)
PENDING = "timers_to_schedule"
FIRE_JOB = "workers.jobs.fire_case_timers"


def job_id(case_id: int, when: datetime) -> str:
    return f"timer-{case_id}-{int(when.timestamp())}"


def _collect(session: Session, _flush_context) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Case) and obj.next_timer_at is not None and inspect(obj).attrs.next_timer_at.history.added:
            session.info.setdefault(PENDING, set()).add((obj.id, obj.next_timer_at))


def _schedule(session: Session) -> None:
    for case_id, when in sorted(session.info.pop(PENDING, ()), key=lambda item: item[1]):
        try:
            queue.enqueue_at(when, FIRE_JOB, case_id, job_id=job_id(case_id, when))
        except ServiceError:
            log.warning("timer of case %s at %s not scheduled; the sweeper will fire it", case_id, when)


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def install() -> None:
    if not event.contains(db.session, "after_flush", _collect):
        event.listen(db.session, "after_flush", _collect)
        event.listen(db.session, "after_commit", _schedule)
        event.listen(db.session, "after_rollback", _forget)
