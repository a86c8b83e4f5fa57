"""Closing an appraisal period: lock it and tell every waiting case, one case per transaction."""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.engine.runner import CaseChanged, CaseRunner
from app.models import Case, Employee, Period
from app.models._types import utcnow
from app.services import audit
from app.services.errors import ServiceError

MESSAGE = "period_closed"


@dataclass
class CloseResult:
    advanced: int = 0
    failed: list = field(default_factory=list)


def mark_closed(session: Session, period: Period, actor_user_id: int | None) -> None:
    if period.state == "closed":
        return
    period.state = "closed"
    period.closed_at = utcnow()
    period.closed_by_id = actor_user_id
    audit.record(session, actor_user_id, "period_closed", f"Periode {period.key} ditutup")
    session.commit()


def close_period(session: Session, period_id: int, actor_user_id: int | None) -> CloseResult:
    """Safe to run twice: only cases still waiting for this period's message are advanced, and
    the period is marked closed first so a case that reaches the period later skips the wait."""
    period = session.get(Period, period_id)
    if period is None:
        raise ServiceError("Periode tidak ditemukan.")
    mark_closed(session, period, actor_user_id)
    waiting = f"{MESSAGE}:{period.key}"
    case_ids = session.scalars(
        select(Case.id).where(Case.waiting_message == waiting, Case.status == "running")
        .join(Employee, Employee.id == Case.employee_id).where(Employee.agency_id == period.agency_id)
        .order_by(Case.id)
    ).all()
    result = CloseResult()
    for case_id in case_ids:
        case = session.get(Case, case_id)
        try:
            if CaseRunner(session).deliver_message(case, MESSAGE, {"period": period.key}, actor_user_id):
                result.advanced += 1
            session.commit()
        except CaseChanged as err:
            session.rollback()
            result.failed.append((case_id, str(err)))
    return result
