"""After a commit, schedule a job at each case's new timer deadline.

DESIGN.md's step ends "commit -> schedule the next timer": whichever service committed the step
(a task completed, a message delivered, a timer fired), the case's `next_timer_at` changed in that
flush and a job is scheduled for it here, once the data it will read is committed. Scheduling
that fails (Redis down) is only logged: the sweeper on `rq cron` finds the case anyway.
"""
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.core.errors import ServiceError
from app.core.jobs import queue
from app.core.jobs.names import FIRE_TIMERS_JOB
from app.extensions import db
from app.models import Case

log = logging.getLogger(__name__)
PENDING = "timers_to_schedule"
# Instants this process scheduled lately: a cycle start gives thousands of cases the same
# deadlines, and one job per instant is enough (scheduling it again would replace it, harmlessly).
RECENT = 4096
_recent: dict[str, None] = {}


def job_id(when: datetime) -> str:
    return f"timers-at-{int(when.timestamp())}"


def _collect(session: Session, _flush_context) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Case) and obj.next_timer_at is not None and inspect(obj).attrs.next_timer_at.history.added:
            session.info.setdefault(PENDING, set()).add(_whole_second_after(obj.next_timer_at))


def _whole_second_after(when: datetime) -> datetime:
    """Job times are whole UTC seconds; rounding up keeps a job from running before its deadline."""
    when = when.astimezone(UTC)
    return when if not when.microsecond else (when + timedelta(seconds=1)).replace(microsecond=0)


def _schedule(session: Session) -> None:
    """One job per instant: thousands of cases whose month opens at the same midnight share it."""
    pending = sorted(session.info.pop(PENDING, ()))
    if not pending:
        return
    remember = queue.mode() != "sync"
    for when in pending:
        key = job_id(when)
        if remember and key in _recent:
            continue
        try:
            queue.enqueue_at(when, FIRE_TIMERS_JOB, when.isoformat(), job_id=key)
        except ServiceError:
            log.warning("timers at %s not scheduled; the sweeper will fire them", when)
            continue
        if not remember:
            continue
        _recent[key] = None
        if len(_recent) > RECENT:
            _recent.pop(next(iter(_recent)))


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def install() -> None:
    if not event.contains(db.session, "after_flush", _collect):
        event.listen(db.session, "after_flush", _collect)
        event.listen(db.session, "after_commit", _schedule)
        event.listen(db.session, "after_rollback", _forget)
