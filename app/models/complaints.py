"""Technical complaints: the complaint, its thread and files, the SLA clock's pauses and breaches,
and the agency's SLA targets. The complaint's workflow state lives in its `case`."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db
from app.models._types import UTCDateTime
from app.models.auth import User
from app.models.cases import Case, HumanTask
from app.models.org import Employee, OrgUnit
from app.models.statuses import ComplaintStatus, status_type
from app.models.uploads import StoredFile

MESSAGE_KINDS = ("complaint", "reply", "question", "info", "resolution", "escalation", "confirmation",
                 "reopen", "system")
CLOSE_REASONS = ("confirmed", "auto", "no_reply")


class Complaint(db.Model):
    __tablename__ = "complaint"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    reporter_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    unit_path: Mapped[str] = mapped_column(String(400), index=True)
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    # The page the employee was on when they pressed "Lapor kendala" (a path inside the app).
    source_url: Mapped[str] = mapped_column(String(500), default="")
    related_case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    related_task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"))
    # The complaint's own workflow case (process `complaint`, cycle key = number).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), unique=True)
    status: Mapped[ComplaintStatus] = mapped_column(status_type(ComplaintStatus, "status"),
                                                   default=ComplaintStatus.NEW)
    level: Mapped[str] = mapped_column(String(10), default="pic")
    # Targets in working hours, copied at filing so a later change of the table does not move them.
    response_hours: Mapped[int] = mapped_column()
    resolution_hours: Mapped[int] = mapped_column()
    # The running SLA clock, as the diagram's timers see it: which target, when it warns, when it breaks.
    sla_target: Mapped[str | None] = mapped_column(String(20))
    sla_remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sla_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Monday of the filing week in the agency's zone, so weekly counts are a plain GROUP BY.
    week_start: Mapped[date] = mapped_column(Date)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(String(20))
    # Working minutes on the SLA clock (pauses excluded) to the first response and to resolution.
    response_minutes: Mapped[int | None] = mapped_column()
    resolution_minutes: Mapped[int | None] = mapped_column()
    reopen_count: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employee: Mapped[Employee] = relationship()
    reporter: Mapped[User] = relationship()
    unit: Mapped[OrgUnit] = relationship()
    case: Mapped[Case | None] = relationship(foreign_keys=[case_id])
    related_case: Mapped[Case | None] = relationship(foreign_keys=[related_case_id])
    related_task: Mapped[HumanTask | None] = relationship()
    messages: Mapped[list["ComplaintMessage"]] = relationship(
        back_populates="complaint", order_by="ComplaintMessage.id", cascade="all, delete-orphan")
    attachments: Mapped[list["ComplaintAttachment"]] = relationship(
        back_populates="complaint", order_by="ComplaintAttachment.id", cascade="all, delete-orphan")
    pauses: Mapped[list["ComplaintPause"]] = relationship(order_by="ComplaintPause.id", cascade="all, delete-orphan")
    breaches: Mapped[list["ComplaintBreach"]] = relationship(order_by="ComplaintBreach.id",
                                                             cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_complaint_status_due", "status", "sla_due_at"),
        Index("ix_complaint_agency_week", "agency_id", "week_start"),
    )


class ComplaintMessage(db.Model):
    """One entry of the thread the employee reads: replies, questions, answers, decisions."""

    __tablename__ = "complaint_message"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
    attachments: Mapped[list["ComplaintAttachment"]] = relationship(
        back_populates="message", order_by="ComplaintAttachment.id")


class ComplaintAttachment(StoredFile, db.Model):
    """A screenshot or file; the bytes live in the upload store under `stored_name`."""

    __tablename__ = "complaint_attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_message.id"))

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")
    message: Mapped[ComplaintMessage | None] = relationship(back_populates="attachments")


class ComplaintPause(db.Model):
    """A stretch while the complaint waits for the employee; the SLA clock does not run."""

    __tablename__ = "complaint_pause"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ComplaintBreach(db.Model):
    """A target missed, recorded when the diagram's breach timer fires."""

    __tablename__ = "complaint_breach"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    target: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("complaint_id", "target"),)


class ComplaintSlaTarget(db.Model):
    """An agency's own response and resolution targets for a category, in working hours."""

    __tablename__ = "complaint_sla_target"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    category: Mapped[str] = mapped_column(String(20))
    response_hours: Mapped[int] = mapped_column()
    resolution_hours: Mapped[int] = mapped_column()
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("agency_id", "category"),)
