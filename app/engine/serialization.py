"""Workflow state to and from JSON *without* the spec, in Spiff's own format, written fast.

Spiff's default converter writes the whole spec into every serialized workflow; a case only
needs its task tree, so the spec is left out on save and supplied from the parsed-spec cache on
load. That keeps rows small and the hot path free of spec conversion.

Every step of every case loads and saves its tree, and closing a month does it for every case of
the agency, so the per-task conversion is the hottest code of the product. The task converter
below writes exactly what Spiff's `TaskConverter` writes (a test compares the two on real cases),
so a stored case stays readable by stock Spiff, but it skips the generic registry walk for empty
values, parses UUIDs without `UUID.__init__`'s argument checks, and uses orjson for the text.
"""
from functools import lru_cache
from uuid import UUID, SafeUUID

import orjson
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnSubWorkflowConverter,
    BpmnWorkflowConverter,
    TaskConverter,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task, TaskState
from SpiffWorkflow.util.deep_merge import DeepMerge

from app.engine import spiff_internals

# Datetimes and dataclasses are refused as the standard json module refuses them, rather than
# written as strings that would come back as strings.
_DUMP_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_new = object.__new__
_set = object.__setattr__
_CONTAINERS = (dict, list)


@lru_cache(maxsize=4096)
def _uuid(text: str) -> UUID:
    """A UUID from its canonical text (our own output), without the checks of `UUID(text)`.

    Cached because a task's id is read three times per load (its own, its parent's list of
    children, its children's parent); UUIDs are immutable, so sharing one object is safe."""
    value = _new(UUID)
    _set(value, "int", int(text.replace("-", ""), 16))
    _set(value, "is_safe", SafeUUID.unknown)
    return value


def _restore(registry, value):
    """`registry.restore` for freshly parsed JSON: plain values are kept in place, and only a dict
    that names a registered type is handed to the registry."""
    kind = type(value)
    if kind is dict:
        if "typename" in value:
            return registry.restore(value)
        for key, item in value.items():
            if type(item) in _CONTAINERS:
                value[key] = _restore(registry, item)
    elif kind is list:
        for index, item in enumerate(value):
            if type(item) in _CONTAINERS:
                value[index] = _restore(registry, item)
    return value


class FastTaskConverter(TaskConverter):
    def to_dict(self, task):
        parent_id, child_ids = spiff_internals.tree_links(task)
        parent = task.workflow.tasks.get(parent_id)
        if parent is None:
            data, delta = task.data, {}
        else:
            data = {}
            delta = {
                "updates": DeepMerge.get_updated_keys(parent.data, task.data),
                "deletions": DeepMerge.get_deleted_keys(parent.data, task.data),
            }
        internal = task.internal_data
        return {
            "id": str(task.id),
            "parent": str(parent_id) if parent is not None else None,
            "children": [str(child) for child in child_ids],
            "last_state_change": task.last_state_change,
            "state": task.state,
            "task_spec": task.task_spec.name,
            "triggered": task.triggered,
            "internal_data": self.registry.convert(internal) if internal else {},
            "data": data,
            "delta": delta,
        }

    def from_dict(self, dct, workflow):
        task_spec = workflow.spec.task_specs.get(dct["task_spec"])
        task = Task(workflow, task_spec, state=dct["state"], id=_uuid(dct["id"]))
        parent_id = _uuid(dct["parent"]) if dct["parent"] is not None else None
        spiff_internals.set_tree_links(task, parent_id, [_uuid(child) for child in dct["children"]])
        task.last_state_change = dct["last_state_change"]
        task.triggered = dct["triggered"]
        internal = dct["internal_data"]
        task.internal_data = _restore(self.registry, internal)
        if task.state == TaskState.WAITING and isinstance(task_spec, CatchingEvent):
            workflow.top_workflow.event_manager.add_task(task)
        delta = dct.get("delta")
        parent = workflow.tasks.get(parent_id) if delta else None
        if parent is not None:
            data = DeepMerge.merge({}, parent.data)
            updates = delta.get("updates")
            if updates:
                data.update(_restore(self.registry, updates))
            for key in delta.get("deletions", ()):
                data.pop(key, None)
        else:
            data = _restore(self.registry, dct["data"])
        task.data = data
        return task


class _FastTreeMixin:
    """The task tree of a workflow or subworkflow, one task at a time through FastTaskConverter."""

    def tasks_to_dict(self, workflow):
        task_to_dict = self.registry.convert
        return {str(key): task_to_dict(task) for key, task in workflow.tasks.items()}

    def tasks_from_dict(self, tasks, workflow):
        restore = self.registry.restore
        workflow.tasks = {}
        for value in tasks.values():
            restore(value, workflow=workflow)
        return workflow.tasks


class FastSubWorkflowConverter(_FastTreeMixin, BpmnSubWorkflowConverter):
    def to_dict(self, workflow):
        dct = _workflow_dict(self, workflow)
        dct["parent_task_id"] = str(workflow.parent_task_id)
        dct["spec"] = workflow.spec.name
        return dct

    def from_dict(self, dct, task, top_workflow):
        spec = top_workflow.subprocess_specs.get(task.task_spec.spec)
        subprocess = self.target_class(spec, task.id, top_workflow, deserializing=True)
        self.tasks_from_dict(dct["tasks"], subprocess)
        subprocess.task_tree = subprocess.tasks.get(_uuid(dct["root"]))
        self.set_default_attributes(subprocess, dct)
        return subprocess


class SpecFreeWorkflowConverter(_FastTreeMixin, BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = _workflow_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        self.tasks_from_dict(dct["tasks"], workflow)
        workflow.task_tree = workflow.tasks.get(_uuid(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _workflow_dict(converter, workflow) -> dict:
    """WorkflowConverter.to_dict with the task tree written by the fast converter."""
    return {
        "data": converter.registry.convert(converter.registry.clean(workflow.data)),
        "correlations": workflow.correlations,
        "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
        "success": workflow.success,
        "completed": workflow.completed,
        "tasks": converter.tasks_to_dict(workflow),
        "root": str(workflow.task_tree.id),
    }


_config = dict(SPIFF_CONFIG)
_config[BpmnWorkflow] = SpecFreeWorkflowConverter
_config[BpmnSubWorkflow] = FastSubWorkflowConverter
_config[Task] = FastTaskConverter
_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_config))

def dumps(workflow: BpmnWorkflow) -> str:
    dct = _serializer.to_dict(workflow)
    dct[_serializer.VERSION_KEY] = _serializer.VERSION
    return orjson.dumps(dct, option=_DUMP_OPTIONS).decode()


def loads(text: str, spec, subprocess_specs) -> BpmnWorkflow:
    dct = orjson.loads(text)
    dct.pop(_serializer.VERSION_KEY, None)
    return _serializer.from_dict(dct, spec=spec, subprocess_specs=subprocess_specs)


def spec_registry():
    """The converter registry, which Spiff's spec diff uses to compare task specs attribute by attribute."""
    return _serializer.registry
