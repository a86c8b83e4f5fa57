"""Blueprints, the user loader and template helpers; error pages are in app/web/errors.py."""
import re
from datetime import datetime
from decimal import Decimal
from functools import cache

from babel.numbers import parse_pattern
from flask import Flask, current_app, g
from flask_babel import format_currency, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core import clock
from app.core.clock import utcnow
from app.core.language import month_name
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
from app.rules.periods import month_bounds
from app.rules.ratings import BERAKHLAK, GRADE_LABELS, RATING_LABELS
from app.rules.timezones import abbreviation
from app.services.complaints import filing as complaint_service
from app.services.tasks import types as task_types
from app.services.tasks.navigation import nav_counts

FOLLOW_UP_LABELS = {"reward": _l("Penghargaan"), "development_plan": _l("Rencana pengembangan"),
                    "sanction_review": _l("Telaah sanksi")}
# Parsed once: a page of amounts formats hundreds of them, and Babel parses a pattern string each call.
NUMBER_PATTERN = parse_pattern("#,##0.##")
RUPIAH_PATTERN = parse_pattern("¤ #,##0")
# Templates write times as strftime formats (`|local('%d-%m-%Y')`); Babel reads CLDR patterns.
STRFTIME_TO_CLDR = {"%d": "dd", "%m": "MM", "%Y": "yyyy", "%y": "yy", "%H": "HH", "%M": "mm", "%S": "ss",
                    "%b": "MMM", "%B": "MMMM", "%a": "EEE", "%A": "EEEE", "%%": "%"}


@login_manager.user_loader
def load_user(user_id: str):
    return db.session.get(User, int(user_id))


def _viewer_zone() -> str:
    """The zone of the agency the signed-in user belongs to; the configured default otherwise."""
    if "viewer_zone" not in g:
        g.viewer_zone = (current_user.timezone if current_user.is_authenticated
                         else current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return g.viewer_zone


@cache
def _cldr_pattern(strftime_format: str) -> str:
    """The CLDR pattern of a strftime format; letters outside a directive are quoted, as CLDR wants.
    A directive without a CLDR twin is a KeyError, so a template cannot print it by accident."""
    def literal(text):
        return re.sub(r"[A-Za-z']+", lambda m: "'" + m.group().replace("'", "''") + "'", text)

    return "".join(STRFTIME_TO_CLDR[part] if part.startswith("%") else literal(part)
                   for part in re.split(r"(%.)", strftime_format))


def _local(value, fmt="%d-%m-%Y %H:%M"):
    """An instant on the viewer's agency clock, with its zone: 07-12-2026 09:30 WIB. Month and day
    names (%b, %A) are the reader's language."""
    if value is None:
        return "—"
    zone = _viewer_zone()
    return f"{format_datetime(clock.local(value, zone), _cldr_pattern(fmt), rebase=False)} {abbreviation(zone)}"


def _number(value) -> str:
    """A target as the reader writes it, without float noise (12.0 is 12): 12, 2,5, 1.250 in Bahasa
    Indonesia, 12, 2.5, 1,250 in English; at most two decimals."""
    if value is None:
        return "—"
    return format_decimal(Decimal(str(value)), NUMBER_PATTERN)


def _rupiah(value) -> str:
    """Whole rupiah, a deduction with a minus sign: Rp 4.312.500 and -Rp 43.125 in Bahasa Indonesia,
    IDR 4,312,500 in English."""
    if value is None:
        return "—"
    return format_currency(int(value), "IDR", format=RUPIAH_PATTERN, currency_digits=False)


def _month(value) -> str:
    """A month in the reader's language (April 2026), from a month key ("2026-04") or a date; an
    instant is read on the viewer's agency clock."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = month_bounds(value)[0]
    elif isinstance(value, datetime):
        value = clock.local(value, _viewer_zone()).date()
    return month_name(value)


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
    app.jinja_env.filters["month"] = _month
    app.jinja_env.globals.update(
        # The language the page is written in (the switch, else the account's), for <html lang>.
        page_language=lambda: str(get_locale()),
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
