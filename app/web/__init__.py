"""Blueprints, the user loader and template helpers; error pages are in app/web/errors.py."""
from decimal import Decimal

from flask import Flask, current_app, g
from flask_login import current_user

from app.core import clock
from app.core.clock import utcnow
from app.engine.lanes import LANE_LABELS
from app.extensions import db, login_manager
from app.models import User
from app.models.roles import OVERSEER_ROLES
from app.models.statuses import (
    ABSENCE_STATUS_LABELS,
    CASE_STATUS_LABELS,
    COMPLAINT_STATUS_LABELS,
    LOG_STATUS_LABELS,
    MIGRATION_RUN_STATE_LABELS,
    PERIOD_STATE_LABELS,
    PLAN_STATUS_LABELS,
    TASK_STATUS_LABELS,
)
from app.rules import sla
from app.rules.grade_matrix import UNIT_RESULT_LABELS
from app.rules.ratings import BERAKHLAK, GRADE_LABELS, RATING_LABELS
from app.rules.timezones import abbreviation
from app.services.complaints import filing as complaint_service
from app.services.tasks import types as task_types
from app.services.tasks.navigation import nav_counts

FOLLOW_UP_LABELS = {"reward": "Penghargaan", "development_plan": "Rencana pengembangan",
                    "sanction_review": "Telaah sanksi"}


@login_manager.user_loader
def load_user(user_id: str):
    return db.session.get(User, int(user_id))


def _viewer_zone() -> str:
    """The zone of the agency the signed-in user belongs to; the configured default otherwise."""
    if "viewer_zone" not in g:
        g.viewer_zone = (current_user.timezone if current_user.is_authenticated
                         else current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return g.viewer_zone


def _local(value, fmt="%d-%m-%Y %H:%M"):
    if value is None:
        return "—"
    zone = _viewer_zone()
    return clock.local(value, zone).strftime(fmt) + " " + abbreviation(zone)


def _number(value) -> str:
    """A target as people here write it: 12, 2,5, 1.250 (no float noise such as 12.0)."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _rupiah(value) -> str:
    """Rp 4.312.500, the way amounts are written here; a deduction shows with a minus sign."""
    if value is None:
        return "—"
    amount = int(value)
    text = f"{abs(amount):,}".replace(",", ".")
    return f"-Rp {text}" if amount < 0 else f"Rp {text}"


def register_web(app: Flask) -> None:
    # The blueprint modules import names from this package (filters, labels), so they are
    # imported once it has loaded, here, rather than at its top.
    from app.web import (
        allowance,
        attendance,
        auth,
        cases,
        complaints,
        designer,
        errors,
        help,
        hr,
        inbox,
        monitoring,
        notifications,
        ops,
        periods,
        units,
    )

    for module in (auth, inbox, cases, hr, periods, allowance, ops, monitoring, attendance, notifications, units,
                   designer, complaints, help):
        app.register_blueprint(module.bp)

    # Not at the top: a form module imports app.rules, which loads the app package and so this
    # one; importing forms here, at registration, keeps `import forms.plan` on its own working.
    from forms.plan import PERSPECTIVE_CHOICES

    app.jinja_env.filters["local"] = _local
    app.jinja_env.filters["number"] = _number
    app.jinja_env.filters["rupiah"] = _rupiah
    app.jinja_env.globals.update(
        GRADE_LABELS=GRADE_LABELS, RATING_LABELS=RATING_LABELS,
        # One label table per state machine (app/models/statuses.py).
        CASE_STATUS_LABELS=CASE_STATUS_LABELS, TASK_STATUS_LABELS=TASK_STATUS_LABELS,
        PLAN_STATUS_LABELS=PLAN_STATUS_LABELS, PERIOD_STATE_LABELS=PERIOD_STATE_LABELS,
        LANE_LABELS=LANE_LABELS, BERAKHLAK=BERAKHLAK, UNIT_RESULT_LABELS=UNIT_RESULT_LABELS,
        PERSPECTIVE_LABELS={k: v for k, v in PERSPECTIVE_CHOICES if k},
        FOLLOW_UP_LABELS=FOLLOW_UP_LABELS, LOG_STATUS_LABELS=LOG_STATUS_LABELS,
        ABSENCE_STATUS_LABELS=ABSENCE_STATUS_LABELS, MIGRATION_RUN_STATE_LABELS=MIGRATION_RUN_STATE_LABELS,
        CATEGORY_LABELS=sla.CATEGORY_LABELS, COMPLAINT_STATUS_LABELS=COMPLAINT_STATUS_LABELS,
        MESSAGE_LABELS=complaint_service.MESSAGE_LABELS, LEVEL_LABELS=complaint_service.LEVEL_LABELS,
        TARGET_LABELS=complaint_service.TARGET_LABELS,
        DECISION_LABELS=task_types.decision_labels(),
    )

    @app.context_processor
    def inject_counts():
        if not current_user.is_authenticated:
            return {}
        counts = nav_counts(db.session, current_user)
        return {"task_counts": counts.task_counts, "now_ts": utcnow().timestamp(),
                "unread_notifications": counts.unread,
                "nav_units": counts.heads_a_unit or current_user.has_role(*OVERSEER_ROLES)}

    errors.register(app)
