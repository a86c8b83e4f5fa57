"""The agency calendar: national holidays and joint leave days that are not working days."""
import time
from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db
from app.rules.working_days import WorkCalendar


class Holiday(db.Model):
    __tablename__ = "holiday"
    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL agency = a national day that applies to every agency.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="libur_nasional")
    __table_args__ = (UniqueConstraint("agency_id", "day"),)


_cached: dict[int, tuple[float, WorkCalendar]] = {}
CACHE_SECONDS = 300


def cached_calendar(session: Session, agency_id: int) -> WorkCalendar:
    """The calendar changes a few times a year; due dates may use one up to five minutes old."""
    now = time.monotonic()
    hit = _cached.get(agency_id)
    if hit is None or hit[0] < now:
        hit = (now + CACHE_SECONDS, calendar_for(session, agency_id))
        _cached[agency_id] = hit
    return hit[1]


def calendar_for(session: Session, agency_id: int) -> WorkCalendar:
    """The agency's calendar. A year counts as known once its national list is in (every year
    has national holidays); regional days alone do not make a year known."""
    rows = session.execute(
        select(Holiday.day, Holiday.agency_id).where((Holiday.agency_id.is_(None)) | (Holiday.agency_id == agency_id))
    ).all()
    return WorkCalendar(holidays=frozenset(day for day, _agency in rows),
                        years=frozenset(day.year for day, agency in rows if agency is None))


def national_years(session: Session) -> set[int]:
    """The years whose national holiday list is loaded."""
    return {day.year for day in session.scalars(select(Holiday.day).where(Holiday.agency_id.is_(None)))}


def forget(agency_id: int | None) -> None:
    """Drop cached calendars after HR edits the holidays (None: a national day, every agency)."""
    if agency_id is None:
        _cached.clear()
    else:
        _cached.pop(agency_id, None)
