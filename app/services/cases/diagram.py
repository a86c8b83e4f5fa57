"""What the case page's diagram marks: elements completed, the current tasks, waiting timers and
messages, and the element in error; read from the stored workflow state, the human-task mirror
and the case history (which still names steps of earlier loop rounds that the engine let go)."""
from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.engine import layout, spiff_internals
from app.engine.lanes import LANE_LABELS
from app.engine.runner import CaseRunner
from app.models import AuditEvent, Case, HumanTask, User
from app.models.statuses import TaskStatus


def _flows(xml: str) -> list[tuple[str, str, str]]:
    root = etree.fromstring(xml.encode("utf-8"))
    return [(f.get("id"), f.get("sourceRef"), f.get("targetRef"))
            for f in root.iter(f"{{{layout.BPMN}}}sequenceFlow")]


def markers(session: Session, case: Case) -> dict:
    workflow = CaseRunner(session).load(case, None)
    completed, active, timers, messages, errors = set(), set(), {}, set(), set()
    for task in workflow.get_tasks():
        element = task.task_spec.bpmn_id
        if not element:
            continue
        if task.has_state(TaskState.COMPLETED):
            completed.add(element)
        elif task.has_state(TaskState.ERROR):
            errors.add(element)
        elif task.has_state(TaskState.STARTED):
            active.add(element)
        elif task.has_state(TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            if isinstance(definition, TimerEventDefinition):
                timers[element] = spiff_internals.timer_value(task)
            elif definition is not None:
                messages.add(element)
    completed |= set(session.scalars(select(AuditEvent.element_id).where(
        AuditEvent.case_id == case.id, AuditEvent.action == "task_completed", AuditEvent.element_id.is_not(None))))
    open_tasks = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.status == TaskStatus.OPEN)
                                 .order_by(HumanTask.id)).all()
    current = []
    for t in open_tasks:
        person = session.get(User, t.claimed_by_id or t.assignee_user_id) if (t.claimed_by_id or t.assignee_user_id) else None
        # str: the markers go out as JSON, and a lane's label may be a lazy translation.
        who = person.display_name if person else str(LANE_LABELS.get(t.candidate_role or t.lane, t.lane))
        current.append({"id": t.bpmn_id, "name": t.name, "who": who,
                        "due": t.due_at.isoformat() if t.due_at else None})
    current_ids = {c["id"] for c in current}
    completed -= current_ids | errors
    reached = completed | current_ids | set(timers) | messages | errors | active
    xml = layout.with_diagram(case.process_version.bpmn_xml)
    taken = [fid for fid, src, dst in _flows(xml) if src in completed and dst in reached]
    return {
        "xml": xml,
        "completed": sorted(completed),
        "active": sorted(active - current_ids),
        "current": current,
        "timers": [{"id": k, "due": v} for k, v in sorted(timers.items())],
        "messages": sorted(messages),
        "errors": sorted(errors | ({case.error_element.split(" ")[0]} if case.error_element else set())),
        "flows": taken,
    }
