"""Append-only audit of who changed what, outside case steps (plans saved, periods closed, ...)."""
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.models import AuditEvent


def record(session: Session, actor_user_id: int | None, action: str, summary: str,
           case_id: int | None = None, detail: dict | None = None) -> AuditEvent:
    event = AuditEvent(at=utcnow(), actor_user_id=actor_user_id, case_id=case_id, action=action,
                       summary=summary[:500], detail=detail)
    session.add(event)
    return event
