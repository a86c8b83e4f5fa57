"""Complaint pages: "Lapor kendala" from any page, bad input, who reads which complaint, the task
page for the PIC and the employee, comments, files, and my complaints."""
import io

import pytest
import time_machine
from sqlalchemy import func, select

from app.extensions import db
from app.models import Complaint, ComplaintAttachment
from tests.complaint_helpers import (  # noqa: F401  (upload_dir is an autouse fixture)
    PNG,
    RUJUK_PIC,
    YANKES_PIC,
    act,
    at,
    file,
    open_task,
    png,
    upload_dir,
)
from tests.conftest import text_of
from tests.helpers import case_of
from tests.helpers import open_task as cycle_task
from tests.web.conftest import visible


@pytest.fixture(autouse=True)
def monday_noon():
    """Pages are used at noon on Monday 2 March 2026; steps taken with `act` at other instants."""
    with time_machine.travel(at(2, 12), tick=False):
        yield


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Complaint))


def _form(**extra) -> dict:
    data = {"category": "plan", "description": "Tombol kirim SKP tidak merespons.", "related_task_id": "0",
            "source_url": "/inbox"}
    data.update(extra)
    return data


def test_every_page_links_to_the_complaint_form_with_its_address(login, cycle_started):
    client = login("staf02")
    for path in ("/inbox", "/cases", "/help"):
        assert f'href="/complaints/new?from={path}"' in client.get(path).get_data(as_text=True), path
    body = client.get("/inbox?q=Rudi").get_data(as_text=True)
    assert 'href="/complaints/new?from=/inbox?q%3DRudi"' in body
    task = cycle_task("staf02", "susun_skp")
    body = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert f'href="/complaints/new?from=/tasks/{task.id}"' in body


def test_filing_from_a_task_page_links_the_task_and_its_case(login, cycle_started):
    task = cycle_task("staf02", "susun_skp")
    client = login("staf02")
    page = client.get(f"/complaints/new?from=/tasks/{task.id}")
    assert page.status_code == 200
    assert f'<option selected value="{task.id}">' in page.get_data(as_text=True)
    assert f"/tasks/{task.id}" in text_of(page)
    response = client.post("/complaints/new", data=_form(
        source_url=f"/tasks/{task.id}", related_task_id=str(task.id),
        files=[(io.BytesIO(PNG), "galat.png")]), content_type="multipart/form-data")
    assert response.status_code == 302
    complaint = db.session.scalars(select(Complaint)).one()
    assert (complaint.related_task_id, complaint.related_case_id) == (task.id, case_of("staf02").id)
    assert complaint.source_url == f"/tasks/{task.id}"
    assert response.headers["Location"].endswith(f"/complaints/{complaint.id}")
    detail = visible(client.get(f"/complaints/{complaint.id}"))
    assert f"Pengaduan {complaint.number} terkirim ke PIC unit Anda" in detail
    assert "Tombol kirim SKP tidak merespons." in detail
    assert "Baru" in detail and "galat.png" in detail and "Susun SKP" in detail
    assert complaint.number in visible(client.get("/complaints"))


def test_empty_description_is_refused_and_nothing_is_lost(login):
    client = login("staf02")
    response = client.post("/complaints/new", data=_form(description="   ", category="login"))
    assert response.status_code == 422
    page = visible(response)
    assert "Uraian kendala wajib diisi" in page
    assert 'value="login" selected' in response.get_data(as_text=True) or \
        '<option selected value="login">' in response.get_data(as_text=True)
    assert _count() == 0
    response = client.post("/complaints/new", data=_form(category=""))
    assert response.status_code == 422 and "Pilih kategori kendala." in visible(response)
    assert "Tombol kirim SKP tidak merespons." in response.get_data(as_text=True)  # the text is kept
    assert _count() == 0


def test_forbidden_and_oversized_attachments_are_refused(app, login, monkeypatch):
    client = login("staf02")
    cases = [
        ("virus.exe", b"MZ\x90\x00", "jenis berkas tidak diizinkan"),
        ("palsu.png", b"GIF89a....", "isinya bukan berkas PNG"),
    ]
    for name, content, message in cases:
        response = client.post("/complaints/new", data=_form(files=[(io.BytesIO(content), name)]),
                               content_type="multipart/form-data")
        assert response.status_code == 422, name
        assert message in visible(response), name
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024)
    response = client.post("/complaints/new", data=_form(files=[(io.BytesIO(PNG + b"\0" * 2048), "besar.png")]),
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "melebihi batas" in visible(response)
    response = client.post("/complaints/new", data=_form(files=[(io.BytesIO(PNG), f"l{i}.png") for i in range(6)]),
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Paling banyak 5 berkas" in visible(response)
    assert _count() == 0
    assert db.session.scalar(select(func.count()).select_from(ComplaintAttachment)) == 0


def test_an_outside_address_is_not_kept_as_the_source(login):
    client = login("staf02")
    for bad in ("https://evil.example/x", "//evil.example", "/\\evil.example"):
        page = client.get("/complaints/new", query_string={"from": bad})
        assert "evil.example" not in page.get_data(as_text=True)


def test_an_account_without_employee_record_is_told_what_to_do(login):
    page = login("tim.it").get("/complaints/new")
    assert page.status_code == 200
    assert "tidak terhubung dengan data pegawai" in visible(page)
    assert 'name="description"' not in page.get_data(as_text=True)


def test_who_may_read_a_complaint(login):
    complaint = file(files=[png()])
    attachment = complaint.attachments[0]
    allowed = ("staf02", RUJUK_PIC, YANKES_PIC, "tim.it", "hr.admin", "auditor")
    refused = ("staf05", "kasi.rujukan", "staf27", "staf01", "kadis")
    for username in allowed:
        client = login(username)
        page = client.get(f"/complaints/{complaint.id}")
        assert page.status_code == 200, username
        assert "Formulir SKP tidak tersimpan" in visible(page)
        assert client.get(f"/complaints/files/{attachment.id}").status_code == 200, username
    for username in refused:
        client = login(username)
        page = client.get(f"/complaints/{complaint.id}")
        assert page.status_code == 403, username
        assert "Anda tidak berhak melihat pengaduan ini." in visible(page)
        assert "Formulir SKP tidak tersimpan" not in visible(page)
        assert client.get(f"/complaints/files/{attachment.id}").status_code == 403, username
    assert login("staf02").get("/complaints/999999").status_code == 404


def test_staff_see_the_sla_and_the_reporter_does_not(login):
    complaint = file(category="login")
    staff = visible(login(RUJUK_PIC).get(f"/complaints/{complaint.id}"))
    assert "Tenggat berjalan" in staff and "02-03-2026 11:00" in staff and "lewat SLA" in staff
    own = visible(login("staf02").get(f"/complaints/{complaint.id}"))
    assert "Target SLA" in own and "Tenggat berjalan" not in own


def test_pic_answers_through_the_task_page(login):
    complaint = file()
    task = open_task(complaint)
    other = login("staf27")
    assert other.get(f"/tasks/{task.id}").status_code == 403
    client = login(RUJUK_PIC)
    page = client.get(f"/tasks/{task.id}")
    assert page.status_code == 200
    assert "Formulir SKP tidak tersimpan" in visible(page) and "Ambil tugas" in visible(page)
    client.post(f"/tasks/{task.id}/claim")
    response = client.post(f"/tasks/{task.id}", data={"decision": "reply", "message": " "})
    assert response.status_code == 422
    assert "Tulis pesan untuk pegawai" in visible(response)
    response = client.post(f"/tasks/{task.id}", data={"decision": "reply", "message": "Sudah kami teruskan ke admin."})
    assert response.status_code == 302
    reporter = login("staf02")
    detail = visible(reporter.get(f"/complaints/{complaint.id}"))
    assert "Sudah kami teruskan ke admin." in detail and "Sedang ditangani" in detail


def test_employee_answers_and_confirms_through_the_complaint_page(login):
    complaint = file()
    act(RUJUK_PIC, complaint, at(2, 10), decision="ask_info", message="Pakai peramban apa?")
    client = login("staf02")
    detail = client.get(f"/complaints/{complaint.id}")
    task = open_task(complaint)
    assert f'href="/tasks/{task.id}"' in detail.get_data(as_text=True)
    assert "Lengkapi informasi pengaduan" in visible(detail)
    response = client.post(f"/tasks/{task.id}", data={"message": ""})
    assert response.status_code == 422 and "Tuliskan informasi yang diminta petugas." in visible(response)
    response = client.post(f"/tasks/{task.id}", data={"message": "Chrome di ponsel.",
                                                      "files": [(io.BytesIO(PNG), "ponsel.png")]},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    act(RUJUK_PIC, complaint, at(2, 13), decision="resolve", message="Sudah diperbaiki.")
    task = open_task(complaint)
    with time_machine.travel(at(2, 14), tick=False):
        response = client.post(f"/tasks/{task.id}", data={"decision": "reopen", "message": ""})
        assert response.status_code == 422 and "Tuliskan apa yang masih belum berfungsi." in visible(response)
        response = client.post(f"/tasks/{task.id}", data={"decision": "confirm", "message": "Terima kasih."})
        assert response.status_code == 302
        detail = visible(client.get(f"/complaints/{complaint.id}"))
    db.session.refresh(complaint)
    assert (complaint.status, complaint.close_reason) == ("closed", "confirmed")
    assert "Ditutup" in detail and "Chrome di ponsel." in detail and "ponsel.png" in detail
    assert "Tambahkan informasi" not in detail


def test_reporter_adds_information_and_others_cannot(login):
    complaint = file()
    client = login("staf02")
    response = client.post(f"/complaints/{complaint.id}/comment", data={"message": ""})
    assert response.status_code == 422 and "Tulis informasi yang ingin Anda tambahkan." in visible(response)
    response = client.post(f"/complaints/{complaint.id}/comment", data={"message": "Terjadi lagi pukul 10.00."})
    assert response.status_code == 302
    assert "Terjadi lagi pukul 10.00." in visible(client.get(f"/complaints/{complaint.id}"))
    pic = login(RUJUK_PIC)
    assert pic.post(f"/complaints/{complaint.id}/comment", data={"message": "x"}).status_code == 403
    assert login("staf05").post(f"/complaints/{complaint.id}/comment", data={"message": "x"}).status_code == 403


def test_my_complaints_lists_only_mine(login):
    mine = file()
    other = file("staf05", description="Presensi ditolak")
    client = login("staf02")
    page = visible(client.get("/complaints"))
    assert mine.number in page and other.number not in page
    assert other.number not in visible(client.get("/complaints?status=open"))
    assert "Belum ada pengaduan." in visible(client.get("/complaints?status=closed"))


def test_a_complaint_case_is_shown_on_the_complaint_page_not_the_case_list(login, cycle_started):
    complaint = file()
    client = login("staf02")
    assert complaint.number not in visible(client.get("/cases"))
    response = client.get(f"/cases/{complaint.case_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/complaints/{complaint.id}")


def test_linked_case_is_shown_read_only_to_the_pic(login, cycle_started):
    task = cycle_task("staf02", "susun_skp")
    complaint = file(related_task_id=task.id)
    pic = login(RUJUK_PIC)
    page = visible(pic.get(f"/complaints/{complaint.id}"))
    assert "Keadaan kasus terkait (hanya baca)" in page and "Susun SKP" in page
    # Read-only: the PIC still cannot open the case page or the employee's task.
    assert pic.get(f"/cases/{case_of('staf02').id}").status_code == 403
    assert pic.get(f"/tasks/{task.id}").status_code == 403


def test_a_task_of_someone_else_cannot_be_linked(login, cycle_started):
    task = cycle_task("staf05", "susun_skp")
    client = login("staf02")
    response = client.post("/complaints/new", data=_form(related_task_id=str(task.id)))
    assert response.status_code == 422
    assert _count() == 0


def test_help_page_is_open_to_everyone(client, login):
    page = client.get("/help")
    assert page.status_code == 200
    text = visible(page)
    assert "Mengapa presensi saya ditolak?" in text and "Bagaimana TPP saya dihitung?" in text
    assert "Bagaimana cara mencatat aktivitas harian?" in text
    assert "/complaints/new" not in page.get_data(as_text=True)
    assert "/complaints/new" in login("staf02").get("/help").get_data(as_text=True)


def test_a_failed_complaint_step_is_shown_and_hr_can_reach_the_retry(login):
    complaint = file()
    complaint.case.status, complaint.case.error_message = "error", "Operasi gagal"
    db.session.commit()
    assert "Proses pengaduan ini berhenti karena galat: Operasi gagal" in visible(
        login(RUJUK_PIC).get(f"/complaints/{complaint.id}"))
    hr = login("hr.admin")
    assert "Ulangi langkahnya" in visible(hr.get(f"/complaints/{complaint.id}"))
    page = hr.get(f"/cases/{complaint.case_id}")
    assert page.status_code == 200 and "Ulangi langkah" in visible(page)
    assert login("staf02").get(f"/cases/{complaint.case_id}").status_code == 302
