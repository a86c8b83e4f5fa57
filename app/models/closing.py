"""Period close runs: one row per close (or rerun) of a period and one item per case it must advance.

An item's status changes in the same transaction as its case, so the items are an exact record
of which cases a run has advanced, whatever happens to the worker running it.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db
from app.models._types import UTCDateTime
from app.models.cases import Case
from app.models.performance import Period
from app.models.statuses import CloseItemStatus, CloseRunStatus, status_type


class PeriodCloseRun(db.Model):
    __tablename__ = "period_close_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    status: Mapped[CloseRunStatus] = mapped_column(status_type(CloseRunStatus, "status"),
                                                  default=CloseRunStatus.QUEUED)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a batch last committed: a run that stops moving while items are pending is resumed.
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    total: Mapped[int] = mapped_column(default=0)
    # What HR saw and confirmed before closing (unvalidated logs, unrated cases), for the record.
    confirmed_warnings: Mapped[dict | None] = mapped_column(JSON)

    period: Mapped[Period] = relationship()


class PeriodCloseItem(db.Model):
    __tablename__ = "period_close_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("period_close_run.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    status: Mapped[CloseItemStatus] = mapped_column(status_type(CloseItemStatus, "status"),
                                                   default=CloseItemStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship()
    __table_args__ = (
        UniqueConstraint("run_id", "case_id"),
        Index("ix_period_close_item_run_status", "run_id", "status"),
    )
