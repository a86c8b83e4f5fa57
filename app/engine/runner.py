"""The case runner: start a case, complete a task, deliver a message, retry after an error.

Every call follows the one-step path of DESIGN.md: load the case (its lock version comes with
it) -> deserialize against the cached spec -> apply -> run engine steps -> serialize -> flush,
where SQLAlchemy's version counter turns a concurrent change into `CaseChanged` -> mirror the
ready human tasks -> append an audit event. The caller commits, so domain writes made by a
form or an operation share the transaction with the case state.
"""
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from flask_babel import lazy_gettext as _l
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.task import TaskState
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.core import clock
from app.core.clock import utcnow
from app.engine import lanes, migration, serialization, specs, spiff_internals, task_properties
from app.engine.script_engine import SafeScriptEngine
from app.models import AuditEvent, Case, Employee, HumanTask, ProcessVersion
from app.models.calendar import cached_calendar
from app.models.roles import Role
from app.models.statuses import CaseStatus, TaskStatus
from app.rules.working_days import due_date

# Plain text: the tests look for it in pages. CaseChanged raises the same text lazily, since it is
# shown to the user whose step lost the race and also stored as a failed migration's reason.
CASE_CHANGED = "Kasus ini baru saja diubah oleh orang lain. Muat ulang halaman untuk melihat keadaan terkini."


def _prune_finished_subprocesses(workflow: BpmnWorkflow) -> None:
    """Drop the trees of subprocess instances whose task has finished.

    Spiff keeps every finished instance (each month's validation, each period, each tick of the
    month clock) in the workflow, so a case would carry its whole year through every load and
    save. Once the instance's task has finished nothing reads its tree again: the data it produced
    is on that task, and the case history (audit events, human tasks) records what was done in it."""
    subprocesses = workflow.subprocesses
    for task_id in list(subprocesses):
        if task_id not in subprocesses:
            continue  # a nested instance, deleted with its parent's
        owner = workflow.get_task_from_id(task_id)
        if owner is not None and owner.has_state(TaskState.COMPLETED | TaskState.CANCELLED):
            workflow.delete_subprocess(owner)


class CaseChanged(Exception):
    def __init__(self, case_id: int):
        self.case_id = case_id
        super().__init__(_l("Kasus ini baru saja diubah oleh orang lain. Muat ulang halaman untuk melihat keadaan "
                            "terkini."))


class TaskUnavailable(Exception):
    """The task is no longer ready: completed, cancelled, or the case moved on."""


@dataclass
class OperationContext:
    session: Session
    case: Case
    actor_user_id: int | None
    now: datetime
    data: dict
    element_id: str


@dataclass
class StepContext:
    session: Session
    case: Case
    actor_user_id: int | None
    now: datetime

    def today(self) -> date:
        """The step's date in the agency of the case (the expression function `today()`)."""
        return self.case.employee.unit.agency.today(self.now)

    def for_task(self, task) -> OperationContext:
        return OperationContext(
            self.session, self.case, self.actor_user_id, self.now, task.data, task.task_spec.bpmn_id
        )


class CaseRunner:
    def __init__(self, session: Session, now: datetime | None = None, defer_flush: bool = False,
                 known_supervisors: lanes.KnownSupervisors | None = None):
        self.session = session
        self.now = now or utcnow()
        self.known_supervisors = known_supervisors
        # A batch of steps (a period's close) leaves each case's writes to the caller's next flush,
        # so they go to the database together; a concurrent change then shows as StaleDataError
        # at that flush instead of CaseChanged here, and the caller redoes the batch with care.
        self.defer_flush = defer_flush
        # Guids of the manual tasks that were ready when each case was loaded: the mirror holds
        # exactly these as open rows, so the sync after the step needs no query to find them.
        self._open_before: dict[int, set[str]] = {}

    # -- public operations -------------------------------------------------------------

    def start(
        self, version: ProcessVersion, employee: Employee, cycle_key: str, data: dict, actor_user_id: int | None
    ) -> Case:
        parsed = specs.for_version(version)
        case = Case(
            process_version_id=version.id,
            process_id=version.process_id,
            cycle_key=cycle_key,
            employee_id=employee.id,
            unit_id=employee.unit_id,
            unit_path=employee.unit.path,
            status=CaseStatus.RUNNING,
        )
        self.session.add(case)
        self.session.flush()
        workflow = BpmnWorkflow(parsed.spec, parsed.subprocess_specs)
        workflow.script_engine = SafeScriptEngine(StepContext(self.session, case, actor_user_id, self.now))
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(data)
        self._advance(case, workflow)
        self._save(case, workflow, actor_user_id, "case_started", f"Kasus dimulai pada versi {version.version}")
        return case

    def complete(self, human_task: HumanTask, actor_user_id: int, data: dict, summary: str = "") -> Case:
        case = human_task.case
        workflow = self.load(case, actor_user_id)
        task = workflow.get_task_from_id(UUID(human_task.task_guid))
        if task is None or task.state != TaskState.READY:
            raise TaskUnavailable(human_task.task_guid)
        task.data.update(data)
        task.run()
        self._open_before[case.id].discard(human_task.task_guid)
        human_task.status = TaskStatus.COMPLETED
        human_task.completed_at = self.now
        human_task.completed_by_id = actor_user_id
        self._advance(case, workflow)
        self._save(
            case, workflow, actor_user_id, "task_completed",
            summary or f"Menyelesaikan '{human_task.name}'", element_id=human_task.bpmn_id,
        )
        return case

    def deliver_message(self, case: Case, name: str, payload: dict, actor_user_id: int | None) -> bool:
        """Deliver a message; False (and nothing changed) when the case is not waiting for it."""
        workflow = self.load(case, actor_user_id)
        event = BpmnEvent(MessageEventDefinition(name), payload)
        try:
            workflow.send_event(event)
        except WorkflowException:
            return False
        self._advance(case, workflow)
        self._save(case, workflow, actor_user_id, "message", f"Pesan '{name}' diterima", detail=payload)
        return True

    def fire_timers(self, case: Case) -> list[str]:
        """Fire the timers due at `now`; returns their names, empty (nothing written) when none is.

        Firing follows this runner's clock, not Spiff's own check against the wall clock, so a
        sweeper or a test with a given `now` decides what is due."""
        workflow = self.load(case, None)
        due = [
            task for task in workflow.get_tasks(state=TaskState.WAITING)
            if isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition)
            and (at := _timer_value(task)) is not None and at <= self.now
        ]
        if not due:
            return []
        for task in due:
            spiff_internals.mark_timer_fired(task)
        workflow.refresh_timers()
        self._advance(case, workflow)
        names = [task.task_spec.bpmn_name or task.task_spec.bpmn_id for task in due]
        self._save(case, workflow, None, "timer_fired", f"Pengatur waktu berbunyi: {', '.join(names)}")
        return names

    def retry(self, case: Case, actor_user_id: int, data_fix: dict) -> Case:
        """Run the engine again from where it failed, optionally adding the data that was missing.

        A failed task gets the data and runs again; so does a user task whose properties failed,
        which reads them again and opens its inbox row. Ready engine tasks get the data too."""
        workflow = self.load(case, actor_user_id)
        for task in workflow.get_tasks(state=TaskState.READY | TaskState.ERROR):
            if task.state == TaskState.ERROR:
                task.data.update(data_fix)
                spiff_internals.force_ready(task)
            elif not task.task_spec.manual:
                task.data.update(data_fix)
        self._advance(case, workflow)
        self._save(case, workflow, actor_user_id, "case_retried", "Langkah diulang oleh pengelola", detail=data_fix)
        return case

    def migrate(self, case: Case, to_version: ProcessVersion, actor_user_id: int | None) -> list[str]:
        """Move a running case onto another version of its process and return notes for HR.

        Raises MigrationError, having stored nothing, when the move is unsafe or the case would fail
        right after it; the caller rolls back whatever the attempt touched.
        """
        old_number = case.process_version.version
        target = specs.for_version(to_version)
        workflow = self.load(case, actor_user_id)
        was_error = case.status == CaseStatus.ERROR
        moved = migration.plan(workflow, target.spec, target.subprocess_specs)
        migration.apply(moved, workflow, target.spec, target.subprocess_specs)
        try:
            serialization.loads(serialization.dumps(workflow), target.spec, target.subprocess_specs)
        except (KeyError, ValueError, TypeError) as err:
            raise migration.MigrationError(f"Keadaan kasus tidak dapat disimpan pada versi baru ({err}).") from err
        case.process_version_id = to_version.id
        case.process_version = to_version
        if not workflow.get_tasks(state=TaskState.ERROR):
            self._advance(case, workflow)
        self._save(case, workflow, actor_user_id, "case_migrated",
                   f"Dimigrasikan dari versi {old_number} ke versi {to_version.version}",
                   detail={"from_version": old_number, "to_version": to_version.version, "notes": moved.notes},
                   refresh_open=True)
        # Checked after the save, which reads the properties of the tasks the move opens; the
        # caller's rollback then discards the saved move.
        if case.status == CaseStatus.ERROR and not was_error:
            raise migration.MigrationError(
                f"Setelah migrasi langkah {case.error_element} gagal: {case.error_message}")
        return moved.notes

    def load(self, case: Case, actor_user_id: int | None) -> BpmnWorkflow:
        parsed = specs.for_version_id(self.session, case.process_version_id)
        workflow = serialization.loads(case.state, parsed.spec, parsed.subprocess_specs)
        workflow.script_engine = SafeScriptEngine(StepContext(self.session, case, actor_user_id, self.now))
        self._open_before[case.id] = {
            str(t.id) for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.manual
        }
        return workflow

    # -- internals ---------------------------------------------------------------------

    def _advance(self, case: Case, workflow: BpmnWorkflow) -> None:
        try:
            workflow.do_engine_steps()
        except (WorkflowException, SpiffWorkflowException) as err:
            task = getattr(err, "task", None)
            spec = getattr(err, "task_spec", None) or (task.task_spec if task is not None else None)
            _record_error(case, spec, getattr(err, "error_msg", None) or str(err))
            return
        case.status = CaseStatus.COMPLETED if workflow.completed else CaseStatus.RUNNING
        case.error_element = None
        case.error_message = None
        if workflow.completed:
            case.completed_at = self.now

    def _save(self, case, workflow, actor_user_id, action, summary, element_id=None, detail=None,
              refresh_open=False) -> None:
        _prune_finished_subprocesses(workflow)
        opened = self._read_new_tasks(case, workflow)
        waiting = workflow.get_tasks(state=TaskState.WAITING)
        self._set_timer_deadlines(case, waiting)
        case.state = serialization.dumps(workflow)
        case.updated_at = self.now
        ready = [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.manual]
        case.waiting_message = self._waiting_message(waiting)
        case.next_timer_at = self._next_timer(waiting)
        case.current_step = self._describe(case, ready, waiting)
        case_id = case.id
        if self.defer_flush:
            with self.session.no_autoflush:
                self._sync_tasks(case, ready, opened, refresh_open)
        else:
            try:
                self.session.flush()
            except StaleDataError as err:
                raise CaseChanged(case_id) from err
            self._sync_tasks(case, ready, opened, refresh_open)
        self.session.add(
            AuditEvent(
                at=self.now, actor_user_id=actor_user_id, case_id=case.id, action=action,
                element_id=element_id, summary=summary[:500], detail=detail,
            )
        )
        if case.status == CaseStatus.ERROR:
            self.session.add(
                AuditEvent(
                    at=self.now, actor_user_id=actor_user_id, case_id=case.id, action="case_error",
                    element_id=case.error_element, summary=(case.error_message or "")[:500],
                )
            )

    def _read_new_tasks(self, case: Case, workflow: BpmnWorkflow) -> dict[str, task_properties.InboxFields]:
        """The inbox fields of the user tasks that became ready in this step, by guid.

        Read before the state is written, so a task whose property fails is put in ERROR and the
        case in error within the same save: the stored tree, the case row and the mirror agree."""
        open_before = self._open_before.get(case.id, set())
        fresh = [t for t in workflow.get_tasks(state=TaskState.READY)
                 if t.task_spec.manual and str(t.id) not in open_before]
        if not fresh:
            return {}
        now = self.now.astimezone(case.employee.unit.agency.zone)
        opened = {}
        for task in fresh:
            try:
                opened[str(task.id)] = task_properties.read(task, now)
            except task_properties.PropertyFailed as err:
                task.error()
                # A step that already failed keeps its first error, the one to fix first.
                if case.status != CaseStatus.ERROR:
                    _record_error(case, task.task_spec, str(err))
        return opened

    @staticmethod
    def _waiting_message(waiting) -> str | None:
        for task in waiting:
            definition = getattr(task.task_spec, "event_definition", None)
            if isinstance(definition, MessageEventDefinition):
                period = task.data.get("period")
                return f"{definition.name}:{period}" if period else definition.name
        return None

    def _set_timer_deadlines(self, case: Case, waiting) -> None:
        """Give each newly waiting timer its deadline the way this product counts time.

        Spiff counts a duration in calendar days from the wall clock and reads a bare date-time in
        the server's zone. Here a duration's days are working days of the agency calendar from the
        step's time, and a bare date-time is in the agency's zone, like every due date users see."""
        fresh = [
            task for task in waiting
            if isinstance(getattr(task.task_spec, "event_definition", None), (DurationTimerEventDefinition, TimeDateEventDefinition))
            and not task.internal_data.get("deadline_set")
        ]
        if not fresh:
            return
        agency = case.employee.unit.agency
        zone = agency.zone
        local_now = self.now.astimezone(zone)
        calendar = cached_calendar(self.session, agency.id)
        for task in fresh:
            definition = task.task_spec.event_definition
            try:
                value = task.workflow.script_engine.evaluate(task, definition.expression)
                if isinstance(definition, DurationTimerEventDefinition):
                    deadline = due_date(local_now, value, calendar)
                else:
                    deadline = datetime.fromisoformat(str(value))
                    if deadline.tzinfo is None:
                        deadline = deadline.replace(tzinfo=zone)
            except (ValueError, TypeError):
                # Spiff already evaluated the expression once; a value it accepted but this
                # reading does not (e.g. a month duration) keeps Spiff's own deadline.
                continue
            spiff_internals.set_timer_value(task, deadline.isoformat())
            task.internal_data["deadline_set"] = True  # the runner's own mark, beside Spiff's keys

    @staticmethod
    def _next_timer(waiting) -> datetime | None:
        due = [
            at for task in waiting
            if isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition)
            and (at := _timer_value(task)) is not None
        ]
        return min(due) if due else None

    @staticmethod
    def _describe(case, ready, waiting) -> str:
        if case.status == CaseStatus.ERROR:
            return f"Galat di {case.error_element}"
        if case.status == CaseStatus.COMPLETED:
            return "Selesai"
        names = [t.task_spec.bpmn_name or t.task_spec.bpmn_id for t in ready]
        names += [f"Menunggu: {t.task_spec.bpmn_name or t.task_spec.bpmn_id}" for t in waiting
                  if getattr(t.task_spec, "event_definition", None) is not None]
        # Parallel instances (one per month) wait on the same event; name it once.
        return ", ".join(dict.fromkeys(names))[:300]

    def _sync_tasks(self, case: Case, ready, opened: dict, refresh_open: bool = False) -> None:
        open_before = self._open_before.pop(case.id, set())
        ready_ids = {str(t.id) for t in ready}
        gone = open_before - ready_ids
        if gone:
            self.session.execute(
                update(HumanTask)
                .where(HumanTask.case_id == case.id, HumanTask.task_guid.in_(gone), HumanTask.status == TaskStatus.OPEN)
                .values(status=TaskStatus.CANCELLED, completed_at=self.now)
            )
        new_tasks = [t for t in ready if str(t.id) not in open_before]
        if not new_tasks and not refresh_open:
            return
        employee = case.employee
        agency = employee.unit.agency
        today = self.now.astimezone(agency.zone).date()
        if refresh_open:
            still_ready = [t for t in ready if str(t.id) in open_before]
            open_rows = {row.task_guid: row for row in self.session.scalars(select(HumanTask).where(
                HumanTask.case_id == case.id, HumanTask.status == TaskStatus.OPEN,
                HumanTask.task_guid.in_([str(t.id) for t in still_ready])))}
            self._refresh_open_rows(employee, today, still_ready, open_rows)
        calendar = cached_calendar(self.session, agency.id)
        # Tasks opened together often share a lane (a period's dialog and rating): one lookup each.
        assignments = {}
        for task in new_tasks:
            spec = task.task_spec
            props = task_properties.of(spec)
            fields = opened[str(task.id)]
            lane = spec.lane or Role.HR
            if lane not in assignments:
                assignments[lane] = lanes.resolve(self.session, lane, employee, today, self.known_supervisors)
            assignment = assignments[lane]
            claimer = self._kept_claimer(case, spec.bpmn_id, assignment) if props.get("keep_claim") == "true" else None
            due_at, escalate_at = fields.due_dates(calendar)
            self.session.add(
                HumanTask(
                    case_id=case.id,
                    task_guid=str(task.id),
                    bpmn_id=spec.bpmn_id,
                    name=fields.name,
                    form_key=props.get("form", "acknowledge"),
                    lane=lane,
                    period_key=fields.period_key,
                    subject_employee_id=employee.id,
                    assignee_user_id=assignment.user_id,
                    candidate_role=assignment.candidate_role,
                    candidate_unit_path=assignment.candidate_unit_path,
                    escalate_to=props.get("escalate_to"),
                    status=TaskStatus.OPEN,
                    due_at=due_at,
                    escalate_at=escalate_at,
                    claimed_by_id=claimer,
                    claimed_at=self.now if claimer else None,
                    created_at=self.now,
                )
            )

    def _refresh_open_rows(self, employee, today, still_ready, open_rows) -> None:
        """After a migration an open task keeps its row (and its guid) but takes the new version's
        name, form and lane; a new lane means a new assignee, so a claim on it lapses."""
        for task in still_ready:
            spec, row = task.task_spec, open_rows[str(task.id)]
            props = task_properties.of(spec)
            row.bpmn_id = spec.bpmn_id
            row.name = spec.bpmn_name or spec.bpmn_id
            row.form_key = props.get("form", "acknowledge")
            row.escalate_to = props.get("escalate_to")
            lane = spec.lane or Role.HR
            if lane != row.lane:
                assignment = lanes.resolve(self.session, lane, employee, today)
                row.lane = lane
                row.assignee_user_id = assignment.user_id
                row.candidate_role = assignment.candidate_role
                row.candidate_unit_path = assignment.candidate_unit_path
                row.claimed_by_id = None
                row.claimed_at = None

    def _kept_claimer(self, case: Case, bpmn_id: str, assignment) -> int | None:
        """With `keep_claim`, a group task that comes round again (a reply, the employee's answer)
        stays with whoever completed it last, while they still belong to the group."""
        if assignment.candidate_role is None:
            return None
        last = self.session.scalar(
            select(HumanTask.completed_by_id)
            .where(HumanTask.case_id == case.id, HumanTask.bpmn_id == bpmn_id, HumanTask.status == TaskStatus.COMPLETED,
                   HumanTask.completed_by_id.is_not(None))
            .order_by(HumanTask.completed_at.desc(), HumanTask.id.desc()).limit(1))
        if last is None or not lanes.is_member(self.session, last, assignment.candidate_role,
                                               assignment.candidate_unit_path or ""):
            return None
        return last


def _record_error(case: Case, spec, message: str) -> None:
    """Put the case in error at `spec`'s element, as HR sees it on the case page."""
    case.status = CaseStatus.ERROR
    case.error_element = (
        f"{spec.bpmn_id} ({spec.bpmn_name})" if spec is not None and spec.bpmn_name else getattr(spec, "bpmn_id", "?")
    )
    case.error_message = message


def _timer_value(task) -> datetime | None:
    value = spiff_internals.timer_value(task)
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=clock.UTC)
