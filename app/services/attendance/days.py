"""Classify employees' days into `attendance_day` rows (what the allowance job deducts from).

`classify_range` is set-based: one query per kind of fact for the whole batch, then one upsert
per day and employee. Re-running it gives the same rows (a day already classified is updated).
"""
import time as time_module
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.clock import utcnow
from app.models import Absence, Agency, AttendanceDay, AttendancePunch, Employee, WorkSchedule
from app.models.calendar import calendar_for
from app.models.statuses import AbsenceStatus
from app.rules import attendance as rules

BATCH = 500


_schedules_cache: dict[int, tuple[float, tuple]] = {}
SCHEDULES_CACHE_SECONDS = 300


def cached_schedules(session: Session, agency_id: int) -> tuple[dict, list]:
    """The agency's working hours, up to five minutes old: they change a few times a year and the
    log form reads them on every save (only to raise flags)."""
    now = time_module.monotonic()
    hit = _schedules_cache.get(agency_id)
    if hit is None or hit[0] < now:
        hit = (now + SCHEDULES_CACHE_SECONDS, schedules_for(session, agency_id))
        _schedules_cache[agency_id] = hit
    return hit[1]


def forget_schedules(agency_id: int | None) -> None:
    """Drop this process's cached hours after HR edits them (None: every agency)."""
    if agency_id is None:
        _schedules_cache.clear()
    else:
        _schedules_cache.pop(agency_id, None)


def schedules_for(session: Session, agency_id: int) -> tuple[dict, list]:
    rows = session.scalars(select(WorkSchedule).where(WorkSchedule.agency_id == agency_id)).all()
    regular = next((r.hours for r in rows if r.starts_on is None), rules.REGULAR_HOURS)
    special = [(r.starts_on, r.ends_on or r.starts_on, r.hours) for r in rows if r.starts_on is not None]
    return regular, sorted(special, key=lambda s: s[0])


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def classify_range(session: Session, employee_ids, start: date, end: date) -> int:
    """Classify every day from start to end for these employees; return the rows written.

    Every day gets a row, so a working day with no punch at all becomes 'no_record' (TK).
    The caller commits.
    """
    employee_ids = list(employee_ids)
    written = 0
    for i in range(0, len(employee_ids), BATCH):
        ids = employee_ids[i:i + BATCH]
        rows = classify_rows(session, ids, start, end)
        # Delete-and-insert in one transaction: the same inputs always give the same rows.
        session.execute(delete(AttendanceDay).where(
            AttendanceDay.employee_id.in_(ids), AttendanceDay.day >= start, AttendanceDay.day <= end))
        if rows:
            session.execute(insert(AttendanceDay), rows)
        written += len(rows)
    return written


def classify_rows(session: Session, ids: list[int], start: date, end: date) -> list[dict]:
    """The attendance_day rows for these employees and days, computed without writing them."""
    agencies = dict(session.execute(select(Employee.id, Employee.agency_id).where(Employee.id.in_(ids))).all())
    per_agency = {}
    for agency_id in set(agencies.values()):
        agency = session.get(Agency, agency_id)
        per_agency[agency_id] = (agency.zone, calendar_for(session, agency_id),
                                 *schedules_for(session, agency_id))
    zones = {emp: per_agency[agencies[emp]][0] for emp in ids}
    # Punches a few hours either side of the range, since a local day is not a UTC day.
    since = datetime.combine(start, time(0), clock.UTC) - timedelta(hours=14)
    until = datetime.combine(end + timedelta(days=1), time(0), clock.UTC) + timedelta(hours=14)
    punches = defaultdict(list)
    for emp, at, kind in session.execute(
            select(AttendancePunch.employee_id, AttendancePunch.at, AttendancePunch.kind)
            .where(AttendancePunch.employee_id.in_(ids), AttendancePunch.at >= since, AttendancePunch.at < until)):
        local = at.astimezone(zones[emp]).replace(tzinfo=None)
        punches[(emp, local.date())].append(rules.Punch(local, kind))
    absences = defaultdict(dict)
    for emp, kind, starts, ends in session.execute(
            select(Absence.employee_id, Absence.kind, Absence.starts_on, Absence.ends_on)
            .where(Absence.employee_id.in_(ids), Absence.status == AbsenceStatus.APPROVED,
                   Absence.starts_on <= end, Absence.ends_on >= start)):
        for day in _days(max(starts, start), min(ends, end)):
            absences[emp][day] = kind
    now = utcnow()
    rows = []
    for emp in ids:
        zone, calendar, regular, special = per_agency[agencies[emp]]
        for day in _days(start, end):
            hours = rules.hours_on(day, regular, special)
            result = rules.classify(day, calendar.is_working_day(day), hours, punches.get((emp, day), []),
                                    absences[emp].get(day))
            rows.append({
                "employee_id": emp, "day": day, "status": result.status,
                "arrival_code": result.arrival_code, "departure_code": result.departure_code,
                "leave_type": result.leave_type,
                "arrival_at": result.arrival.replace(tzinfo=zone) if result.arrival else None,
                "departure_at": result.departure.replace(tzinfo=zone) if result.departure else None,
                "late_minutes": result.late_minutes, "early_minutes": result.early_minutes,
                "classified_at": now,
            })
    return rows
