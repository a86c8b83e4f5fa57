"""The default cycle run end to end through the engine, for a JPT and for a pelaksana."""
from sqlalchemy import select

from app.models import Appraisal, AuditEvent, FollowUp, Plan
from tests.conftest import user
from tests.helpers import (
    approve_plan,
    case_of,
    close_period,
    complete,
    open_bpmn_ids,
    open_task,
    rate,
    start_cycle,
    validate_all_months,
    who_acts,
)

CHAIN = ["kadis", "kabid.yankes", "kasi.rujukan", "staf02"]
QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def _run_periods(username, results, behaviour):
    for key in QUARTERS:
        close_period(key)
        dialog = open_task(username, "dialog")
        assert dialog.period_key == key
        complete(who_acts(dialog), dialog, {"notes": f"Dialog {key}", "follow_ups": "Lanjutkan", "held_on": None})
        rating = open_task(username, "rate_period")
        rate(rating, who_acts(rating), results, behaviour)
    assert "annual_appraisal" not in open_bpmn_ids(username)  # the months are not all validated yet
    validate_all_months(username)
    annual = open_task(username, "annual_appraisal")
    rate(annual, who_acts(annual), results, behaviour)


def test_jpt_cycle_sangat_baik_goes_to_hr_reward(session):
    start_cycle()
    assert open_bpmn_ids("kadis") == {"susun_skp"}
    approve_plan("kadis")
    plan = session.scalars(select(Plan).where(Plan.case_id == case_of("kadis").id)).one()
    assert plan.status == "approved" and plan.results[0].perspective == "penerima_layanan"
    _run_periods("kadis", "di_atas", "di_atas")

    grades = {a.period_key: a.grade for a in session.scalars(
        select(Appraisal).where(Appraisal.case_id == case_of("kadis").id))}
    assert grades == {**{k: "sangat_baik" for k in QUARTERS}, "annual": "sangat_baik"}
    reward = open_task("kadis", "record_reward")
    assert reward.candidate_role == "hr" and reward.assignee_user_id is None
    assert open_bpmn_ids("kadis") == {"record_reward"}
    complete(who_acts(reward), reward, {"decision": "penghargaan", "notes": "Piagam"})
    assert case_of("kadis").status == "completed"


def test_pelaksana_cycle_sangat_kurang_goes_to_development_and_sanction(session):
    start_cycle()
    for username in CHAIN:
        approve_plan(username)
    staff_plan = session.scalars(select(Plan).where(Plan.case_id == case_of("staf02").id)).one()
    assert staff_plan.results[0].parent.plan.employee_id == user("kasi.rujukan").employee_id
    _run_periods("staf02", "di_bawah", "di_bawah")

    assert open_bpmn_ids("staf02") == {"development_plan", "sanction_review"}
    development = open_task("staf02", "development_plan")
    assert development.assignee_user_id == user("kasi.rujukan").id
    sanction = open_task("staf02", "sanction_review")
    assert sanction.candidate_role == "hr"
    complete("kasi.rujukan", development, {"decision": "coaching", "notes": "Coaching bulanan"})
    assert case_of("staf02").status == "running"
    complete(who_acts(sanction), sanction, {"decision": "pemeriksaan", "notes": "Lanjut pemeriksaan"})
    case = case_of("staf02")
    assert case.status == "completed" and case.current_step == "Selesai"
    kinds = set(session.scalars(select(FollowUp.kind).where(FollowUp.case_id == case.id)))
    assert kinds == {"development_plan", "sanction_review"}
    actions = [e.action for e in session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id))]
    assert actions[0] == "case_started" and actions.count("task_completed") >= 12


def test_returned_plan_comes_back_with_note(session):
    start_cycle()
    approve_plan("kadis")
    task = open_task("kabid.yankes", "susun_skp")
    from datetime import date

    from app.services.cycle import plans
    from tests.helpers import plan_payload
    parents = plans.supervisor_results(session, user("kabid.yankes").employee, "2026", date.today())
    complete("kabid.yankes", task, plan_payload([parents[0].id]))
    complete("kadis", open_task("kabid.yankes", "review_skp"),
             {"decision": "return", "note": "Target terlalu rendah", "expectations": {}})
    assert open_bpmn_ids("kabid.yankes") == {"susun_skp"}
    plan = session.scalars(select(Plan).where(Plan.case_id == case_of("kabid.yankes").id)).one()
    assert plan.status == "returned" and plan.return_note == "Target terlalu rendah"
    assert len(plan.results) == 1


def test_case_reaching_an_already_closed_period_does_not_wait(session):
    start_cycle()
    close_period("2026-Q1")
    approve_plan("kadis")
    assert open_bpmn_ids("kadis") == {"dialog"}
    assert case_of("kadis").waiting_message is None
    approve_plan("kabid.yankes")
    assert open_bpmn_ids("kabid.yankes") == {"dialog"}


def test_closing_a_period_twice_advances_each_case_once(session):
    start_cycle()
    approve_plan("kadis")
    assert case_of("kadis").waiting_message == "period_closed:2026-Q1"
    first = close_period("2026-Q1")
    second = close_period("2026-Q1")
    assert (first.advanced, second.advanced) == (1, 0)
    assert open_bpmn_ids("kadis") == {"dialog"}
