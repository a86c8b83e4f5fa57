"""Firing due timers: the one place that turns `case.next_timer_at` into engine steps.

Whoever calls it (a job scheduled at the due time, the sweeper, a test with a given clock) gets
the same behaviour: each due case is fired in its own transaction, a case changed meanwhile is
left for the next sweep, and a case with nothing due is not written."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.engine.runner import CaseChanged, CaseRunner
from app.models import Case
from app.models.statuses import CaseStatus


@dataclass
class FireResult:
    fired: int = 0
    retry_later: list[int] = field(default_factory=list)


def due_case_ids(session: Session, now: datetime, limit: int | None = None) -> list[int]:
    query = (
        select(Case.id)
        .where(Case.status == CaseStatus.RUNNING, Case.next_timer_at.is_not(None), Case.next_timer_at <= now)
        .order_by(Case.next_timer_at, Case.id)
    )
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def fire_case(session: Session, case_id: int, now: datetime | None = None) -> list[str]:
    case = session.get(Case, case_id)
    if case is None or case.status != CaseStatus.RUNNING:
        return []
    names = CaseRunner(session, now or utcnow()).fire_timers(case)
    session.commit()
    return names


def fire_cases(session: Session, case_ids: list[int], now: datetime | None = None) -> FireResult:
    result = FireResult()
    for case_id in case_ids:
        try:
            if fire_case(session, case_id, now):
                result.fired += 1
        except CaseChanged:
            session.rollback()
            result.retry_later.append(case_id)
    return result
