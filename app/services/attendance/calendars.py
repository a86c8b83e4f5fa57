"""National holiday lists per year, loaded from the `holidays` package, and which years are missing.

The working-day calendar refuses to count days in a year whose national list is not loaded
(`CalendarYearMissing`), so that a due date or an allowance is never computed as if that year
had no holidays. HR loads a year here once; later government changes are edited by hand on the
calendar page, and loading never overwrites them (a year already loaded is left alone).
"""
from dataclasses import dataclass

import holidays as holiday_lists
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.errors import ServiceError
from app.models import Holiday
from app.models import calendar as calendar_model

# What the package calls its categories, and the kind of day each is in the calendar.
CATEGORIES = {"public": "libur_nasional", "government": "cuti_bersama"}
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass
class Loaded:
    year: int
    holidays: int
    joint_leave: int


def official_days(year: int) -> list[tuple]:
    """(day, Indonesian name, kind) for the year, as the package knows it (estimated Islamic
    dates included: HR moves them when the government's decree differs)."""
    days = []
    for category, kind in CATEGORIES.items():
        listed = holiday_lists.country_holidays("ID", years=year, categories=(category,), language="id")
        days += [(day, name, kind) for day, name in listed.items()]
    return sorted(days)


def load_national(session: Session, year: int, actor_user_id: int | None) -> Loaded:
    """Load a year's national holidays and joint leave days; refused when the year is loaded."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError(_("Tahun %(year)s di luar rentang %(first)s–%(last)s.", year=year, first=FIRST_YEAR,
                             last=LAST_YEAR))
    if year in calendar_model.national_years(session):
        raise ServiceError(_("Hari libur nasional %(year)s sudah dimuat; ubah satu per satu bila pemerintah "
                             "menggesernya.", year=year))
    days = official_days(year)
    if not days:
        raise ServiceError(_("Daftar hari libur resmi %(year)s belum tersedia; tambahkan hari liburnya satu per "
                             "satu.", year=year))
    taken = set(session.scalars(select(Holiday.day).where(Holiday.agency_id.is_(None))))
    for day, name, kind in days:
        if day not in taken:
            session.add(Holiday(agency_id=None, day=day, name=name[:200], kind=kind))
            taken.add(day)
    joint = sum(kind == "cuti_bersama" for _day, _name, kind in days)
    audit.record(session, actor_user_id, "holidays_loaded",
                 f"Hari libur nasional {year} dimuat: {len(days) - joint} hari libur, {joint} cuti bersama")
    session.flush()
    calendar_model.forget(None)
    return Loaded(year, len(days) - joint, joint)


def missing_years(session: Session, years) -> list[int]:
    """Those of `years` whose national list is not loaded, in order."""
    loaded = calendar_model.national_years(session)
    return sorted(set(years) - loaded)
