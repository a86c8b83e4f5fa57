"""Starting a year's performance cycle: periods for the agency and one case per active employee."""
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.engine import specs
from app.engine.runner import CaseRunner
from app.models import Agency, Case, Employee, OrgUnit, Period
from app.rules.periods import months_of_year, period_keys
from app.services import audit
from app.services.errors import ServiceError

PROCESS_ID = "performance_cycle"


@dataclass
class CycleStarted:
    started: int
    skipped: int
    errors: int


def ensure_periods(session: Session, agency: Agency, year: int) -> list[Period]:
    existing = {p.key: p for p in session.scalars(
        select(Period).where(Period.agency_id == agency.id, Period.cycle_key == str(year)))}
    rows = []
    for key, starts, ends in period_keys(year, agency.appraisal_scheme):
        row = existing.get(key)
        if row is None:
            row = Period(agency_id=agency.id, cycle_key=str(year), key=key, starts_on=starts, ends_on=ends)
            session.add(row)
        rows.append(row)
    session.flush()
    return rows


def cycle_months(agency: Agency, year: int) -> list[dict]:
    """The diagram's month loop input; `opens` is local midnight of the first day (the timer)."""
    zone = ZoneInfo(agency.timezone)
    months = months_of_year(year, agency.appraisal_scheme)
    for month in months:
        month["opens"] = datetime.combine(date.fromisoformat(month.pop("first")), time(0), zone).isoformat()
    return months


def start_cycle(session: Session, unit: OrgUnit, year: int, actor_user_id: int) -> CycleStarted:
    """Idempotent: employees who already have a case for the year are skipped."""
    if not 2000 <= year <= 2100:
        raise ServiceError("Tahun siklus tidak valid.")
    version = specs.active_version(session, PROCESS_ID)
    if version is None:
        raise ServiceError("Diagram siklus kinerja belum dideploy.")
    agency = unit.agency
    periods = ensure_periods(session, agency, year)
    employees = session.scalars(
        select(Employee).join(OrgUnit, Employee.unit_id == OrgUnit.id)
        .where(Employee.is_active.is_(True), OrgUnit.path.like(f"{unit.path}%"))
        .order_by(Employee.id)
    ).all()
    have_case = set(session.scalars(
        select(Case.employee_id).where(Case.process_id == PROCESS_ID, Case.cycle_key == str(year))))
    runner = CaseRunner(session)
    started = errors = 0
    data = {"cycle": str(year), "period_keys": [p.key for p in periods], "months": cycle_months(agency, year)}
    for employee in employees:
        if employee.id in have_case:
            continue
        case = runner.start(version, employee, str(year), dict(data), actor_user_id)
        started += 1
        errors += case.status == "error"
    audit.record(session, actor_user_id, "cycle_started",
                 f"Siklus {year} dimulai untuk {unit.name}: {started} kasus baru")
    session.commit()
    return CycleStarted(started=started, skipped=len(employees) - started, errors=errors)
