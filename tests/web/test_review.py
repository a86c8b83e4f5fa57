"""Plan review (form key "skp_review") through the web: return with or without a note, approve."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Plan
from tests.conftest import text_of
from tests.helpers import case_of, complete, open_bpmn_ids, open_task, plan_payload
from tests.web.conftest import has_row, review_form, submit_plan_via_service, visible


@pytest.fixture
def review(chain_approved):
    submit_plan_via_service("staf02")
    return open_task("staf02", "review_skp")


def _plan(username):
    db.session.expire_all()
    return db.session.scalars(select(Plan).where(Plan.case_id == case_of(username).id)).one()


def test_supervisor_sees_the_submitted_plan_and_the_form(login, review):
    client = login("kasi.rujukan")
    response = client.get(f"/tasks/{review.id}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Persetujuan SKP" in page and "Rudi Hartono" in page
    assert "SKP yang diajukan" in page and "Terlaksananya layanan rujukan 1" in page
    assert "Menunggu persetujuan" in page
    assert "Setujui SKP" in page and "Kembalikan untuk diperbaiki" in page and "Kirim keputusan" in page


def test_employee_cannot_review_own_plan(login, review):
    client = login("staf02")
    response = client.get(f"/tasks/{review.id}")
    assert response.status_code == 403 and "Tugas ini bukan milik Anda" in text_of(response)
    response = client.post(f"/tasks/{review.id}", data=review_form("approve"))
    assert response.status_code == 403
    assert _plan("staf02").status == "submitted"


def test_return_without_note_is_refused(login, review):
    client = login("kasi.rujukan")
    response = client.post(f"/tasks/{review.id}", data=review_form("return", "   ", akuntabel="Tepat waktu"))
    assert response.status_code == 422
    page = text_of(response)
    assert "Tulis catatan untuk pegawai saat mengembalikan SKP." in page
    assert re.search(r'<input checked[^>]*value="return"', response.get_data(as_text=True))
    assert "Tepat waktu" in page  # typed expectation kept
    assert _plan("staf02").status == "submitted"
    assert open_bpmn_ids("staf02") == {"review_skp"}


def test_no_decision_is_refused(login, review):
    client = login("kasi.rujukan")
    response = client.post(f"/tasks/{review.id}", data={"note": "Catatan saja"})
    assert response.status_code == 422
    assert "Pilih keputusan." in text_of(response)
    assert "Catatan saja" in text_of(response)
    assert open_bpmn_ids("staf02") == {"review_skp"}


def test_return_with_note_sends_plan_back_with_the_note(login, review):
    client = login("kasi.rujukan")
    response = client.post(f"/tasks/{review.id}", data=review_form("return", "Target rujukan terlalu rendah"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")
    assert "Tugas 'Persetujuan SKP' selesai." in visible(client.get("/inbox"))
    plan = _plan("staf02")
    assert plan.status == "returned" and plan.return_note == "Target rujukan terlalu rendah"

    employee = login("staf02")
    inbox = employee.get("/inbox")
    assert has_row(inbox, "Susun SKP", "Rudi Hartono")
    task = open_task("staf02", "susun_skp")
    page = employee.get(f"/tasks/{task.id}")
    assert page.status_code == 200
    assert "SKP dikembalikan oleh atasan dengan catatan" in text_of(page)
    assert "Target rujukan terlalu rendah" in text_of(page)
    # the earlier content is in the form, ready to fix
    assert "Terlaksananya layanan rujukan 1" in text_of(page)
    case_page = employee.get(f"/cases/{task.case_id}")
    assert "Dikembalikan" in text_of(case_page) and "Target rujukan terlalu rendah" in text_of(case_page)


def test_approve_locks_the_plan(login, review):
    client = login("kasi.rujukan")
    response = client.post(f"/tasks/{review.id}", data=review_form("approve", akuntabel="Laporan tiap tanggal 5"))
    assert response.status_code == 302
    plan = _plan("staf02")
    assert plan.status == "approved"
    page = login("staf02").get(f"/cases/{plan.case_id}")
    assert page.status_code == 200
    text = text_of(page)
    assert "Terkunci" in text and "Disetujui" in text
    assert "Laporan tiap tanggal 5" in text
    assert "Tidak ada tugas yang cocok." in text_of(login("staf02").get("/inbox?scope=mine"))


def test_group_review_of_jpt_plan_needs_a_claim(login, cycle_started):
    complete("kadis", open_task("kadis", "susun_skp"), plan_payload(perspective="penerima_layanan"))
    review = open_task("kadis", "review_skp")
    client = login("hr.admin")
    page = client.get(f"/tasks/{review.id}")
    assert page.status_code == 200
    assert "Tugas kelompok: ambil tugas ini untuk mengerjakannya." in text_of(page)
    assert "Ambil tugas" in text_of(page) and "Kirim keputusan" not in text_of(page)
    response = client.post(f"/tasks/{review.id}", data=review_form("approve"))
    assert response.status_code == 403
    assert "Ambil tugas ini terlebih dahulu." in text_of(response)
    assert open_bpmn_ids("kadis") == {"review_skp"}


def _rendered_form(response) -> dict:
    """The fields a browser would send back from the review form as rendered (radios excluded)."""
    html = response.get_data(as_text=True)
    return {name: value for name, value in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>\s*([^<]*)</textarea>', html)}


def test_review_form_starts_from_the_plans_expectations_and_keeps_them(login, chain_approved):
    from tests.web.conftest import parent_ids, skp_form
    task = open_task("staf02", "susun_skp")
    employee = login("staf02")
    assert employee.post(f"/tasks/{task.id}", data=skp_form(parent_ids("staf02")[0])).status_code == 302
    review = open_task("staf02", "review_skp")
    client = login("kasi.rujukan")
    page = client.get(f"/tasks/{review.id}")
    fields = _rendered_form(page)
    assert fields["expectations-akuntabel"] == "Laporan tepat waktu"
    fields.update(decision="approve", **{"expectations-kolaboratif": "Aktif dalam tim rujukan"})
    assert client.post(f"/tasks/{review.id}", data=fields).status_code == 302
    expectations = {e.value_key: e.expectation for e in _plan("staf02").expectations if e.expectation}
    assert expectations == {"akuntabel": "Laporan tepat waktu", "kolaboratif": "Aktif dalam tim rujukan"}
