"""Starting a year's performance cycle: periods for the agency and one case per active employee."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit, clock
from app.core.errors import ServiceError
from app.engine import specs
from app.engine.runner import CaseRunner
from app.models import Agency, Case, Employee, OrgUnit, Period
from app.models.statuses import CaseStatus
from app.rules.periods import months_of_year, period_keys, year_periods
from app.services.attendance import calendars

PROCESS_ID = "performance_cycle"


@dataclass
class CycleStarted:
    started: int
    skipped: int
    errors: int


def ensure_periods(session: Session, agency: Agency, year: int) -> list[Period]:
    """Create the year's months, quarters and the year itself; return the appraisal periods
    (quarters or months, by the agency's scheme) that the cases loop over."""
    existing = {p.key: p for p in session.scalars(
        select(Period).where(Period.agency_id == agency.id, Period.cycle_key == str(year)))}
    for key, kind, starts, ends in year_periods(year):
        if key not in existing:
            existing[key] = Period(agency_id=agency.id, cycle_key=str(year), key=key, kind=kind,
                                   starts_on=starts, ends_on=ends)
            session.add(existing[key])
    session.flush()
    return [existing[key] for key, _starts, _ends in period_keys(year, agency.appraisal_scheme)]


def cycle_months(agency: Agency, year: int) -> list[dict]:
    """The diagram's month loop input; `opens` is local midnight of the first day (the timer)."""
    months = months_of_year(year, agency.appraisal_scheme)
    for month in months:
        month["opens"] = clock.local_midnight(date.fromisoformat(month.pop("first")), agency.timezone).isoformat()
    return months


def past_year_notice(agency: Agency, year: int) -> str | None:
    """What starting a cycle for a year already over will do, for HR to confirm; None otherwise."""
    if year >= agency.today().year:
        return None
    return _("Tahun %(year)s sudah berakhir. Bila siklus %(year)s dimulai, setiap pegawai mendapat tugas Susun SKP "
             "%(year)s, tetapi tidak ada validasi aktivitas bulanan yang dibuka karena semua bulannya sudah "
             "berakhir; periode %(year)s dapat dinilai dan ditutup seperti biasa. Siklus tahun berjalan tidak "
             "terpengaruh.", year=year)


def start_cycle(session: Session, unit: OrgUnit, year: int, actor_user_id: int,
                past_year_confirmed: bool = False) -> CycleStarted:
    """Idempotent: employees who already have a case for the year are skipped. A year already over
    starts only once HR has confirmed `past_year_notice`."""
    if not 2000 <= year <= 2100:
        raise ServiceError(_("Tahun siklus tidak valid."))
    if past_year_notice(unit.agency, year) and not past_year_confirmed:
        raise ServiceError(_("Tahun %(year)s sudah berakhir; konfirmasi dulu untuk memulai siklusnya.", year=year))
    missing = calendars.missing_years(session, [year])
    if missing:
        raise ServiceError(_("Hari libur nasional %(year)s belum dimuat, jadi tenggat dan hari kerja siklus ini "
                             "belum dapat dihitung. Muat dulu di menu Kalender & jam kerja.", year=year))
    version = specs.active_version(session, PROCESS_ID)
    if version is None:
        raise ServiceError(_("Diagram siklus kinerja belum dideploy."))
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
    started_on = agency.today(runner.now).isoformat()
    # A month that ended before the case started (a cycle started late) has nothing to validate:
    # it is not one of the case's months, so it opens no task and no month row.
    months = [m for m in cycle_months(agency, year) if m["ends"] >= started_on]
    data = {"cycle": str(year), "period_keys": [p.key for p in periods], "months": months, "started_on": started_on}
    for employee in employees:
        if employee.id in have_case:
            continue
        case = runner.start(version, employee, str(year), dict(data), actor_user_id)
        started += 1
        errors += case.status == CaseStatus.ERROR
    audit.record(session, actor_user_id, "cycle_started",
                 f"Siklus {year} dimulai untuk {unit.name}: {started} kasus baru")
    session.flush()
    return CycleStarted(started=started, skipped=len(employees) - started, errors=errors)
