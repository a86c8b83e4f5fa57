"""Daily work logs through the web: saving with evidence, refusals with their reasons, the same
form resubmitted once, and evidence access."""
import io
import re
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import ActionPlan, Evidence, WorkLog
from app.services.monitoring import action_plans
from tests.conftest import employee, text_of
from tests.helpers import approve_plan
from tests.web.conftest import visible

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
MONDAY = "2026-04-06"


def log_form(token="tok-1", day=MONDAY, start="08:00", end="09:30", files=None, **extra):
    data = {"day": day, "start_time": start, "end_time": end, "action_plan_id": "0",
            "description": "Menyusun laporan rujukan pasien", "quantity": "1", "unit": "laporan", "link": "",
            "client_token": token}
    if files is not None:
        data["files"] = files
    data.update(extra)
    return data


def count_logs(username="staf02"):
    return db.session.scalar(select(func.count()).select_from(WorkLog).where(
        WorkLog.employee_id == employee(username).id))


def test_new_log_page_has_a_fresh_token_and_help(login):
    page = login("staf02").get("/logs/new")
    assert page.status_code == 200
    assert re.search(r'name="client_token" type="hidden" value="[0-9a-f]{32}"', page.get_data(as_text=True))
    assert "Bantuan halaman ini" in text_of(page)


def test_log_with_evidence_is_saved_and_listed(login):
    client = login("staf02")
    response = client.post("/logs/new", data=log_form(files=[(io.BytesIO(PDF), "undangan.pdf")]),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    log = db.session.scalars(select(WorkLog)).one()
    assert (log.minutes, log.status, log.kind, log.flags) == (90, "submitted", "lainnya", [])
    assert log.evidence[0].original_name == "undangan.pdf" and log.evidence[0].content_type == "application/pdf"
    page = visible(client.get("/logs?month=2026-04"))
    assert "Menyusun laporan rujukan pasien" in page and "undangan.pdf" in page and "Menunggu validasi" in page


def test_resubmitting_the_same_form_creates_one_entry(login):
    client = login("staf02")
    assert client.post("/logs/new", data=log_form(token="same")).status_code == 302
    again = client.post("/logs/new", data=log_form(token="same"), follow_redirects=True)
    assert again.status_code == 200
    assert "sudah tersimpan sebelumnya" in visible(again)
    assert count_logs() == 1


def test_refusals_name_the_problem_and_save_nothing(login):
    client = login("staf02")
    client.post("/logs/new", data=log_form(token="first"))
    cases = [
        (log_form(token="a", start="10:00", end="09:00"), "Jam selesai harus setelah jam mulai."),
        (log_form(token="b", start="09:00", end="10:00"), "bertumpang tindih dengan entri lain pada hari yang sama (08:00–09:30)"),
        (log_form(token="c", day="2099-01-05"), "Tanggal belum tiba"),
        (log_form(token="d", start="10:00", end="11:00", files=[(io.BytesIO(b"MZ\x90\x00"), "program.exe")]),
         "jenis berkas tidak diizinkan"),
        (log_form(token="e", start="10:00", end="11:00", files=[(io.BytesIO(b"not a pdf"), "palsu.pdf")]),
         "isinya bukan berkas PDF yang sah"),
        (log_form(token="f", start="10:00", end="11:00", link="javascript:alert(1)"), "harus diawali http://"),
        (log_form(token="g", start="10:00", end="11:00", quantity="dua"), "Jumlah harus angka, misalnya 1 atau 2,5."),
        (log_form(token="h", start="10:00", end="11:00", quantity="0"), "Jumlah harus bilangan positif."),
        (log_form(token="i", start="10:00", end="11:00", quantity="1,255"), "lebih dari dua angka desimal"),
    ]
    for data, message in cases:
        response = client.post("/logs/new", data=data, content_type="multipart/form-data")
        assert response.status_code == 422, message
        page = visible(response)
        assert message in page, message
        assert "Menyusun laporan rujukan pasien" in page  # what was typed is still there
    assert count_logs() == 1
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0


def test_too_large_evidence_is_refused(login, app):
    client = login("staf02")
    big = PDF + b"0" * app.config["EVIDENCE_MAX_BYTES"]
    response = client.post("/logs/new", data=log_form(files=[(io.BytesIO(big), "besar.pdf")]),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "melebihi batas 5 MB" in visible(response)
    assert count_logs() == 0


def test_holiday_and_cap_are_flagged_not_refused(login):
    client = login("staf02")
    assert client.post("/logs/new", data=log_form(token="sat", day="2026-04-04")).status_code == 302
    assert client.post("/logs/new", data=log_form(token="long", start="07:30", end="16:00")).status_code == 302
    flags = {log.day.isoformat(): log.flags for log in db.session.scalars(select(WorkLog))}
    assert flags["2026-04-04"] == ["Dicatat pada hari libur atau akhir pekan."]
    assert "melebihi batas harian 450 menit" in flags[MONDAY][0]


def test_log_for_another_persons_action_plan_is_refused(login, chain_approved):
    approve_plan("staf05")
    result = action_plans.approved_results(db.session, employee("staf05").id, 2026)[0]
    other = ActionPlan(employee_id=employee("staf05").id, plan_result_id=result.id,
                       month=date(2026, 4, 1), text="Rencana staf05", unit="")
    db.session.add(other)
    db.session.commit()
    client = login("staf02")
    response = client.post("/logs/new", data=log_form(action_plan_id=str(other.id)))
    assert response.status_code == 422
    assert "Rencana aksi ini bukan milik Anda" in visible(response)
    assert count_logs() == 0


def test_evidence_is_served_only_to_those_in_scope(login):
    client = login("staf02")
    client.post("/logs/new", data=log_form(files=[(io.BytesIO(PDF), "bukti.pdf")]), content_type="multipart/form-data")
    item = db.session.scalars(select(Evidence)).one()
    url = f"/evidence/{item.id}"
    own = client.get(url)
    assert own.status_code == 200 and own.data == PDF and own.headers["X-Content-Type-Options"] == "nosniff"
    assert login("kasi.rujukan").get(url).status_code == 200      # the supervisor
    assert login("hr.admin").get(url).status_code == 200          # HR of the agency
    assert login("staf05").get(url).status_code == 403           # a colleague
    assert login("kasi.surv").get(url).status_code == 403         # another unit's supervisor


def test_edit_until_validated(login):
    client = login("staf02")
    client.post("/logs/new", data=log_form())
    log = db.session.scalars(select(WorkLog)).one()
    assert client.get(f"/logs/{log.id}/edit").status_code == 200
    response = client.post(f"/logs/{log.id}/edit", data=log_form(description="Laporan diperbaiki", end="10:00"))
    assert response.status_code == 302
    db.session.expire_all()
    assert (log.description, log.minutes) == ("Laporan diperbaiki", 120)
    assert login("staf05").get(f"/logs/{log.id}/edit").status_code == 403
    log.status = "validated"
    db.session.commit()
    refused = login("staf02").post(f"/logs/{log.id}/edit", data=log_form(description="Lagi"))
    assert refused.status_code == 422 and "sudah divalidasi" in visible(refused)


def test_log_pages_need_an_employee(login):
    assert login("hr.admin").get("/logs").status_code == 403
    assert login("auditor").get("/logs/new").status_code == 403


def test_the_form_starts_where_the_last_entry_ended(login):
    client = login("staf02")
    client.post("/logs/new", data=log_form(start="08:00", end="09:30"))
    page = client.get(f"/logs/new?day={MONDAY}").get_data(as_text=True)
    assert re.search(r'name="start_time"[^>]*value="09:30"', page)
    assert re.search(r'name="end_time"[^>]*value="10:30"', page)


def test_only_the_owner_deletes_an_entry(login):
    login("staf02").post("/logs/new", data=log_form())
    log = db.session.scalars(select(WorkLog)).one()
    assert login("staf05").post(f"/logs/{log.id}/delete").status_code == 403
    assert count_logs() == 1
    assert login("staf02").post(f"/logs/{log.id}/delete").status_code == 302
    assert count_logs() == 0
