"""Tasks past due: a reminder to whoever holds the task, then the task offered to `escalate_to`.

Tuesday 17 March 2026, 09:00 WIB; 19, 20 and 23 March are holidays in the demo calendar. A task
due in one working day is due Wednesday 18 at 09:00; one working day later (escalate_after P1D)
is Tuesday 24 at 09:00.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.engine.runner import CaseRunner
from app.engine.validation import DiagramRejected
from app.extensions import db
from app.models import AuditEvent, HumanTask, Notification
from app.services.designer.deployment import deploy_xml
from app.services.tasks import completion as task_service
from app.services.tasks import escalation
from tests.conftest import employee, user
from tests.engine.diagrams import HEADER, user_task
from tests.helpers import approve_plan, complete, open_task, plan_payload, start_cycle
from tests.web.conftest import parent_ids

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 3, 17, 9, 0, tzinfo=WIB)


def _at(*args):
    return datetime(*args, tzinfo=WIB)


def escalating_process(lane="supervisor", escalate_to="hr", after="P1D"):
    props = (f'<spiffworkflow:property name="due" value="P1D" />'
             f'<spiffworkflow:property name="escalate_to" value="{escalate_to}" />'
             + (f'<spiffworkflow:property name="escalate_after" value="{after}" />' if after else ""))
    return HEADER + f"""
  <bpmn:process id="escalation_test" name="Uji eskalasi" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="{lane}"><bpmn:flowNodeRef>review</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    {user_task("review", lane_prop=props)}
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>"""


def _start(session, **kwargs) -> HumanTask:
    version = deploy_xml(session, escalating_process(**kwargs))
    session.commit()
    with time_machine.travel(START, tick=False):
        case = CaseRunner(session, START).start(version, employee("staf02"), "2026", {}, None)
        session.commit()
    return session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)).one()


def _notes(username):
    return [n.text for n in db.session.scalars(select(Notification).where(Notification.user_id == user(username).id))]


def test_due_and_escalation_dates_count_working_days(session):
    task = _start(session)
    assert task.due_at == _at(2026, 3, 18, 9, 0)
    assert task.escalate_at == _at(2026, 3, 24, 9, 0)
    assert task.assignee_user_id == user("kasi.rujukan").id


def test_escalate_after_defaults_to_two_working_days(session):
    assert _start(session, after=None).escalate_at == _at(2026, 3, 25, 9, 0)


def test_the_holder_is_reminded_once_when_the_task_is_past_due(session):
    task = _start(session)
    assert escalation.remind_overdue(session, _at(2026, 3, 18, 8, 59)) == 0
    assert escalation.remind_overdue(session, _at(2026, 3, 18, 9, 0)) == 1
    assert escalation.remind_overdue(session, _at(2026, 3, 18, 12, 0)) == 0
    assert _notes("kasi.rujukan") == [
        f"Pengingat: tugas 'Tugas review' untuk {employee('staf02').name} lewat tenggat (18-03-2026 09:00). "
        "Mohon segera diselesaikan."]
    session.refresh(task)
    assert task.reminded_at == _at(2026, 3, 18, 9, 0)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "task_reminder")).one()
    assert event.case_id == task.case_id and event.detail["recipients"] == [user("kasi.rujukan").id]


def test_then_the_task_is_offered_to_the_escalation_group(session):
    task = _start(session)
    assert escalation.escalate_overdue(session, _at(2026, 3, 23, 23, 59)) == 0
    assert escalation.escalate_overdue(session, _at(2026, 3, 24, 9, 0)) == 1
    assert escalation.escalate_overdue(session, _at(2026, 3, 25, 9, 0)) == 0
    session.refresh(task)
    assert (task.candidate_role, task.candidate_unit_path) == ("hr", employee("staf02").unit.path)
    assert task.assignee_user_id == user("kasi.rujukan").id  # the supervisor may still finish it
    assert any("kini ditawarkan kepada Anda" in text for text in _notes("hr.admin"))
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "task_escalated")).one()
    assert event.summary == "Tugas 'Tugas review' lewat tenggat ditawarkan kepada kelompok Pengelola kinerja (BKPSDM)"
    task_service.claim(session, user("hr.admin"), task)
    task_service.complete(session, user("hr.admin"), task.id, {})
    session.refresh(task)
    assert (task.status, task.completed_by_id) == ("completed", user("hr.admin").id)


def test_escalating_to_a_person_role_hands_the_task_over(session):
    task = _start(session, lane="employee", escalate_to="unit_head")
    assert task.assignee_user_id == user("staf02").id
    escalation.escalate_overdue(session, _at(2026, 3, 24, 9, 0))
    session.refresh(task)
    assert task.assignee_user_id == user("kasi.rujukan").id
    assert _notes("kasi.rujukan")
    assert "dialihkan kepada Pimpinan unit kerja" in session.scalars(
        select(AuditEvent.summary).where(AuditEvent.action == "task_escalated")).one()


def test_a_completed_task_is_neither_reminded_nor_escalated(session):
    task = _start(session)
    with time_machine.travel(_at(2026, 3, 17, 10, 0), tick=False):
        task_service.complete(session, user("kasi.rujukan"), task.id, {})
        session.commit()
    assert escalation.remind_overdue(session, _at(2026, 4, 1, 9, 0)) == 0
    assert escalation.escalate_overdue(session, _at(2026, 4, 1, 9, 0)) == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"after": "P1M"}, "'escalate_after' tidak valid"),
    ({"escalate_to": "", "after": "P1D"}, "'escalate_after' tanpa 'escalate_to'"),
])
def test_bad_escalation_properties_are_refused_at_deploy(session, kwargs, message):
    with pytest.raises(DiagramRejected, match=message):
        deploy_xml(session, escalating_process(**kwargs))


def test_the_shipped_cycle_escalates_a_plan_review_left_too_long_to_hr(session):
    start_cycle()
    for username in ("kadis", "kabid.yankes", "kasi.rujukan"):
        approve_plan(username)
    complete("staf02", open_task("staf02", "susun_skp"), plan_payload(parent_ids("staf02")[:1]))
    review = open_task("staf02", "review_skp")
    assert (review.escalate_to, review.assignee_user_id) == ("hr", user("kasi.rujukan").id)
    assert review.escalate_at > review.due_at
    assert escalation.escalate_overdue(session, review.escalate_at) == 1
    session.refresh(review)
    assert review.candidate_role == "hr"
    task_service.claim(session, user("hr.admin"), review)
