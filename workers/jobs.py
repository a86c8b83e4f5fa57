"""Job functions. Each is idempotent and safe to retry; they call services, never web code."""
from flask import current_app, has_app_context

from app.extensions import db
from app.services import case_migration, periods

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


def precheck_migration(run_id: int) -> None:
    with _app_context():
        case_migration.precheck(db.session, run_id)


def migrate_cases(run_id: int, actor_user_id: int | None) -> None:
    with _app_context():
        case_migration.migrate_queued(db.session, run_id, actor_user_id)
