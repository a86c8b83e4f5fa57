"""Diagrams that try to escape are refused at deploy; a run-time failure parks one case in error."""
import pytest
from sqlalchemy import select

from app.core.errors import Forbidden
from app.engine import specs
from app.engine.runner import CaseRunner
from app.engine.validation import DiagramRejected
from app.models import AuditEvent, HumanTask, ProcessVersion
from app.services.cases import overview as case_service
from app.services.designer.deployment import WORKFLOWS_DIR, deploy_xml
from app.services.tasks import completion as task_service
from app.services.tasks import types as task_types
from tests.conftest import employee, user
from tests.engine.diagrams import gateway_process, script_task_process


@pytest.mark.parametrize("condition, element, fragment", [
    ("().__class__.__base__", "f_yes", "__class__"),
    ("().__class__.__base__.__subclasses__()", "f_yes", "__class__"),
    ("__import__('os').system('true')", "f_yes", "__import__"),
    ("open('/etc/passwd')", "f_yes", "open"),
    ("[c for c in ()]", "f_yes", ""),
])
def test_escaping_conditions_are_refused_naming_the_element(session, condition, element, fragment):
    before = session.scalars(select(ProcessVersion)).all()
    with pytest.raises(DiagramRejected) as err:
        deploy_xml(session, gateway_process(condition))
    assert err.value.problems[0].element_id == element
    assert fragment in str(err.value)
    session.rollback()
    assert session.scalars(select(ProcessVersion)).all() == before


def test_script_task_is_refused_naming_it(session):
    with pytest.raises(DiagramRejected) as err:
        deploy_xml(session, script_task_process())
    assert [p.element_id for p in err.value.problems] == ["evil"]
    assert "script task" in err.value.problems[0].message


@pytest.mark.parametrize("xml, message", [
    ("<not-xml", "XML tidak valid"),
    ("<root/>", "bukan diagram BPMN"),
    (gateway_process("x == 1", lane="tukang_sapu"), "lane 'tukang_sapu'"),
])
def test_other_bad_diagrams_get_clear_messages(session, xml, message):
    with pytest.raises(DiagramRejected) as err:
        deploy_xml(session, xml)
    assert message in str(err.value)


def test_unknown_form_and_operator_are_deploy_errors(session):
    xml = gateway_process("x == 1").replace('value="acknowledge"', 'value="formulir_hantu"', 1)
    with pytest.raises(DiagramRejected, match="formulir 'formulir_hantu' tidak dikenal"):
        deploy_xml(session, xml)
    shipped = (WORKFLOWS_DIR / "performance_cycle.bpmn").read_text()
    with pytest.raises(DiagramRejected, match="operator 'hapus_semua' tidak terdaftar"):
        deploy_xml(session, shipped.replace('id="lock_plan"', 'id="hapus_semua"'))


def test_every_form_key_has_a_form_and_a_handler(app):
    assert task_types.keys()
    assert all(isinstance(t.form_class, type) and callable(t.handler) for t in task_types.all_types())


def test_deploy_versions_are_consecutive_and_identical_text_is_not_redeployed(session):
    first = deploy_xml(session, gateway_process("x == 1"))
    again = deploy_xml(session, gateway_process("x == 1"))
    second = deploy_xml(session, gateway_process("x == 2"))
    assert (first.version, again.id, second.version) == (1, first.id, 2)
    assert specs.active_version(session, "gw_test").id == second.id


def test_missing_variable_parks_the_case_in_error_and_retry_recovers(session):
    version = deploy_xml(session, gateway_process("nilai > 10"))
    session.commit()
    runner = CaseRunner(session)
    broken = runner.start(version, employee("staf02"), "2026", {}, None)
    healthy = runner.start(version, employee("staf05"), "2026", {"nilai": 99}, None)
    session.commit()
    for case, username, data in ((broken, "staf02", {}), (healthy, "staf05", {})):
        task = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)).one()
        task_service.complete(session, user(username), task.id, data)

    assert broken.status == "error"
    assert "gw" in broken.error_element and "nilai" in broken.error_message
    assert healthy.status == "running" and "Tugas yes" in healthy.current_step
    errors = session.scalars(select(AuditEvent).where(AuditEvent.case_id == broken.id,
                                                      AuditEvent.action == "case_error")).all()
    assert len(errors) == 1

    with pytest.raises(Forbidden):
        case_service.retry(session, user("staf02"), broken, '{"nilai": 1}')
    case_service.retry(session, user("hr.admin"), broken, '{"nilai": 1}')
    assert broken.status == "running" and "Tugas no" in broken.current_step


def test_completing_a_task_of_a_case_in_error_is_refused(session):
    version = deploy_xml(session, gateway_process("nilai > 10"))
    session.commit()
    case = CaseRunner(session).start(version, employee("staf02"), "2026", {}, None)
    session.commit()
    task = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)).one()
    task_service.complete(session, user("staf02"), task.id, {})
    assert case.status == "error"
    assert session.scalars(select(HumanTask).where(HumanTask.case_id == case.id,
                                                   HumanTask.status == "open")).all() == []
