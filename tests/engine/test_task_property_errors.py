"""A user task's property that fails at run time parks the case in error like any failing step:
the element and the message are named, the stored state stays consistent, and HR's retry after
fixing the data opens the task with the property's real value."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from SpiffWorkflow.task import TaskState
from sqlalchemy import select

from app.core.errors import ServiceError
from app.engine.runner import CaseRunner
from app.models import AuditEvent, Case, HumanTask
from app.services.cases import overview as case_service
from app.services.designer.deployment import deploy_xml
from app.services.tasks import completion as task_service
from tests.conftest import employee, user
from tests.engine.diagrams import property_process

WIB = ZoneInfo("Asia/Jakarta")


def _rows(session, case, status=None):
    stmt = select(HumanTask).where(HumanTask.case_id == case.id)
    if status:
        stmt = stmt.where(HumanTask.status == status)
    return session.scalars(stmt.order_by(HumanTask.id)).all()


def _reach_checked(session, properties: dict, data: dict | None = None) -> Case:
    """A case of staf02 whose `first` task is completed, so `checked` becomes ready."""
    version = deploy_xml(session, property_process(properties))
    session.commit()
    case = CaseRunner(session).start(version, employee("staf02"), "2026", data or {}, None)
    session.commit()
    (first,) = _rows(session, case, "open")
    task_service.complete(session, user("staf02"), first.id, {})
    return case


def _state_of(session, case, bpmn_id: str) -> int:
    workflow = CaseRunner(session).load(case, None)
    (task,) = [t for t in workflow.get_tasks() if t.task_spec.bpmn_id == bpmn_id]
    return task.state


@pytest.mark.parametrize("properties, data, message", [
    ({"label": "'Periksa ' + judul"}, {}, "Properti 'label' tidak dapat dihitung: Variabel 'judul' tidak ada"),
    ({"due_at": "sla['due']"}, {"sla": {}}, "Properti 'due_at' tidak dapat dihitung: Kunci 'due' tidak ada"),
    ({"label": "'Tahap ' + str(10 / jumlah)"}, {"jumlah": 0}, "Properti 'label' tidak dapat dihitung: Pembagian dengan nol"),
    ({"due": "P2D", "due_anchor": "akhir_bulan"}, {"akhir_bulan": "pekan depan"},
     "Properti 'due_anchor' tidak dapat dihitung: hasilnya 'pekan depan' bukan tanggal ISO"),
    ({"due_at": "batas"}, {"batas": "besok sore"},
     "Properti 'due_at' tidak dapat dihitung: hasilnya 'besok sore' bukan tanggal-waktu ISO"),
    ({"period_key": "bulan['kunci']"}, {"bulan": {}}, "Properti 'period_key' tidak dapat dihitung: Kunci 'kunci' tidak ada"),
    # A property that `due` makes unused is read too: a broken diagram is an error either way.
    ({"due": "P2D", "due_at": "tenggat"}, {}, "Properti 'due_at' tidak dapat dihitung: Variabel 'tenggat'"),
])
def test_a_failing_property_parks_the_case_in_error_naming_the_element(session, properties, data, message):
    case = _reach_checked(session, properties, data)
    assert case.status == "error"
    assert case.error_element == "checked (Tugas diperiksa)"
    assert message in case.error_message
    assert case.current_step == "Galat di checked (Tugas diperiksa)"
    # The completed task stays completed; the failing one has no inbox row and is ERROR in the tree.
    assert [(t.bpmn_id, t.status) for t in _rows(session, case)] == [("first", "completed")]
    assert _state_of(session, case, "checked") == TaskState.ERROR
    errors = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id,
                                                      AuditEvent.action == "case_error")).all()
    assert [(e.element_id, e.summary) for e in errors] == [(case.error_element, case.error_message)]


def test_a_property_failing_on_the_first_task_parks_a_new_case(session):
    xml = property_process({}).replace('name="form" value="acknowledge" />',
                                       'name="form" value="acknowledge" />'
                                       '<spiffworkflow:property name="label" value="nama_tahap" />', 1)
    version = deploy_xml(session, xml)
    session.commit()
    case = CaseRunner(session).start(version, employee("staf02"), "2026", {}, None)
    session.commit()
    assert (case.status, case.error_element) == ("error", "first (Tugas first)")
    assert "Variabel 'nama_tahap' tidak ada" in case.error_message
    assert _rows(session, case) == []

    case_service.retry(session, user("hr.admin"), case, '{"nama_tahap": "Tahap awal"}')
    assert case.status == "running"
    assert [(t.bpmn_id, t.name) for t in _rows(session, case, "open")] == [("first", "Tahap awal")]


def test_the_stored_state_reads_back_as_it_was_saved(session):
    case = _reach_checked(session, {"label": "'Periksa ' + judul"})
    saved = (case.state, case.lock_version)
    session.expire_all()
    again = session.get(Case, case.id)
    assert (again.state, again.lock_version) == saved
    assert again.status == "error" and again.error_element == "checked (Tugas diperiksa)"
    # A task of a case in error cannot be completed, and there is none open to try.
    assert _rows(session, again, "open") == []


def test_hr_retry_without_the_data_keeps_the_error_and_with_it_opens_the_task(session):
    case = _reach_checked(session, {"label": "'Periksa ' + judul"})
    case_service.retry(session, user("hr.admin"), case, "")
    assert case.status == "error" and "Variabel 'judul'" in case.error_message
    assert _rows(session, case, "open") == []

    case_service.retry(session, user("hr.admin"), case, '{"judul": "laporan Oktober"}')
    assert case.status == "running" and case.error_element is None and case.error_message is None
    (row,) = _rows(session, case, "open")
    assert (row.bpmn_id, row.name, row.assignee_user_id) == ("checked", "Periksa laporan Oktober", user("staf02").id)
    assert _state_of(session, case, "checked") == TaskState.READY
    with pytest.raises(ServiceError, match="tidak dalam keadaan galat"):
        case_service.retry(session, user("hr.admin"), case, "")

    task_service.complete(session, user("staf02"), row.id, {})
    assert case.status == "completed"


def test_a_fixed_due_at_gives_the_task_its_deadline(session):
    case = _reach_checked(session, {"due_at": "sla['due']", "escalate_to": "hr"}, {"sla": {}})
    assert case.status == "error"
    case_service.retry(session, user("hr.admin"), case, '{"sla": {"due": "2026-11-27T16:00:00"}}')
    (row,) = _rows(session, case, "open")
    assert row.due_at == datetime(2026, 11, 27, 16, 0, tzinfo=WIB)
    assert row.escalate_at is not None and row.escalate_at > row.due_at


def test_an_empty_property_value_still_means_its_default(session):
    case = _reach_checked(session, {"label": "judul", "due_at": "batas"}, {"judul": "", "batas": None})
    assert case.status == "running"
    (row,) = _rows(session, case, "open")
    assert (row.name, row.due_at) == ("Tugas diperiksa", None)

