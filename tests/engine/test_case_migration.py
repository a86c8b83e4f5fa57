"""Migrating running cases: precheck over cases at different points, one blocked case left intact,
bulk migration as a background job, history written, the migrated cases following the new version."""
from datetime import date

from sqlalchemy import select

from app.engine import specs
from app.engine.runner import CaseRunner
from app.extensions import db
from app.models import AuditEvent, Case, HumanTask, MigrationItem
from app.services.cycle import plans
from app.services.designer import migration as case_migration
from app.services.designer import processes as designer_service
from app.services.designer.deployment import WORKFLOWS_DIR
from tests.conftest import employee, user
from tests.helpers import (
    approve_plan,
    case_of,
    close_period,
    complete,
    open_bpmn_ids,
    open_task,
    plan_payload,
    start_cycle,
    who_acts,
)

EDITS = [
    # a rename only: harmless wherever a case is
    ('name="Persetujuan SKP"', 'name="Persetujuan SKP oleh atasan"'),
    # a new condition on the approval gateway: cases past it cannot move
    ("<bpmn:conditionExpression>plan_decision == 'approve'</bpmn:conditionExpression>",
     "<bpmn:conditionExpression>plan_decision in ('approve', 'setuju')</bpmn:conditionExpression>"),
    # a new step after the plan is locked, in the employee's lane
    ('<bpmn:sequenceFlow id="f_to_monitoring" sourceRef="kunci_skp" targetRef="gw_monitoring_split" />',
     '<bpmn:sequenceFlow id="f_to_confirm" sourceRef="kunci_skp" targetRef="konfirmasi_skp" />'
     '<bpmn:userTask id="konfirmasi_skp" name="Konfirmasi SKP terkunci"><bpmn:extensionElements>'
     '<spiffworkflow:properties><spiffworkflow:property name="form" value="acknowledge" />'
     '</spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>'
     '<bpmn:sequenceFlow id="f_to_monitoring" sourceRef="konfirmasi_skp" targetRef="gw_monitoring_split" />'),
    ("<bpmn:flowNodeRef>susun_skp</bpmn:flowNodeRef>",
     "<bpmn:flowNodeRef>susun_skp</bpmn:flowNodeRef><bpmn:flowNodeRef>konfirmasi_skp</bpmn:flowNodeRef>"),
]


def _second_version(session):
    xml = (WORKFLOWS_DIR / "performance_cycle.bpmn").read_text()
    for old, new in EDITS:
        assert old in xml, f"the shipped diagram no longer contains {old!r}; update EDITS"
        xml = xml.replace(old, new)
    return designer_service.deploy(session, user("hr.admin"), "performance_cycle", "Konfirmasi SKP", xml)


def session_of():
    return db.session


def _cases_at_three_points():
    start_cycle()
    # kadis: plan approved, first quarter closed -> in the periods subprocess at the dialog
    approve_plan("kadis")
    close_period("2026-Q1")
    # kabid.yankes: plan submitted -> the supervisor's review is open
    parents = plans.supervisor_results(session_of(), employee("kabid.yankes"), "2026", date.today())
    complete("kabid.yankes", open_task("kabid.yankes", "susun_skp"), plan_payload([parents[0].id]))
    # staf02: has not started -> drafting the plan
    return case_of("kadis"), case_of("kabid.yankes"), case_of("staf02")


def test_precheck_lists_each_case_and_bulk_migration_moves_only_the_migratable(session):
    past, reviewing, drafting = _cases_at_three_points()
    before = {"state": past.state, "lock": past.lock_version, "version": past.process_version_id,
              "open": open_bpmn_ids("kadis")}
    v1 = past.process_version
    v2 = _second_version(session)
    assert (v1.version, v2.version) == (1, 2) and specs.active_version(session, "performance_cycle").id == v2.id
    assert case_of("staf02").process_version_id == v1.id  # deploying moves nobody

    run = case_migration.start_precheck(session, user("hr.admin"), v1, v2)
    case_migration.precheck(session, run.id)
    items = {i.case_id: i for i in session.scalars(select(MigrationItem).where(MigrationItem.run_id == run.id))}
    assert run.state == "checked" and run.checked == run.total == len(items) > 3
    assert items[drafting.id].migratable and items[reviewing.id].migratable
    blocked = items[past.id]
    assert not blocked.migratable
    assert "SKP disetujui?" in blocked.reason and "kondisinya" in blocked.reason
    assert "Kunci SKP" in blocked.reason and "alur keluarnya" in blocked.reason

    queued = case_migration.queue_all(session, user("hr.admin"), run)
    assert queued == run.migratable
    case_migration.migrate_queued(session, run.id, user("hr.admin").id)
    session.expire_all()
    assert (run.state, run.migrated, run.failed) == ("finished", queued, 0)
    assert case_migration.progress(run)["percent"] == 100

    # the blocked case is exactly as it was
    past = session.get(Case, past.id)
    assert (past.state, past.lock_version, past.process_version_id, open_bpmn_ids("kadis")) == (
        before["state"], before["lock"], before["version"], before["open"])
    # the others are on v2, their open tasks kept (and renamed), with the move in their history
    reviewing = session.get(Case, reviewing.id)
    assert reviewing.process_version_id == v2.id
    review = open_task("kabid.yankes", "review_skp")
    assert review.name == "Persetujuan SKP oleh atasan"
    history = session.scalars(select(AuditEvent).where(AuditEvent.case_id == reviewing.id,
                                                       AuditEvent.action == "case_migrated")).one()
    assert history.summary == "Dimigrasikan dari versi 1 ke versi 2" and history.actor_user_id == user("hr.admin").id

    # the migrated case runs on the new version: after approval comes the new confirmation step
    complete(who_acts(review), review, {"decision": "approve", "note": "", "expectations": {}})
    assert open_bpmn_ids("kabid.yankes") == {"konfirmasi_skp"}
    complete("kabid.yankes", open_task("kabid.yankes", "konfirmasi_skp"), {})
    assert open_bpmn_ids("kabid.yankes") == {"dialog"}  # the first quarter was already closed

    # the case that had not started its plan moved too and still drafts it
    assert open_bpmn_ids("staf02") == {"susun_skp"} and case_of("staf02").process_version_id == v2.id


def test_migrating_a_blocked_case_fails_and_records_it_leaving_the_case_unchanged(session):
    past, _, _ = _cases_at_three_points()
    state, lock, version_id = past.state, past.lock_version, past.process_version_id
    v1, v2 = past.process_version, _second_version(session)
    run = case_migration.start_precheck(session, user("hr.admin"), v1, v2)
    case_migration.precheck(session, run.id)
    item = session.scalars(select(MigrationItem).where(MigrationItem.run_id == run.id,
                                                       MigrationItem.case_id == past.id)).one()
    result = case_migration.migrate_one(session, user("hr.admin"), run, item.id)
    assert result.result == "failed" and "kondisinya" in result.message
    session.expire_all()
    past = session.get(Case, past.id)
    assert (past.state, past.lock_version, past.process_version_id) == (state, lock, version_id)
    failed = session.scalars(select(AuditEvent).where(AuditEvent.case_id == past.id,
                                                      AuditEvent.action == "case_migration_failed")).one()
    assert "tetap pada versi 1" in failed.summary


def test_an_unchanged_structure_keeps_the_task_tree_and_the_waiting_timer_state(session):
    past, _, _ = _cases_at_three_points()
    runner = CaseRunner(session)
    before = sorted((t.task_spec.name, t.state) for t in runner.load(past, None).get_tasks())
    xml = past.process_version.bpmn_xml.replace('name="Dialog kinerja"', 'name="Dialog kinerja triwulan"')
    v2 = designer_service.deploy(session, user("hr.admin"), "performance_cycle", "Nama dialog", xml)
    notes = runner.migrate(past, v2, user("hr.admin").id)
    session.commit()
    assert notes == []
    after = sorted((t.task_spec.name, t.state) for t in runner.load(past, None).get_tasks())
    assert after == before
    assert session.scalars(select(HumanTask).where(HumanTask.case_id == past.id, HumanTask.status == "open",
                                                   HumanTask.bpmn_id == "dialog")).one().name == "Dialog kinerja triwulan"
