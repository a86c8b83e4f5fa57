"""Job functions. Each is idempotent and safe to retry; they call services, never web code."""
from flask import current_app, has_app_context

from app.extensions import db
from app.services import periods, timers

_app = None


def _app_context():
    """RQ workers import this module without an app; build one once per worker process."""
    global _app
    if has_app_context():
        return current_app.app_context()
    if _app is None:
        from app import create_app

        _app = create_app()
    return _app.app_context()


def close_period(period_id: int, actor_user_id: int | None) -> dict:
    with _app_context():
        result = periods.close_period(db.session, period_id, actor_user_id)
        return {"advanced": result.advanced, "failed": len(result.failed)}


def fire_due_timers() -> dict:
    with _app_context():
        result = timers.fire_due(db.session)
        return {"fired": result.fired, "retry_later": len(result.retry_later)}


def send_reminders() -> dict:
    """Daily: remind employees with no log for the previous working day and supervisors with
    validations past due (once per day each, so a rerun sends nothing twice)."""
    from app.services import reminders

    with _app_context():
        result = reminders.send_reminders(db.session)
        return {"employees": result.employees, "supervisors": result.supervisors}
