"""The monthly allowance (TPP): the agency's rules per year, the computed rows, and compute runs.

Money is integer rupiah; percentages are Numeric. The small rule tables (base per class, the
deduction table, leave types, sanction cuts, grade factors, tax rates) are JSON maps whose
values are rupiah integers or percentage strings, validated by app/rules/allowance.py.
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db
from app.models._types import UTCDateTime
from app.models.org import Employee, OrgUnit
from app.models.statuses import AllowanceBatchStatus, AllowanceRunStatus, status_type


class AllowanceRuleSet(db.Model):
    """The rules an agency applies from `effective_year` until a later rule set takes over."""

    __tablename__ = "allowance_rule_set"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    effective_year: Mapped[int] = mapped_column()
    performance_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    discipline_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    contribution_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    base_amounts: Mapped[dict] = mapped_column(JSON)
    deductions: Mapped[dict] = mapped_column(JSON)
    leave_deductions: Mapped[dict] = mapped_column(JSON)
    sanction_cuts: Mapped[dict] = mapped_column(JSON)
    grade_factors: Mapped[dict] = mapped_column(JSON)
    tax_rates: Mapped[dict] = mapped_column(JSON)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("agency_id", "effective_year"),)


class Allowance(db.Model):
    """One employee's allowance for one month, with every line item that made it."""

    __tablename__ = "allowance"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    period_key: Mapped[str] = mapped_column(String(7))
    month_start: Mapped[date] = mapped_column(Date)
    # The unit and position at the end of the month (a split month lists each in `items`).
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    class_level: Mapped[int] = mapped_column()
    rank_group: Mapped[str] = mapped_column(String(10))
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("allowance_rule_set.id"))
    working_days: Mapped[int] = mapped_column()
    days_covered: Mapped[int] = mapped_column()
    base_amount: Mapped[int] = mapped_column()
    validated_minutes: Mapped[int] = mapped_column()
    target_minutes: Mapped[int] = mapped_column()
    performance_factor: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    grade: Mapped[str | None] = mapped_column(String(30))
    performance_part: Mapped[int] = mapped_column()
    discipline_base: Mapped[int] = mapped_column()
    deduction_tl: Mapped[int] = mapped_column()
    deduction_psw: Mapped[int] = mapped_column()
    deduction_tk: Mapped[int] = mapped_column()
    deduction_leave: Mapped[int] = mapped_column()
    deduction_apel: Mapped[int] = mapped_column()
    # What was taken from the discipline part: the sum above, capped at the discipline base.
    deduction_applied: Mapped[int] = mapped_column()
    discipline_part: Mapped[int] = mapped_column()
    sanction_pct: Mapped[Decimal] = mapped_column(Numeric(7, 3))
    sanction_cut: Mapped[int] = mapped_column()
    gross: Mapped[int] = mapped_column()
    contribution: Mapped[int] = mapped_column()
    tax_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    tax: Mapped[int] = mapped_column()
    net: Mapped[int] = mapped_column()
    items: Mapped[list] = mapped_column(JSON)
    # sha256 of everything above: a recompute that finds the same hash writes nothing.
    inputs_hash: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employee: Mapped[Employee] = relationship()
    unit: Mapped[OrgUnit] = relationship()
    __table_args__ = (
        UniqueConstraint("employee_id", "period_key"),
        Index("ix_allowance_agency_period_unit", "agency_id", "period_key", "unit_id"),
    )


class AllowanceRun(db.Model):
    """One computation of a month for an agency, fanned out in batches of employees."""

    __tablename__ = "allowance_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    period_key: Mapped[str] = mapped_column(String(7))
    status: Mapped[AllowanceRunStatus] = mapped_column(status_type(AllowanceRunStatus, "status"),
                                                      default=AllowanceRunStatus.RUNNING)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    employees: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_allowance_run_agency_period", "agency_id", "period_key"),)


class AllowanceBatch(db.Model):
    """A range of employee ids of a run; marked done in the transaction that wrote its rows."""

    __tablename__ = "allowance_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("allowance_run.id"))
    first_employee_id: Mapped[int] = mapped_column()
    last_employee_id: Mapped[int] = mapped_column()
    status: Mapped[AllowanceBatchStatus] = mapped_column(status_type(AllowanceBatchStatus, "status"),
                                                        default=AllowanceBatchStatus.PENDING)
    employees: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    # Line items the rules could not price (e.g. a leave type with no rate), for HR to see.
    warnings: Mapped[list | None] = mapped_column(JSON)
    __table_args__ = (Index("ix_allowance_batch_run_status", "run_id", "status"),)
