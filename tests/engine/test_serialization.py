"""The fast workflow serializer writes and reads exactly what Spiff's stock converters do.

Every state the engine saved while a JPT's whole cycle ran (plan, four quarters with dialogs,
ratings and month validations, the appraisal and the follow-up) is read back by both, and both
readings are written out by both: all four must agree with the stored text.
"""
import json
from datetime import datetime
from uuid import UUID

import pytest
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from sqlalchemy import select

from app.engine import serialization, specs
from app.models import Case
from tests.engine.test_cycle_end_to_end import _run_periods
from tests.helpers import approve_plan, case_of, complete, open_bpmn_ids, open_task, start_cycle, who_acts


class StockSpecFreeConverter(BpmnWorkflowConverter):
    """Spiff's own converters, with only the spec left out (as the product stores cases)."""

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


_stock = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure({**SPIFF_CONFIG, BpmnWorkflow: StockSpecFreeConverter}))


def stock_dict(workflow):
    return json.loads(json.dumps(_stock.to_dict(workflow)))


def stock_loads(text, parsed):
    dct = json.loads(text)
    dct.pop(_stock.VERSION_KEY, None)
    return _stock.from_dict(dct, spec=parsed.spec, subprocess_specs=parsed.subprocess_specs)


@pytest.fixture
def saved_states(monkeypatch):
    states = []
    fast_dumps = serialization.dumps

    def recording(workflow):
        text = fast_dumps(workflow)
        states.append(text)
        return text

    monkeypatch.setattr(serialization, "dumps", recording)
    return states


def test_every_state_of_a_whole_cycle_reads_and_writes_as_stock_spiff_does(session, saved_states):
    start_cycle()
    approve_plan("kadis")
    _run_periods("kadis", "di_atas", "di_atas")
    reward = open_task("kadis", "record_reward")
    complete(who_acts(reward), reward, {"decision": "penghargaan", "notes": "Piagam"})
    case = case_of("kadis")
    assert case.status == "completed"
    parsed = specs.for_version_id(session, case.process_version_id)
    ours = [s for s in saved_states if s]
    assert len(ours) > 40

    for text in ours:
        stored = json.loads(text)
        stored.pop(_stock.VERSION_KEY)
        fast = serialization.loads(text, parsed.spec, parsed.subprocess_specs)
        stock = stock_loads(text, parsed)
        assert stock_dict(stock) == stored
        assert stock_dict(fast) == stored
        assert json.loads(serialization.dumps(stock)) == {**stored, _stock.VERSION_KEY: _stock.VERSION}
        assert len(fast.get_tasks()) == len(stock.get_tasks())
        assert {str(t.id): t.data for t in fast.get_tasks()} == {str(t.id): t.data for t in stock.get_tasks()}


def test_a_state_stored_by_stock_spiff_runs_on(session):
    """Cases saved before the fast serializer (stock text) load and take their next step."""
    start_cycle()
    case = case_of("kadis")
    parsed = specs.for_version_id(session, case.process_version_id)
    stock_text = json.dumps({**_stock.to_dict(serialization.loads(case.state, parsed.spec, parsed.subprocess_specs)),
                             _stock.VERSION_KEY: _stock.VERSION})
    case.state = stock_text
    session.commit()
    approve_plan("kadis")
    assert not {"susun_skp", "review_skp"} & open_bpmn_ids("kadis")
    stored = session.scalars(select(Case).where(Case.id == case.id)).one()
    assert stored.state != stock_text
    assert stock_dict(stock_loads(stored.state, parsed))["tasks"].keys() == json.loads(stored.state)["tasks"].keys()


def test_task_data_that_json_cannot_hold_is_refused_not_turned_into_text(session):
    start_cycle()
    case = case_of("kadis")
    parsed = specs.for_version_id(session, case.process_version_id)
    workflow = serialization.loads(case.state, parsed.spec, parsed.subprocess_specs)
    workflow.get_tasks()[-1].data["when"] = datetime(2026, 1, 5, 9, 0)
    with pytest.raises(TypeError):
        serialization.dumps(workflow)
