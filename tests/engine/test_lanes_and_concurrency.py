"""Lane resolution over time, and two people acting on one case at once."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import ServiceError
from app.engine import lanes
from app.engine.runner import CaseChanged
from app.extensions import db
from app.models import AuditEvent, Case, HumanTask, SupervisorAssignment, User
from app.services.cycle import plans
from app.services.tasks import completion as task_service
from tests.conftest import employee, user
from tests.helpers import approve_plan, case_of, complete, open_task, plan_payload, start_cycle


def _submit_plan(username):
    parents = plans.supervisor_results(db.session, employee(username), "2026", date.today())
    complete(username, open_task(username, "susun_skp"), plan_payload([parents[0].id]))


def _move_staf02_to_kasi_surv(session, today):
    """staf02's supervisor is kasi.rujukan until yesterday and kasi.surv from today."""
    old = session.scalars(select(SupervisorAssignment).where(
        SupervisorAssignment.employee_id == employee("staf02").id)).one()
    old.valid_to = today - timedelta(days=1)
    session.add(SupervisorAssignment(employee_id=employee("staf02").id, supervisor_id=employee("kasi.surv").id,
                                     valid_from=today))


def test_supervisor_change_mid_year_takes_effect_on_the_next_task(session):
    start_cycle()
    for username in ("kadis", "kabid.yankes", "kasi.rujukan"):
        approve_plan(username)
    _submit_plan("staf02")
    first_review = open_task("staf02", "review_skp")
    assert first_review.assignee_user_id == user("kasi.rujukan").id

    today = date.today()
    _move_staf02_to_kasi_surv(session, today)
    session.commit()
    assert lanes.supervisor_on(session, employee("staf02").id, today).id == employee("kasi.surv").id
    assert lanes.supervisor_on(session, employee("staf02").id, today - timedelta(days=1)).id == \
        employee("kasi.rujukan").id

    # The task already in the old supervisor's inbox stays there; the next one goes to the new one.
    assert open_task("staf02", "review_skp").assignee_user_id == user("kasi.rujukan").id
    complete("kasi.rujukan", first_review, {"decision": "return", "note": "Perbaiki", "expectations": {}})
    complete("staf02", open_task("staf02", "susun_skp"), plan_payload([plans.plan_for_case(
        session, case_of("kasi.rujukan")).results[0].id]))
    assert open_task("staf02", "review_skp").assignee_user_id == user("kasi.surv").id


@pytest.mark.parametrize("lane, username, expected", [
    ("employee", "staf02", ("user", "staf02")),
    ("supervisor", "staf02", ("user", "kasi.rujukan")),
    ("unit_head", "staf02", ("user", "kasi.rujukan")),
    ("unit_head", "kasi.rujukan", ("user", "kabid.yankes")),
    ("supervisor", "kadis", ("group", "hr")),
    ("hr", "staf02", ("group", "hr")),
    ("pic", "staf02", ("group", "pic")),
])
def test_lane_resolution_table(session, lane, username, expected):
    assignment = lanes.resolve(session, lane, employee(username), date.today())
    kind, who = expected
    if kind == "user":
        assert assignment.user_id == user(who).id and assignment.candidate_role is None
    else:
        assert assignment.user_id is None and assignment.candidate_role == who
        assert assignment.candidate_unit_path == employee(username).unit.path


def test_supervisors_read_for_a_batch_agree_with_the_one_by_one_lookup(session):
    """A period's close reads every case's supervisor in one query; across a supervisor change, an
    employee without one and a deactivated account it must give what the single lookup gives."""
    today = date.today()
    _move_staf02_to_kasi_surv(session, today)
    user("kasi.rujukan").is_active_account = False
    session.commit()
    ids = list(session.scalars(select(User.employee_id).where(User.employee_id.is_not(None))))
    for day in (today, today - timedelta(days=1)):
        known = lanes.KnownSupervisors.load(session, ids, day)
        assert known.user_ids == {e: lanes.supervisor_user_id(session, e, day) for e in ids}
    known = lanes.KnownSupervisors.load(session, ids, today)
    assert known.user_ids[employee("staf02").id] == user("kasi.surv").id
    assert known.user_ids[employee("kadis").id] is None
    assert known.user_ids[employee("staf05").id] is None  # kasi.rujukan's account is off
    # Known for another date, the batch is not used: the lane is looked up on its own date.
    assert known.knows(employee("staf02").id, today) and not known.knows(employee("staf02").id, today - timedelta(1))
    assert lanes.resolve(session, "supervisor", employee("staf02"), today - timedelta(days=1), known).candidate_role == "hr"


def test_two_people_completing_the_same_task_one_wins(session):
    start_cycle()
    complete("kadis", open_task("kadis", "susun_skp"),
             plan_payload(perspective="penerima_layanan"))
    review = open_task("kadis", "review_skp")
    review_task_id = review.id
    task_service.claim(session, user("hr.admin"), review)
    case_id = review.case_id
    version_before = session.get(Case, case_id).lock_version

    other = Session(db.engine)
    try:
        other_user = other.scalars(select(User).where(User.username == "hr.admin")).one()
        other_task = other.get(HumanTask, review_task_id)
        assert other_task.case.state  # the second request has read the case before the first commits

        task_service.complete(session, user("hr.admin"), review_task_id,
                              {"decision": "approve", "note": "", "expectations": {}})
        with pytest.raises((CaseChanged, ServiceError)):
            task_service.complete(other, other_user, review_task_id,
                                  {"decision": "return", "note": "Kalah cepat", "expectations": {}})
    finally:
        other.close()

    session.expire_all()
    case = session.get(Case, case_id)
    assert case.lock_version == version_before + 1
    assert case.status == "running" and case.waiting_message == "period_closed:2026-Q1"
    completions = session.scalars(select(AuditEvent).where(
        AuditEvent.case_id == case_id, AuditEvent.action == "task_completed",
        AuditEvent.element_id == "review_skp")).all()
    assert len(completions) == 1
    assert plans.plan_for_case(session, case).status == "approved"


def test_stale_case_version_is_refused_without_touching_stored_state(session):
    start_cycle()
    task = open_task("kadis", "susun_skp")
    case = task.case
    stored_state, version = case.state, case.lock_version
    other = Session(db.engine)
    try:
        other.get(Case, case.id).current_step = "diubah di tempat lain"
        other.commit()
    finally:
        other.close()
    with pytest.raises(CaseChanged):
        task_service.complete(session, user("kadis"), task.id, plan_payload(perspective="anggaran"))
    session.expire_all()
    fresh = session.get(Case, case.id)
    assert fresh.state == stored_state and fresh.lock_version == version + 1
    assert open_task("kadis", "susun_skp").status == "open"
