"""All models, imported here so Alembic and the app see one metadata."""
from app.models.allowance import Allowance, AllowanceBatch, AllowanceRuleSet, AllowanceRun
from app.models.attendance import (
    Absence,
    AttendanceDay,
    AttendanceImport,
    AttendancePunch,
    OfficeLocation,
    WorkSchedule,
)
from app.models.auth import LoginAttempt, RoleGrant, User
from app.models.calendar import Holiday
from app.models.cases import AuditEvent, Case, HumanTask, ProcessVersion
from app.models.closing import PeriodCloseItem, PeriodCloseRun
from app.models.complaints import (
    Complaint,
    ComplaintAttachment,
    ComplaintBreach,
    ComplaintMessage,
    ComplaintPause,
    ComplaintSlaTarget,
)
from app.models.designer import MigrationItem, MigrationRun, ProcessDraft
from app.models.discipline import ApelAbsence, DisciplinarySanction
from app.models.monitoring import ActionPlan, ActionPlanComment, Evidence, MonitoringSetting, WorkLog, WorkMonth
from app.models.notifications import Notification
from app.models.org import Agency, Employee, EmployeePlacement, OrgUnit, Position, SupervisorAssignment
from app.models.performance import (
    Appraisal,
    BehaviourExpectation,
    Dialog,
    FollowUp,
    Indicator,
    Period,
    Plan,
    PlanResult,
    UnitResult,
)

__all__ = [
    "Allowance", "AllowanceBatch", "AllowanceRuleSet", "AllowanceRun", "ApelAbsence", "DisciplinarySanction",
    "EmployeePlacement", "PeriodCloseItem", "PeriodCloseRun",
    "Absence", "ActionPlan", "ActionPlanComment", "AttendanceDay", "AttendanceImport", "AttendancePunch",
    "Complaint", "ComplaintAttachment", "ComplaintBreach", "ComplaintMessage", "ComplaintPause",
    "ComplaintSlaTarget",
    "Evidence", "MonitoringSetting", "Notification", "OfficeLocation", "WorkLog", "WorkMonth", "WorkSchedule",
    "Agency", "Appraisal", "AuditEvent", "BehaviourExpectation", "Case", "Dialog", "Employee",
    "FollowUp", "Holiday", "HumanTask", "Indicator", "LoginAttempt", "MigrationItem", "MigrationRun", "OrgUnit",
    "Period", "Plan", "PlanResult", "Position", "ProcessDraft", "ProcessVersion", "RoleGrant", "SupervisorAssignment",
    "UnitResult", "User",
]
