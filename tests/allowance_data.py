"""Allowance test data: rules for the demo agency and a month of attendance and logs for one person.

March 2026 in the demo calendar has 19 working days (19, 20 and 23 March are holidays). staf02
holds a class 7 position (golongan III/a); class 7 is given the base of DOMAIN.md's worked
example, Rp 5,000,000, so that example can be reproduced through the whole job.
"""
from dataclasses import replace
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import Agency, AttendanceDay, WorkLog
from app.models.calendar import calendar_for
from app.rules.allowance import default_rules
from app.services.allowance import rules as allowance_rules
from tests.conftest import employee, user

BASES = {level: 1_000_000 + 250_000 * level for level in range(1, 18)}
BASES[7] = 5_000_000
BASES[9] = 7_000_000
MARCH = [date(2026, 3, 1) + timedelta(days=i) for i in range(31)]


def save_rules(year: int = 2026, **changes):
    agency = db.session.scalars(select(Agency)).one()
    rules = replace(default_rules(BASES), **changes)
    return allowance_rules.save(db.session, agency.id, year, rules, user("hr.admin").id)


def working_days(month_days=MARCH):
    agency = db.session.scalars(select(Agency)).one()
    calendar = calendar_for(db.session, agency.id)
    return [d for d in month_days if calendar.is_working_day(d)]


def attendance(username: str, codes: dict[int, dict] | None = None, month_days=MARCH):
    """Every day of the month classified: working days present and on time unless `codes` says
    otherwise ({day of month: {"status": ..., "arrival_code": ...}}), other days holidays."""
    emp = employee(username)
    working = set(working_days(month_days))
    for day in month_days:
        values = {"status": "present"} if day in working else {"status": "holiday"}
        values.update((codes or {}).get(day.day, {}))
        db.session.add(AttendanceDay(employee_id=emp.id, day=day, **values))
    db.session.commit()


def validated_minutes(username: str, minutes: int, day: date = date(2026, 3, 2), status: str = "validated"):
    emp = employee(username)
    db.session.add(WorkLog(employee_id=emp.id, day=day, start_time=time(8), end_time=time(16), minutes=minutes,
                           description="Pelayanan rujukan", quantity=Decimal(1), unit="kegiatan", status=status,
                           client_token=f"log-{username}-{day}-{minutes}-{status}"))
    db.session.commit()


# DOMAIN.md's worked example placed in March 2026: TL1 twice, TL3, PSW2, one day absent (TK)
# and one missing check-out (PSW4).
WORKED_EXAMPLE = {
    2: {"arrival_code": "TL1"}, 3: {"arrival_code": "TL1"}, 4: {"arrival_code": "TL3"},
    5: {"departure_code": "PSW2"}, 9: {"status": "no_record"}, 10: {"departure_code": "PSW4"},
}
