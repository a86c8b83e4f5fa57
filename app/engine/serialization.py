"""Workflow state to and from JSON *without* the spec.

Spiff's default converter writes the whole spec into every serialized workflow; a case only
needs its task tree, so the spec is left out on save and supplied from the parsed-spec cache on
load. That keeps rows small and the hot path free of spec conversion.
"""
import json
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG


class SpecFreeWorkflowConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_config = dict(SPIFF_CONFIG)
_config[BpmnWorkflow] = SpecFreeWorkflowConverter
_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_config))


def dumps(workflow: BpmnWorkflow) -> str:
    dct = _serializer.to_dict(workflow)
    dct[_serializer.VERSION_KEY] = _serializer.VERSION
    return json.dumps(dct, separators=(",", ":"))


def loads(text: str, spec, subprocess_specs) -> BpmnWorkflow:
    dct = json.loads(text)
    dct.pop(_serializer.VERSION_KEY, None)
    return _serializer.from_dict(dct, spec=spec, subprocess_specs=subprocess_specs)


def spec_registry():
    """The converter registry, which Spiff's spec diff uses to compare task specs attribute by attribute."""
    return _serializer.registry
