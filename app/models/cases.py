"""Workflow cases: deployed diagram versions, cases, the human-task mirror and the audit trail."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db
from app.models._types import UTCDateTime
from app.models.org import Employee, OrgUnit
from app.models.statuses import CaseStatus, TaskStatus, status_type


class ProcessVersion(db.Model):
    """An immutable deployed diagram; running cases keep the version they started on."""

    __tablename__ = "process_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    bpmn_xml: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    is_active: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deployed_by = relationship("User")

    __table_args__ = (UniqueConstraint("process_id", "version"),)


class Case(db.Model):
    __tablename__ = "case"
    id: Mapped[int] = mapped_column(primary_key=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    process_id: Mapped[str] = mapped_column(String(100))
    cycle_key: Mapped[str] = mapped_column(String(20))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    unit_path: Mapped[str] = mapped_column(String(400), index=True)
    status: Mapped[CaseStatus] = mapped_column(status_type(CaseStatus, "status"), default=CaseStatus.RUNNING,
                                              index=True)
    current_step: Mapped[str] = mapped_column(String(300), default="")
    # Serialized workflow *without* its spec; the spec is cached per process_version.
    state: Mapped[str] = mapped_column(Text, default="")
    lock_version: Mapped[int] = mapped_column(default=1)
    waiting_message: Mapped[str | None] = mapped_column(String(120), index=True)
    next_timer_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    error_element: Mapped[str | None] = mapped_column(String(200))
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    process_version: Mapped[ProcessVersion] = relationship()
    employee: Mapped[Employee] = relationship()
    unit: Mapped[OrgUnit] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (UniqueConstraint("employee_id", "process_id", "cycle_key"),)


class HumanTask(db.Model):
    """A READY manual task mirrored out of the workflow so inboxes never deserialize a case."""

    __tablename__ = "human_task"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    task_guid: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    form_key: Mapped[str] = mapped_column(String(60))
    lane: Mapped[str] = mapped_column(String(30))
    period_key: Mapped[str | None] = mapped_column(String(20))
    subject_employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    candidate_role: Mapped[str | None] = mapped_column(String(20))
    candidate_unit_path: Mapped[str | None] = mapped_column(String(400))
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalate_to: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[TaskStatus] = mapped_column(status_type(TaskStatus, "status"), default=TaskStatus.OPEN)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Past due: the holder is reminded once, then at escalate_at the task is offered to escalate_to.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalate_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    case: Mapped[Case] = relationship()
    subject: Mapped[Employee] = relationship()

    __table_args__ = (
        Index("ix_human_task_assignee_status", "assignee_user_id", "status"),
        Index("ix_human_task_candidate_status", "candidate_role", "status", "candidate_unit_path"),
        Index("ix_human_task_claimed_status", "claimed_by_id", "status"),
        Index("ix_human_task_status_due", "status", "due_at"),
        # Unique per case, not globally: a copied or migrated case keeps its task ids.
        UniqueConstraint("case_id", "task_guid"),
    )


class AuditEvent(db.Model):
    """Who changed what and when: every case step, plan edit, rating and period act."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    element_id: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(String(500), default="")
    detail: Mapped[dict | None] = mapped_column(JSON)

    actor = relationship("User")
