"""Monitoring facts: monthly action plans, daily work logs with their evidence, and month closure."""
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db
from app.models._types import UTCDateTime
from app.models.org import Agency, Employee
from app.models.performance import PlanResult
from app.models.statuses import LogStatus, status_type
from app.models.uploads import StoredFile

LOG_KINDS = ("utama", "lainnya")


class MonitoringSetting(db.Model):
    """Per-agency numbers of the monitoring rules; an agency without a row uses the defaults."""

    __tablename__ = "monitoring_setting"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), unique=True)
    monthly_target_minutes: Mapped[int] = mapped_column(default=6750)
    daily_cap_minutes: Mapped[int] = mapped_column(default=450)

    agency: Mapped[Agency] = relationship()


class ActionPlan(db.Model):
    """A monthly action plan (rencana aksi) under one RHK of the employee's approved plan."""

    __tablename__ = "action_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    plan_result_id: Mapped[int] = mapped_column(ForeignKey("plan_result.id"), index=True)
    # The first day of the month the action plan is for.
    month: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    unit: Mapped[str] = mapped_column(String(40), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employee: Mapped[Employee] = relationship()
    result: Mapped[PlanResult] = relationship()
    comments: Mapped[list["ActionPlanComment"]] = relationship(
        order_by="ActionPlanComment.created_at", cascade="all, delete-orphan")
    __table_args__ = (Index("ix_action_plan_employee_month", "employee_id", "month"),)


class ActionPlanComment(db.Model):
    __tablename__ = "action_plan_comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_plan_id: Mapped[int] = mapped_column(ForeignKey("action_plan.id"), index=True)
    author_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User")


class WorkLog(db.Model):
    """One daily activity entry (LKH). Only validated minutes count towards the monthly target."""

    __tablename__ = "work_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    day: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    minutes: Mapped[int] = mapped_column()
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    unit: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10), default="utama")
    action_plan_id: Mapped[int | None] = mapped_column(ForeignKey("action_plan.id"), index=True)
    link: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[LogStatus] = mapped_column(status_type(LogStatus, "status"), default=LogStatus.SUBMITTED)
    # Reasons the supervisor should look twice (non-working day, over the daily cap, ...).
    flags: Mapped[list] = mapped_column(JSON, default=list)
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    # Chosen by the browser when the form is first shown: a resubmitted form is the same entry.
    client_token: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    employee: Mapped[Employee] = relationship()
    action_plan: Mapped[ActionPlan | None] = relationship()
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="work_log", order_by="Evidence.id", cascade="all, delete-orphan")
    __table_args__ = (
        UniqueConstraint("employee_id", "client_token"),
        Index("ix_work_log_employee_day", "employee_id", "day"),
        Index("ix_work_log_day_status", "day", "status"),
    )


class Evidence(StoredFile, db.Model):
    """An uploaded file (bukti dukung); the bytes live in UPLOAD_DIR under `stored_name`."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    work_log_id: Mapped[int] = mapped_column(ForeignKey("work_log.id"), index=True)

    work_log: Mapped[WorkLog] = relationship(back_populates="evidence")


class WorkMonth(db.Model):
    """An employee's month of logs; closed when the supervisor finishes the monthly validation."""

    __tablename__ = "work_month"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    month: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    validated_minutes: Mapped[int] = mapped_column(default=0)
    __table_args__ = (UniqueConstraint("employee_id", "month"),)
