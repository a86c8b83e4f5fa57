"""Attendance: working hours, office locations, raw punches, imports, leave/travel and the day's class."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db
from app.models._types import UTCDateTime
from app.models.org import Employee, OrgUnit
from app.models.statuses import AbsenceStatus, DayStatus, status_type


class WorkSchedule(db.Model):
    """Working hours per weekday ({"0": ["07:30", "16:00"], ...}, Monday = 0).

    The row without dates is the agency's regular schedule; a row with a date range (Ramadan)
    overrides it on those days.
    """

    __tablename__ = "work_schedule"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    hours: Mapped[dict] = mapped_column(JSON)


class OfficeLocation(db.Model):
    """Where a unit's office is and how far from it a browser check-in is accepted."""

    __tablename__ = "office_location"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[int] = mapped_column(default=100)

    unit: Mapped[OrgUnit] = relationship()


class AttendanceImport(db.Model):
    __tablename__ = "attendance_import"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_added: Mapped[int] = mapped_column(default=0)
    rows_duplicate: Mapped[int] = mapped_column(default=0)
    rows_rejected: Mapped[int] = mapped_column(default=0)
    # [{"line": 7, "problem": "..."}] for the rows that were not imported.
    rejected: Mapped[list] = mapped_column(JSON, default=list)


class AttendancePunch(db.Model):
    """One check-in/out: from the browser (with location) or a fingerprint device export."""

    __tablename__ = "attendance_punch"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # 'in' / 'out' from the browser; NULL from a device, whose punches are ordered by time.
    kind: Mapped[str | None] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(10))
    device: Mapped[str] = mapped_column(String(60), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[int | None] = mapped_column()
    import_id: Mapped[int | None] = mapped_column(ForeignKey("attendance_import.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (
        # A device export imported twice matches these three and adds nothing.
        UniqueConstraint("employee_id", "at", "device"),
        Index("ix_attendance_punch_at", "at"),
    )


class Absence(db.Model):
    """Leave (cuti) or official travel (dinas luar), recorded by HR or requested and approved."""

    __tablename__ = "absence"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[AbsenceStatus] = mapped_column(status_type(AbsenceStatus, "status"),
                                                 default=AbsenceStatus.REQUESTED)
    reason: Mapped[str] = mapped_column(Text, default="")
    decision_note: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employee: Mapped[Employee] = relationship()


class AttendanceDay(db.Model):
    """The classification of one employee's working day (what the allowance deducts from).

    status: present | no_record (TK on a working day) | leave | travel | holiday.
    arrival_code TL1-TL4 (NULL when on time; a missing check-in is TL4), departure_code
    PSW1-PSW4 (a missing check-out is PSW4).
    """

    __tablename__ = "attendance_day"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[DayStatus] = mapped_column(status_type(DayStatus, "status"))
    arrival_code: Mapped[str | None] = mapped_column(String(10))
    departure_code: Mapped[str | None] = mapped_column(String(10))
    leave_type: Mapped[str | None] = mapped_column(String(30))
    arrival_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    departure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late_minutes: Mapped[int] = mapped_column(default=0)
    early_minutes: Mapped[int] = mapped_column(default=0)
    classified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("employee_id", "day"),)

