"""Firing every due timer in the test's own process: what the scheduled job and the sweeper do
in production, without their fan-out into batches."""
from datetime import datetime

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.services.cases import timers


def fire_due(session: Session, now: datetime | None = None, limit: int | None = None) -> timers.FireResult:
    now = now or utcnow()
    return timers.fire_cases(session, timers.due_case_ids(session, now, limit), now)
