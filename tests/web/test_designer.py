"""The designer pages and endpoints: right and wrong users, drafts, deploy with note, bad input,
rollback, consecutive versions under concurrent deploys, upload from another tool, migration pages
and the case diagram."""
import io
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.engine import specs
from app.extensions import db
from app.models import AuditEvent, MigrationRun, ProcessDraft, ProcessVersion, User
from app.services.designer import processes as designer_service
from app.services.designer.deployment import WORKFLOWS_DIR
from tests.conftest import text_of, user
from tests.engine.diagrams import gateway_process
from tests.engine.test_other_tools import CAMUNDA_DIAGRAM
from tests.helpers import case_of, start_cycle
from tests.web.conftest import visible

SHIPPED = (WORKFLOWS_DIR / "performance_cycle.bpmn").read_text()
RENAMED = SHIPPED.replace('name="Susun SKP"', 'name="Susun SKP tahunan"')
BASE = "/hr/processes"

PAGES = [f"{BASE}", f"{BASE}/performance_cycle", f"{BASE}/performance_cycle/modeler",
         f"{BASE}/performance_cycle/working.json", f"{BASE}/catalog.json",
         f"{BASE}/performance_cycle/versions/1.bpmn"]


@pytest.mark.parametrize("path", PAGES)
def test_designer_pages_are_for_hr_only(login, path):
    client = login("hr.admin")
    assert client.get(path).status_code == 200
    for other in ("staf02", "kasi.rujukan", "kadis"):
        assert login(other).get(path).status_code == 403
    client.post("/logout")
    assert client.get(path).status_code == 302


def test_process_list_shows_deployed_and_drafted_processes(login, session):
    client = login("hr.admin")
    page = text_of(client.get(BASE))
    assert "Siklus Kinerja Tahunan" in page and "performance_cycle" in page and "v1" in page
    designer_service.save_draft(session, user("hr.admin"), "izin_belajar", CAMUNDA_DIAGRAM, None)
    page = text_of(client.get(BASE))
    assert "izin_belajar" in page and "belum dideploy" in page


def test_working_xml_has_a_generated_layout_and_the_catalog_the_known_lists(login):
    client = login("hr.admin")
    working = client.get(f"{BASE}/performance_cycle/working.json").get_json()
    assert working["source"] == "active" and "BPMNShape" in working["xml"] and working["lock_version"] is None
    catalog = client.get(f"{BASE}/catalog.json").get_json()
    assert {"employee", "supervisor", "hr"} <= {lane["key"] for lane in catalog["lanes"]}
    assert {"skp", "approval", "acknowledge"} <= {form["key"] for form in catalog["forms"]}
    operators = {op["key"]: op for op in catalog["operators"]}
    assert operators["record_grade"]["parameters"] == ["period"] and operators["lock_plan"]["parameters"] == []


@pytest.mark.parametrize("xml, fragment", [
    ("<bpmn:definitions", "XML tidak valid"),
    ("<svg xmlns='http://www.w3.org/2000/svg'/>", "bukan diagram BPMN"),
    (gateway_process("().__class__") .replace('id="gw_test"', 'id="performance_cycle"'), "__class__"),
    (SHIPPED.replace('<bpmn:endEvent id="end_cycle" name="Siklus selesai" />', ""), "peristiwa akhir"),
])
def test_validate_lists_problems(login, xml, fragment):
    response = login("hr.admin").post(f"{BASE}/performance_cycle/validate", json={"xml": xml})
    problems = response.get_json()["problems"]
    assert any(fragment in p["message"] for p in problems), problems


def test_validate_a_sound_diagram(login):
    response = login("hr.admin").post(f"{BASE}/performance_cycle/validate", json={"xml": SHIPPED})
    assert response.get_json() == {"problems": []}


def test_draft_changes_nobody_and_a_stale_draft_is_refused(login, session, frozen_clock):
    client = login("hr.admin")
    saved = client.post(f"{BASE}/performance_cycle/draft", json={"xml": RENAMED, "lock_version": None})
    assert saved.status_code == 200
    lock = saved.get_json()["lock_version"]
    assert specs.active_version(session, "performance_cycle").version == 1
    assert "Susun SKP tahunan" in client.get(f"{BASE}/performance_cycle/working.json").get_json()["xml"]
    frozen_clock.shift(60)  # saved again a minute later: the same text, a new save
    again = client.post(f"{BASE}/performance_cycle/draft", json={"xml": RENAMED, "lock_version": lock})
    assert again.status_code == 200
    stale = client.post(f"{BASE}/performance_cycle/draft", json={"xml": SHIPPED, "lock_version": lock})
    assert stale.status_code == 409 and "baru saja disimpan" in stale.get_json()["error"]
    session.expire_all()
    assert "Susun SKP tahunan" in session.scalars(select(ProcessDraft)).one().bpmn_xml
    wrong = client.post(f"{BASE}/performance_cycle/draft", json={"xml": CAMUNDA_DIAGRAM, "lock_version": None})
    assert wrong.status_code == 422 and "izin_belajar" in wrong.get_json()["problems"][0]["message"]


def test_deploy_needs_a_note_then_makes_the_next_version_with_a_change_summary(login, session):
    client = login("hr.admin")
    client.post(f"{BASE}/performance_cycle/draft", json={"xml": RENAMED, "lock_version": None})
    missing = client.post(f"{BASE}/performance_cycle/deploy", json={"xml": RENAMED, "note": "  "})
    assert missing.status_code == 422 and missing.get_json()["field"] == "note"
    deployed = client.post(f"{BASE}/performance_cycle/deploy", json={"xml": RENAMED, "note": "Nama langkah"})
    assert deployed.status_code == 200 and deployed.get_json()["version"] == 2
    assert session.scalars(select(ProcessDraft)).first() is None
    page = visible(client.get(f"{BASE}/performance_cycle"))
    assert "Nama langkah" in page and "Langkah diganti nama: 'Susun SKP' menjadi 'Susun SKP tahunan'" in page
    assert "Pengelola Kinerja BKPSDM" in page
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "process_deployed")).one()


@pytest.mark.parametrize("xml, fragment", [
    ("<bpmn:definitions", "XML tidak valid"),
    ("this is not xml at all", "XML tidak valid"),
    ('<?xml version="1.0"?><html/>', "bukan diagram BPMN"),
    (SHIPPED.replace("</bpmn:definitions>", '<bpmn:process id="kedua" /></bpmn:definitions>')
     .replace('isExecutable="true"', ""), "tanpa satu proses utama"),
    (SHIPPED.replace("plan_decision == 'approve'", "__import__('os').system('true')"), "__import__"),
    (CAMUNDA_DIAGRAM, "bukan 'performance_cycle'"),
])
def test_bad_deploys_get_a_clear_message_and_the_active_version_stays(login, session, xml, fragment):
    response = login("hr.admin").post(f"{BASE}/performance_cycle/deploy", json={"xml": xml, "note": "Coba"})
    assert response.status_code == 422
    body = response.get_json()
    assert any(fragment in p["message"] for p in body.get("problems", [])) or fragment in body["error"], body
    session.expire_all()
    versions = session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == "performance_cycle")).all()
    assert [(v.version, v.is_active) for v in versions] == [(1, True)]


def test_rollback_makes_an_earlier_version_active_for_new_cases(login, session):
    client = login("hr.admin")
    client.post(f"{BASE}/performance_cycle/deploy", json={"xml": RENAMED, "note": "v2"})
    response = client.post(f"{BASE}/performance_cycle/versions/1/activate", data={"note": "v2 keliru"},
                           follow_redirects=True)
    assert "Versi 1 sekarang aktif" in text_of(response)
    session.expire_all()
    assert specs.active_version(session, "performance_cycle").version == 1
    start_cycle()
    assert case_of("staf02").process_version.version == 1
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "process_version_activated")).one()
    assert "v2 keliru" in event.summary and event.detail["previous"] == 2
    assert login("staf02").post(f"{BASE}/performance_cycle/versions/2/activate").status_code == 403


def test_two_hr_users_deploying_at_once_get_consecutive_distinct_versions(ctx, session):
    texts = [SHIPPED.replace('name="Susun SKP"', f'name="Susun SKP {i}"') for i in range(6)]
    errors = []

    def deploy(text):
        with ctx.app_context():
            own = Session(db.engine)
            try:
                hr = own.scalars(select(User).where(User.username == "hr.admin")).one()
                designer_service.deploy(own, hr, "performance_cycle", "bersamaan", text)
            except Exception as err:  # collected and asserted below
                errors.append(err)
            finally:
                own.close()

    threads = [threading.Thread(target=deploy, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    session.expire_all()
    rows = session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == "performance_cycle")
                           .order_by(ProcessVersion.version)).all()
    assert [v.version for v in rows] == list(range(1, 8))
    assert len({v.sha256 for v in rows}) == 7
    assert [v.version for v in rows if v.is_active] == [7]


def test_upload_from_another_tool_becomes_a_draft_of_its_process(login, session):
    client = login("hr.admin")
    bad = client.post(f"{BASE}/upload", data={"file": (io.BytesIO(b"hello"), "catatan.txt")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "berekstensi .bpmn" in text_of(bad)
    broken = client.post(f"{BASE}/upload", data={"file": (io.BytesIO(b"<bpmn:definitions"), "rusak.bpmn")},
                         content_type="multipart/form-data")
    assert broken.status_code == 422 and "XML tidak valid" in text_of(broken)
    ok = client.post(f"{BASE}/upload", data={"file": (io.BytesIO(CAMUNDA_DIAGRAM.encode()), "izin.bpmn")},
                     content_type="multipart/form-data")
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"{BASE}/izin_belajar/modeler")
    draft = session.scalars(select(ProcessDraft).where(ProcessDraft.process_id == "izin_belajar")).one()
    assert 'name="form" value="approval"' in draft.bpmn_xml
    assert client.get(f"{BASE}/izin_belajar/modeler").status_code == 200
    discarded = client.post(f"{BASE}/izin_belajar/draft/discard")
    assert discarded.headers["Location"].endswith(BASE)
    assert client.get(f"{BASE}/izin_belajar/modeler").status_code == 404
    imported = client.post(f"{BASE}/performance_cycle/import",
                           data={"file": (io.BytesIO(SHIPPED.encode()), "pc.bpmn")}, content_type="multipart/form-data")
    assert imported.status_code == 200 and "BPMNShape" in imported.get_json()["xml"]


def test_version_download_is_the_stored_text(login, session):
    response = login("hr.admin").get(f"{BASE}/performance_cycle/versions/1.bpmn")
    assert response.get_data(as_text=True) == specs.active_version(session, "performance_cycle").bpmn_xml
    assert "performance_cycle-v1.bpmn" in response.headers["Content-Disposition"]
    assert login("hr.admin").get(f"{BASE}/performance_cycle/versions/9.bpmn").status_code == 404


def test_migration_pages(login, session):
    start_cycle()
    client = login("hr.admin")
    client.post(f"{BASE}/performance_cycle/deploy", json={"xml": RENAMED, "note": "v2"})
    v1, v2 = session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == "performance_cycle")
                             .order_by(ProcessVersion.version)).all()
    started = client.post(f"{BASE}/performance_cycle/migrations",
                          data={"from_version": v1.id, "to_version": v2.id})
    run = session.scalars(select(MigrationRun)).one()
    assert started.headers["Location"].endswith(f"{BASE}/migrations/{run.id}")
    page = text_of(client.get(f"{BASE}/migrations/{run.id}"))
    assert "Dapat dimigrasikan" in page and case_of("staf02").employee.name in page
    assert client.get(f"{BASE}/migrations/{run.id}/progress.json").get_json()["state"] == "checked"
    done = client.post(f"{BASE}/migrations/{run.id}/all", follow_redirects=True)
    assert "sedang dimigrasikan" in text_of(done)
    session.expire_all()
    assert case_of("staf02").process_version_id == v2.id
    assert login("staf02").get(f"{BASE}/migrations/{run.id}").status_code == 403
    same = login("hr.admin").post(f"{BASE}/performance_cycle/migrations",
                                  data={"from_version": v2.id, "to_version": v2.id}, follow_redirects=True)
    assert "versi tujuan yang berbeda" in text_of(same)


def test_case_diagram_marks_for_the_right_people_only(login):
    start_cycle()
    case = case_of("staf02")
    for username in ("staf02", "kasi.rujukan", "hr.admin"):
        data = login(username).get(f"/cases/{case.id}/diagram.json").get_json()
        assert [c["id"] for c in data["current"]] == ["susun_skp"] and "start" in data["completed"]
        assert "BPMNShape" in data["xml"] and "f_start" in data["flows"]
    for username in ("staf05", "kasi.surv"):
        assert login(username).get(f"/cases/{case.id}/diagram.json").status_code == 403
    page = login("staf02").get(f"/cases/{case.id}")
    assert 'data-testid="case-viewer"' in page.get_data(as_text=True)
