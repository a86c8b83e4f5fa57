"""Organisation: agencies, the unit tree, positions, employees and who supervises whom."""
from datetime import date, datetime
from typing import Optional
from zoneinfo import ZoneInfo

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.core import clock
from app.extensions import db
from app.rules.nip import validate_nip

POSITION_TYPES = ("jpt", "administrator", "pengawas", "pelaksana", "fungsional")


class Agency(db.Model):
    __tablename__ = "agency"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    appraisal_scheme: Mapped[str] = mapped_column(String(20), default="quarterly")

    @property
    def zone(self) -> ZoneInfo:
        return clock.zone(self.timezone)

    def today(self, at: datetime | None = None) -> date:
        """The agency's date at `at` (default now): its days, not the server's UTC ones, count."""
        return clock.today(self.timezone, at)


class OrgUnit(db.Model):
    __tablename__ = "org_unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    # Materialised path ("/1/4/9/") so subtree scoping is one indexed LIKE, not a recursive query.
    path: Mapped[str] = mapped_column(String(400), index=True, default="")
    head_employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", use_alter=True, name="fk_org_unit_head_employee_id_employee")
    )

    agency: Mapped[Agency] = relationship()
    parent: Mapped[Optional["OrgUnit"]] = relationship(remote_side=[id])
    __table_args__ = (UniqueConstraint("agency_id", "code"),)


class Position(db.Model):
    __tablename__ = "position"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position_type: Mapped[str] = mapped_column(String(20))
    class_level: Mapped[int] = mapped_column()

    unit: Mapped[OrgUnit] = relationship()


class Employee(db.Model):
    __tablename__ = "employee"
    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    rank_group: Mapped[str] = mapped_column(String(10), default="III/a")
    employment_type: Mapped[str] = mapped_column(String(10), default="pns")
    is_active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[OrgUnit] = relationship(foreign_keys=[unit_id])
    position: Mapped[Position] = relationship()

    @validates("nip")
    def _check_nip(self, _key, nip: str) -> str:
        nip = "".join((nip or "").split())
        problems = validate_nip(nip)
        if problems:
            raise ValueError(" ".join(problems))
        return nip

    @property
    def is_jpt(self) -> bool:
        return self.position.position_type == "jpt"


class SupervisorAssignment(db.Model):
    """Who rates whom, over time: a change mid-year closes one row and opens the next."""

    __tablename__ = "supervisor_assignment"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    supervisor: Mapped[Employee] = relationship(foreign_keys=[supervisor_id])
    __table_args__ = (Index("ix_supervisor_assignment_employee_valid", "employee_id", "valid_from"),)


class EmployeePlacement(db.Model):
    """Where an employee worked over time (unit and position), one row per stretch.

    The employee row holds today's unit and position; this history lets a month that spans a
    transfer pay each part by the working days in it. An employee without rows is taken to have
    held today's placement throughout."""

    __tablename__ = "employee_placement"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    unit: Mapped[OrgUnit] = relationship()
    position: Mapped[Position] = relationship()
    __table_args__ = (Index("ix_employee_placement_employee_valid", "employee_id", "valid_from"),)
