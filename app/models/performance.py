"""Performance domain facts: periods, plans (SKP) with results and indicators, dialogs, appraisals."""
from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import JSON, Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db
from app.models._types import UTCDateTime
from app.models.statuses import LOCKED_PERIOD_STATES, PeriodState, PlanStatus, status_type

RESULT_KINDS = ("utama", "tambahan")
ASPECTS = ("kuantitas", "kualitas", "waktu", "biaya")
PERSPECTIVES = (
    "penerima_layanan",
    "proses_bisnis",
    "penguatan_internal",
    "anggaran",
)



class Period(db.Model):
    """A month, quarter or year of an agency. Closing one locks its data (state 'closing', then
    'closed'); reopening is an HR act with a reason, kept here (the latest) and in the audit."""

    __tablename__ = "period"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    cycle_key: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    state: Mapped[PeriodState] = mapped_column(status_type(PeriodState, "state"), default=PeriodState.OPEN)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reopen_reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def locked(self) -> bool:
        return self.state in LOCKED_PERIOD_STATES

    __table_args__ = (UniqueConstraint("agency_id", "key"),)


class Plan(db.Model):
    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    cycle_key: Mapped[str] = mapped_column(String(20))
    status: Mapped[PlanStatus] = mapped_column(status_type(PlanStatus, "status"), default=PlanStatus.DRAFT)
    resource_support: Mapped[str] = mapped_column(Text, default="")
    accountability: Mapped[str] = mapped_column(Text, default="")
    consequences: Mapped[str] = mapped_column(Text, default="")
    return_note: Mapped[str] = mapped_column(Text, default="")
    # Snapshot at approval: who rated, in which position and unit.
    rater_employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    results: Mapped[list["PlanResult"]] = relationship(
        back_populates="plan", order_by="PlanResult.position", cascade="all, delete-orphan"
    )
    expectations: Mapped[list["BehaviourExpectation"]] = relationship(cascade="all, delete-orphan")

    @property
    def locked(self) -> bool:
        return self.status == PlanStatus.APPROVED


class PlanResult(db.Model):
    """One RHK: cascaded from a supervisor's RHK (intervensi) or, for JPT, under a perspective."""

    __tablename__ = "plan_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    parent_result_id: Mapped[int | None] = mapped_column(ForeignKey("plan_result.id"))
    perspective: Mapped[str | None] = mapped_column(String(30))

    plan: Mapped[Plan] = relationship(back_populates="results")
    parent: Mapped[Optional["PlanResult"]] = relationship(remote_side=[id])
    indicators: Mapped[list["Indicator"]] = relationship(
        order_by="Indicator.position", cascade="all, delete-orphan"
    )


class Indicator(db.Model):
    __tablename__ = "indicator"
    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("plan_result.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    aspect: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    target: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    unit: Mapped[str] = mapped_column(String(40))


class BehaviourExpectation(db.Model):
    __tablename__ = "behaviour_expectation"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    value_key: Mapped[str] = mapped_column(String(40))
    expectation: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (UniqueConstraint("plan_id", "value_key"),)


class Dialog(db.Model):
    __tablename__ = "dialog"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    period_key: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text)
    follow_ups: Mapped[str] = mapped_column(Text, default="")
    held_on: Mapped[date] = mapped_column(Date)
    held_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("case_id", "period_key"),)


class Appraisal(db.Model):
    __tablename__ = "appraisal"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    period_key: Mapped[str] = mapped_column(String(20))
    results_rating: Mapped[str] = mapped_column(String(20))
    behaviour_ratings: Mapped[dict] = mapped_column(JSON)
    behaviour_overall: Mapped[str | None] = mapped_column(String(20))
    grade: Mapped[str | None] = mapped_column(String(30))
    explanation: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    rated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    rater_employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("case_id", "period_key"),)


class FollowUp(db.Model):
    __tablename__ = "follow_up"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    decision: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UnitResult(db.Model):
    """A unit's own performance result for a period, set by its head or HR. It is the unit head's
    results rating and bounds how grades may be spread in the unit."""
    __tablename__ = "unit_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    period_key: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    set_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("unit_id", "period_key"),)
