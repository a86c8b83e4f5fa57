"""Monthly validation tasks appear with the calendar: a month's timer releases its task when the
step's clock reaches the month, and the task properties are checked at deploy."""
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.engine import specs
from app.engine.runner import CaseRunner
from app.engine.validation import DiagramRejected
from app.extensions import db
from app.models import Case, HumanTask, WorkMonth
from app.services.attendance import calendars
from app.services.cycle import plans
from app.services.designer.deployment import deploy_xml
from app.services.tasks import completion as task_service
from tests.conftest import employee, user
from tests.engine.diagrams import HEADER, message_started_process
from tests.helpers import approve_plan, case_of, open_validations, plan_payload, start_cycle, who_acts


def _approved_case(session, username="kadis", year=2099) -> Case:
    """A case of a future cycle with its plan approved: no month of it has begun."""
    calendars.load_national(session, year, None)
    start_cycle(year, at=None)
    case = session.scalars(select(Case).where(Case.employee_id == employee(username).id,
                                              Case.cycle_key == str(year))).one()
    draft = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.status == "open")).one()
    task_service.complete(session, user(username), draft.id, plan_payload(perspective="penerima_layanan"))
    review = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.status == "open")).one()
    task_service.complete(session, user(who_acts(review)), review.id,
                          {"decision": "approve", "note": "", "expectations": {}})
    assert plans.plan_for_case(session, case).status == "approved"
    return case


def _validations(session, case) -> dict[str, HumanTask]:
    return {t.period_key: t for t in session.scalars(select(HumanTask).where(
        HumanTask.case_id == case.id, HumanTask.status == "open", HumanTask.bpmn_id == "validate_month"))}


def _instances(session, case) -> dict[str, int]:
    """Subprocess instances in the stored state, by subprocess."""
    workflow = CaseRunner(session).load(case, None)
    return dict(Counter(sub.spec.name for sub in workflow.subprocesses.values()))


def test_months_not_yet_begun_have_no_task_until_their_timer_fires(session):
    case = _approved_case(session)
    assert _validations(session, case) == {}
    assert case.next_timer_at == datetime(2098, 12, 31, 17, 0, tzinfo=UTC)  # 1 Jan 2099, 00:00 WIB
    # fire_timers returns the timers it was asked to fire; February's timer, due by the same
    # clock, fires in the same step once January's tick has started it.
    assert CaseRunner(session, now=datetime(2099, 2, 2, tzinfo=UTC)).fire_timers(case) == ["Bulan dimulai"]
    session.commit()
    assert set(_validations(session, case)) == {"2099-01", "2099-02"}
    assert CaseRunner(session, now=datetime(2099, 2, 3, tzinfo=UTC)).fire_timers(case) == []
    db.session.expire_all()
    assert case.next_timer_at == datetime(2099, 2, 28, 17, 0, tzinfo=UTC)


def test_a_case_carries_only_the_months_it_is_in(session, frozen_clock):
    case = _approved_case(session)
    # Before any month: the period and the clock's first tick, no month instance.
    assert _instances(session, case) == {"periods": 1, "month_clock": 1}
    CaseRunner(session, now=datetime(2099, 2, 2, tzinfo=UTC)).fire_timers(case)
    session.commit()
    # Two months open, the clock waiting for March; January's and February's ticks are gone.
    assert _instances(session, case) == {"periods": 1, "month_clock": 1, "monthly_validation": 2}
    january = _validations(session, case)["2099-01"]
    frozen_clock.move_to(datetime(2099, 2, 2, 3, 0, tzinfo=UTC))  # January is over
    task_service.complete(session, user(who_acts(january)), january.id, {})
    assert set(_validations(session, case)) == {"2099-02"}
    assert _instances(session, case) == {"periods": 1, "month_clock": 1, "monthly_validation": 1}
    # What the finished month produced stays on the case: the months the clock opened.
    workflow = CaseRunner(session).load(case, None)
    clock = next(t for t in workflow.get_tasks() if t.task_spec.bpmn_id == "month_clock")
    assert clock.data["opened_months"] == ["2099-01", "2099-02"]


def test_opening_a_month_prepares_the_employees_month_row_once(session):
    case = _approved_case(session)
    CaseRunner(session, now=datetime(2099, 1, 5, tzinfo=UTC)).fire_timers(case)
    session.commit()
    rows = session.scalars(select(WorkMonth).where(WorkMonth.employee_id == case.employee_id)).all()
    assert [(r.month, r.closed_at) for r in rows] == [(date(2099, 1, 1), None)]
    runner = CaseRunner(session, now=datetime(2099, 1, 6, tzinfo=UTC))
    assert runner.fire_timers(case) == []
    assert session.scalar(select(func.count()).select_from(WorkMonth)
                          .where(WorkMonth.employee_id == case.employee_id)) == 1


def test_a_month_started_in_one_case_does_not_change_how_the_next_case_starts(session):
    """Spiff wires an event subprocess into the shared spec on its first message; the spec is
    wired at parse time instead, so a case started later opens no month before its first one."""
    first = _approved_case(session)
    CaseRunner(session, now=datetime(2099, 3, 2, tzinfo=UTC)).fire_timers(first)
    session.commit()
    assert len(_validations(session, first)) == 3
    parsed = specs.for_version(first.process_version)
    assert [t.name for t in parsed.spec.start.outputs] == ["start"]
    calendars.load_national(session, 2098, None)
    start_cycle(2098)
    later = case_of("kabid.yankes", "2098")
    assert _instances(session, later) == {}
    assert set(session.scalars(select(HumanTask.bpmn_id).where(
        HumanTask.case_id == later.id, HumanTask.status == "open"))) == {"susun_skp"}


def test_a_case_ends_only_after_the_instances_its_messages_started(session):
    """The main flow may finish first (the annual appraisal does not wait for December's
    validation); the case stays running until every event subprocess instance is done."""
    version = deploy_xml(session, message_started_process())
    session.commit()
    case = CaseRunner(session).start(version, employee("staf02"), "2026", {"nomor": 7}, None)
    session.commit()
    open_tasks = {t.bpmn_id: t for t in session.scalars(select(HumanTask).where(
        HumanTask.case_id == case.id, HumanTask.status == "open"))}
    assert set(open_tasks) == {"main", "follow_up"}
    assert open_tasks["follow_up"].name == "Tindak lanjut bulan 7"  # the payload reached the instance
    task_service.complete(session, user("staf02"), open_tasks["main"].id, {})
    assert case.status == "running"
    task_service.complete(session, user("staf02"), open_tasks["follow_up"].id, {})
    assert case.status == "completed"
    assert CaseRunner(session).load(case, None).subprocesses == {}


def test_an_unsafe_message_payload_is_refused_at_deploy(session):
    with pytest.raises(DiagramRejected) as err:
        deploy_xml(session, message_started_process("__import__('os').getcwd()"))
    assert "announce (Umumkan): muatan pesan ditolak" in str(err.value)


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
