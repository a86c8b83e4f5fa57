"""Every state machine of the domain as a `StrEnum`, with one label table each.

A member *is* its stored string (`CaseStatus.RUNNING == "running"`), so rows written before the
enums, templates and JSON see the same values. The columns are mapped with `status_type`: a
VARCHAR(20) with a CHECK constraint named `ck_<table>_<column>`, so the database refuses a value
the code does not know (migration 0007 added the constraints to existing databases).

Labels are lazy (`_l`): they are read in the viewer's language when a page shows them, so a
label is for display only and never what a row stores.
"""
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum


def status_type(enum_class: type[StrEnum], column: str) -> Enum:
    """The column type for a status: the enum's values stored as they are, checked by the database.

    `column` names the CHECK constraint (`ck_<table>_<column>` by the metadata's convention)."""
    return Enum(enum_class, native_enum=False, create_constraint=True, length=20, name=column,
                values_callable=lambda members: [m.value for m in members])


class CaseStatus(StrEnum):
    """A workflow case (`case.status`)."""
    RUNNING = "running"
    ERROR = "error"
    COMPLETED = "completed"


CASE_STATUS_LABELS = {CaseStatus.RUNNING: _l("Berjalan"), CaseStatus.ERROR: _l("Galat"),
                      CaseStatus.COMPLETED: _l("Selesai")}
# Cases a step, a timer or a migration may still move.
OPEN_CASE_STATUSES = (CaseStatus.RUNNING, CaseStatus.ERROR)


class TaskStatus(StrEnum):
    """A mirrored human task (`human_task.status`)."""
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


TASK_STATUS_LABELS = {TaskStatus.OPEN: _l("Terbuka"), TaskStatus.COMPLETED: _l("Selesai"),
                      TaskStatus.CANCELLED: _l("Dibatalkan")}


class PlanStatus(StrEnum):
    """A performance plan, SKP (`plan.status`)."""
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


PLAN_STATUS_LABELS = {PlanStatus.DRAFT: _l("Draf"), PlanStatus.SUBMITTED: _l("Menunggu persetujuan"),
                      PlanStatus.RETURNED: _l("Dikembalikan"), PlanStatus.APPROVED: _l("Disetujui")}


class PeriodState(StrEnum):
    """A month, quarter or year (`period.state`): closing locks it, then it is closed."""
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


PERIOD_STATE_LABELS = {PeriodState.OPEN: _l("Terbuka"), PeriodState.CLOSING: _l("Sedang ditutup"),
                       PeriodState.CLOSED: _l("Ditutup")}
LOCKED_PERIOD_STATES = (PeriodState.CLOSING, PeriodState.CLOSED)


class LogStatus(StrEnum):
    """A daily work log, LKH (`work_log.status`)."""
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    REJECTED = "rejected"


LOG_STATUS_LABELS = {LogStatus.SUBMITTED: _l("Menunggu validasi"), LogStatus.VALIDATED: _l("Divalidasi"),
                     LogStatus.REJECTED: _l("Ditolak")}


class AbsenceStatus(StrEnum):
    """Leave or official travel (`absence.status`)."""
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


ABSENCE_STATUS_LABELS = {AbsenceStatus.REQUESTED: _l("Diajukan"), AbsenceStatus.APPROVED: _l("Disetujui"),
                         AbsenceStatus.REJECTED: _l("Ditolak"), AbsenceStatus.CANCELLED: _l("Dibatalkan")}


class DayStatus(StrEnum):
    """The class of one employee's day (`attendance_day.status`); the rules write these values."""
    PRESENT = "present"
    NO_RECORD = "no_record"
    LEAVE = "leave"
    TRAVEL = "travel"
    HOLIDAY = "holiday"


DAY_STATUS_LABELS = {DayStatus.PRESENT: _l("Hadir"), DayStatus.NO_RECORD: _l("Tanpa keterangan (TK)"),
                     DayStatus.LEAVE: _l("Cuti"), DayStatus.TRAVEL: _l("Dinas luar"), DayStatus.HOLIDAY: _l("Libur")}


class ComplaintStatus(StrEnum):
    """A technical complaint (`complaint.status`)."""
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING_EMPLOYEE = "waiting_employee"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"


COMPLAINT_STATUS_LABELS = {
    ComplaintStatus.NEW: _l("Baru"),
    ComplaintStatus.IN_PROGRESS: _l("Sedang ditangani"),
    ComplaintStatus.WAITING_EMPLOYEE: _l("Menunggu informasi pegawai"),
    ComplaintStatus.ESCALATED: _l("Ditangani Tim TI"),
    ComplaintStatus.RESOLVED: _l("Selesai, menunggu konfirmasi"),
    ComplaintStatus.CLOSED: _l("Ditutup"),
}
# Complaints someone still has to act on (the desk's "open" filter).
OPEN_COMPLAINT_STATUSES = (ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS, ComplaintStatus.ESCALATED)


class MigrationRunState(StrEnum):
    """A run moving a version's cases to a newer one (`migration_run.state`)."""
    CHECKING = "checking"
    CHECKED = "checked"
    MIGRATING = "migrating"
    FINISHED = "finished"


MIGRATION_RUN_STATE_LABELS = {MigrationRunState.CHECKING: _l("Sedang diperiksa"),
                              MigrationRunState.CHECKED: _l("Sudah diperiksa"),
                              MigrationRunState.MIGRATING: _l("Sedang dimigrasikan"),
                              MigrationRunState.FINISHED: _l("Selesai")}


class MigrationItemResult(StrEnum):
    """What migrating one case did (`migration_item.result`; NULL until it is tried)."""
    MIGRATED = "migrated"
    FAILED = "failed"


MIGRATION_ITEM_RESULT_LABELS = {MigrationItemResult.MIGRATED: _l("Dimigrasikan"),
                                MigrationItemResult.FAILED: _l("Gagal")}


class CloseRunStatus(StrEnum):
    """A period close run (`period_close_run.status`)."""
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"


CLOSE_RUN_STATUS_LABELS = {CloseRunStatus.QUEUED: _l("Menunggu pekerja"), CloseRunStatus.RUNNING: _l("Berjalan"),
                           CloseRunStatus.FINISHED: _l("Selesai")}


class CloseItemStatus(StrEnum):
    """One case of a period close run (`period_close_item.status`)."""
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


CLOSE_ITEM_STATUS_LABELS = {CloseItemStatus.PENDING: _l("Menunggu"), CloseItemStatus.DONE: _l("Selesai"),
                            CloseItemStatus.FAILED: _l("Gagal")}


class AllowanceRunStatus(StrEnum):
    """A month's allowance computation (`allowance_run.status`)."""
    RUNNING = "running"
    FAILED = "failed"
    FINISHED = "finished"


ALLOWANCE_RUN_STATUS_LABELS = {AllowanceRunStatus.RUNNING: _l("Berjalan"), AllowanceRunStatus.FAILED: _l("Gagal"),
                               AllowanceRunStatus.FINISHED: _l("Selesai")}


class AllowanceBatchStatus(StrEnum):
    """A batch of employees of an allowance run (`allowance_batch.status`)."""
    PENDING = "pending"
    DONE = "done"


ALLOWANCE_BATCH_STATUS_LABELS = {AllowanceBatchStatus.PENDING: _l("Menunggu"),
                                 AllowanceBatchStatus.DONE: _l("Selesai")}

# Every status column, for the migration and the tests: (table, column, enum).
STATUS_COLUMNS = (
    ("case", "status", CaseStatus),
    ("human_task", "status", TaskStatus),
    ("plan", "status", PlanStatus),
    ("period", "state", PeriodState),
    ("work_log", "status", LogStatus),
    ("absence", "status", AbsenceStatus),
    ("attendance_day", "status", DayStatus),
    ("complaint", "status", ComplaintStatus),
    ("migration_run", "state", MigrationRunState),
    ("migration_item", "result", MigrationItemResult),
    ("period_close_run", "status", CloseRunStatus),
    ("period_close_item", "status", CloseItemStatus),
    ("allowance_run", "status", AllowanceRunStatus),
    ("allowance_batch", "status", AllowanceBatchStatus),
)
