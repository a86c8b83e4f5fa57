"""The private SpiffWorkflow names wrapped by app/engine/spiff_internals.py still exist and still
behave as the wrapper assumes. SpiffWorkflow is pinned because of them: a test failing here after
an upgrade names what changed; adapt the wrapper (and nothing else) before raising the pin."""
import inspect

import pytest
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimeDateEventDefinition
from SpiffWorkflow.bpmn.util.diff import SpecDiff
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.specs.base import TaskSpec
from SpiffWorkflow.task import Task, TaskState
from SpiffWorkflow.version import __version__ as spiff_version
from SpiffWorkflow.workflow import Workflow

from app.engine import serialization, specs, spiff_internals
from app.engine.script_engine import SafeScriptEngine
from tests.engine.diagrams import gateway_process, message_started_process, timer_process

WRAPPER = "app/engine/spiff_internals.py"


def _changed(what: str) -> str:
    return (f"SpiffWorkflow {spiff_version} changed {what}, which {WRAPPER} relies on: adapt that "
            "module (and only it) before raising the SpiffWorkflow pin in pyproject.toml.")


def _workflow(xml: str) -> BpmnWorkflow:
    parsed = specs.parse(xml)
    workflow = BpmnWorkflow(parsed.spec, parsed.subprocess_specs)
    workflow.script_engine = SafeScriptEngine(None)
    workflow.do_engine_steps()
    return workflow


def _task(workflow, bpmn_id: str) -> Task:
    found = [t for t in workflow.get_tasks() if t.task_spec.bpmn_id == bpmn_id]
    assert found, f"no task '{bpmn_id}' in the test workflow"
    return found[0]


@pytest.mark.parametrize("owner, name, parameters", [
    (Task, "_get_internal_data", ["self", "name", "default"]),
    (Task, "_set_internal_data", ["self", "kwargs"]),
    (Task, "_set_state", ["self", "value"]),
    (SpecDiff, "_align", ["self", "spec", "original", "new"]),
    (Workflow, "_remove_task", ["self", "task_id"]),
    (TaskSpec, "_predict_hook", ["self", "my_task"]),
    (TaskSpec, "_predict", ["self", "my_task", "seen", "looked_ahead", "mask"]),
])
def test_the_wrapped_private_methods_exist_with_their_signatures(owner, name, parameters):
    method = getattr(owner, name, None)
    assert callable(method), _changed(f"{owner.__name__}.{name} (it is gone)")
    found = list(inspect.signature(method).parameters)
    assert found == parameters, _changed(f"the signature of {owner.__name__}.{name}: {found}")


def test_timer_state_is_what_spiffs_own_timer_event_reads():
    workflow = _workflow(timer_process('"P3D"', '"2026-03-27T08:00:00"'))
    pause = _task(workflow, "pause")
    definition = pause.task_spec.event_definition
    assert spiff_internals.timer_value(pause) is None and not spiff_internals.timer_fired(pause)

    # A deadline already past (the suite's clock is in November 2026) fires by Spiff's own check.
    spiff_internals.set_timer_value(pause, "2026-03-27T08:00:00+07:00")
    assert TimeDateEventDefinition.has_fired(definition, pause), _changed(
        f"where timer events keep their deadline (internal data '{spiff_internals.EVENT_VALUE}')")
    assert spiff_internals.timer_fired(pause), _changed(
        f"where timer events record that they fired (internal data '{spiff_internals.EVENT_FIRED}')")

    later = _task(_workflow(timer_process('"P3D"', '"2099-01-01T08:00:00"')), "pause")
    spiff_internals.set_timer_value(later, "2099-01-01T08:00:00+07:00")
    assert not TimeDateEventDefinition.has_fired(later.task_spec.event_definition, later)
    spiff_internals.mark_timer_fired(later)
    assert TimeDateEventDefinition.has_fired(later.task_spec.event_definition, later), _changed(
        f"how a timer is marked fired (internal data '{spiff_internals.EVENT_FIRED}')")


def test_force_ready_moves_a_task_back_from_error_which_the_public_setter_refuses():
    first = _task(_workflow(gateway_process("x == 1")), "first")
    assert first.state == TaskState.READY
    first.error()
    with pytest.raises(WorkflowException):
        first.state = TaskState.READY  # why the wrapper exists at all
    spiff_internals.force_ready(first)
    assert first.state == TaskState.READY, _changed("Task._set_state")


def test_tree_links_are_the_ids_behind_parent_and_children():
    workflow = _workflow(gateway_process("x == 1"))
    first = _task(workflow, "first")
    parent, children = spiff_internals.tree_links(first)
    assert parent == first.parent.id and children == [c.id for c in first.children], _changed(
        "how a task stores its parent and children (Task._parent, Task._children)")
    copy = Task(workflow, first.task_spec, state=first.state)
    spiff_internals.set_tree_links(copy, parent, list(children))
    assert copy.parent is first.parent and copy.children == first.children, _changed(
        "Task.parent / Task.children no longer read Task._parent / Task._children")


def test_a_stored_case_reads_back_with_the_same_tree():
    workflow = _workflow(gateway_process("x == 1"))
    parsed = specs.parse(gateway_process("x == 1"))
    again = serialization.loads(serialization.dumps(workflow), parsed.spec, parsed.subprocess_specs)
    assert {t.id: (t.parent.id if t.parent else None, [c.id for c in t.children]) for t in again.get_tasks()} == \
        {t.id: (t.parent.id if t.parent else None, [c.id for c in t.children]) for t in workflow.get_tasks()}, \
        _changed("the task tree links the serializer writes")


def test_remove_task_and_predict_rebuild_a_predicted_branch():
    workflow = _workflow(gateway_process("x == 1"))
    first = _task(workflow, "first")
    (gateway,) = first.children
    below = {t.id for t in gateway}
    spiff_internals.remove_task(workflow, gateway.id)
    assert not below & set(workflow.tasks) and first.children == [], _changed("Workflow._remove_task")

    spiff_internals.predict_children(first)
    (again,) = first.children
    assert again.task_spec is gateway.task_spec, _changed("TaskSpec._predict_hook")
    spiff_internals.predict(again, TaskState.PREDICTED_MASK | TaskState.FUTURE)
    assert {"yes", "no"} <= {t.task_spec.bpmn_id for t in again}, _changed("TaskSpec._predict")


def test_align_from_aligns_an_event_subprocess_spec_diff_does_not_reach():
    spec = specs.parse(message_started_process()).spec
    diff = SpecDiff(serialization.spec_registry(), spec, spec)
    (name,) = spec.start.trigger_specs
    event_subprocess = spec.task_specs[name]
    assert event_subprocess not in diff.alignment  # why the wrapper exists at all
    spiff_internals.align_from(diff, event_subprocess, spec, spec)
    assert diff.alignment.get(event_subprocess) is event_subprocess, _changed("SpecDiff._align")
