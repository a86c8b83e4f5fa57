"""Monthly validation tasks appear with the calendar: a month's timer releases its task when the
step's clock reaches the month, and the task properties are checked at deploy."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.engine.runner import CaseRunner
from app.engine.validation import DiagramRejected
from app.extensions import db
from app.models import Case, HumanTask
from app.services import plans
from app.services import tasks as task_service
from app.services.deployment import deploy_xml
from tests.conftest import employee, user
from tests.engine.diagrams import HEADER
from tests.helpers import approve_plan, case_of, open_validations, plan_payload, start_cycle, who_acts


def test_months_not_yet_begun_have_no_task_until_their_timer_fires(session):
    start_cycle(2099)
    case = session.scalars(select(Case).where(Case.employee_id == employee("kadis").id, Case.cycle_key == "2099")).one()
    # Approve kadis's 2099 plan through the same services the helpers use for 2026.
    draft = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.status == "open")).one()
    task_service.complete(session, user("kadis"), draft.id, plan_payload(perspective="penerima_layanan"))
    review = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.status == "open")).one()
    task_service.complete(session, user(who_acts(review)), review.id,
                          {"decision": "approve", "note": "", "expectations": {}})
    assert plans.plan_for_case(session, case).status == "approved"

    def validations():
        return {t.period_key for t in session.scalars(select(HumanTask).where(
            HumanTask.case_id == case.id, HumanTask.status == "open", HumanTask.bpmn_id == "validate_month"))}

    assert validations() == set()
    assert case.next_timer_at == datetime(2098, 12, 31, 17, 0, tzinfo=timezone.utc)  # 1 Jan 2099, 00:00 WIB
    # main's fire_timers returns the names of the timers it fired (empty when none was due).
    assert CaseRunner(session, now=datetime(2099, 2, 2, tzinfo=timezone.utc)).fire_timers(case) == [
        "Bulan dimulai", "Bulan dimulai"]
    session.commit()
    assert validations() == {"2099-01", "2099-02"}
    assert CaseRunner(session, now=datetime(2099, 2, 3, tzinfo=timezone.utc)).fire_timers(case) == []
    db.session.expire_all()
    assert case.next_timer_at == datetime(2099, 2, 28, 17, 0, tzinfo=timezone.utc)


def test_2026_months_begun_have_their_tasks(session):
    start_cycle()
    approve_plan("kadis")
    tasks = open_validations("kadis")
    assert {"2026-01", "2026-04"} <= set(tasks)
    assert tasks["2026-01"].name == "Validasi aktivitas Januari 2026"
    assert case_of("kadis").status == "running"


@pytest.mark.parametrize("prop", ["label", "period_key", "due_anchor"])
def test_unsafe_task_property_expressions_are_refused(session, prop):
    xml = HEADER + f"""
  <bpmn:process id="prop_test" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="employee"><bpmn:flowNodeRef>t</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t" />
    <bpmn:userTask id="t" name="Tugas"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="form" value="acknowledge" />
      <spiffworkflow:property name="{prop}" value="__import__('os').system('true')" />
    </spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end" /><bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>"""
    with pytest.raises(DiagramRejected) as err:
        deploy_xml(session, xml)
    assert f"properti '{prop}' ditolak" in str(err.value)
