"""The process designer: HR's working drafts and the runs that move running cases to a new version."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db
from app.models._types import UTCDateTime
from app.models.cases import Case, ProcessVersion
from app.models.statuses import MigrationItemResult, MigrationRunState, status_type


class ProcessDraft(db.Model):
    """One shared working copy per process. Saving it affects no case; deploying it makes a version."""

    __tablename__ = "process_draft"
    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), unique=True)
    bpmn_xml: Mapped[str] = mapped_column(Text)
    # The version the draft was started from, to warn when someone deployed in between.
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("process_version.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lock_version: Mapped[int] = mapped_column(default=1)

    base_version: Mapped[ProcessVersion | None] = relationship()
    updated_by = relationship("User")

    __mapper_args__ = {"version_id_col": lock_version}


class MigrationRun(db.Model):
    """A precheck of one version's running cases against a newer version, then their migration."""

    __tablename__ = "migration_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    from_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    to_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    # The HR scope the run covers: cases under this unit path only.
    unit_path: Mapped[str] = mapped_column(String(400))
    state: Mapped[MigrationRunState] = mapped_column(status_type(MigrationRunState, "state"),
                                                     default=MigrationRunState.CHECKING)
    total: Mapped[int] = mapped_column(default=0)
    checked: Mapped[int] = mapped_column(default=0)
    migratable: Mapped[int] = mapped_column(default=0)
    to_migrate: Mapped[int] = mapped_column(default=0)
    migrated: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    from_version: Mapped[ProcessVersion] = relationship(foreign_keys=[from_version_id])
    to_version: Mapped[ProcessVersion] = relationship(foreign_keys=[to_version_id])
    created_by = relationship("User")


class MigrationItem(db.Model):
    __tablename__ = "migration_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("migration_run.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    migratable: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    # Queued for the bulk job; None once it has been tried.
    queued: Mapped[bool] = mapped_column(default=False)
    result: Mapped[MigrationItemResult | None] = mapped_column(status_type(MigrationItemResult, "result"))
    message: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    run: Mapped[MigrationRun] = relationship()
    case: Mapped[Case] = relationship()

    __table_args__ = (
        UniqueConstraint("run_id", "case_id"),
        Index("ix_migration_item_run_state", "run_id", "migratable", "result"),
    )
