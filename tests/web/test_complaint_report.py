"""Learning from complaints (the report, its chart data and CSV) and the SLA targets page."""
import csv
import io
import json
import re

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ComplaintSlaTarget
from tests.complaint_helpers import (  # noqa: F401  (upload_dir is an autouse fixture)
    RUJUK_PIC,
    act,
    at,
    file,
    fire,
    upload_dir,
)
from tests.web.conftest import visible

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture(autouse=True)
def mid_march():
    with time_machine.travel(at(16, 9), tick=False):
        yield


@pytest.fixture
def three_complaints():
    """Seksi Rujukan: a login complaint escalated at breach and solved by IT after 4 working hours,
    another answered by its PIC after one hour; Subbagian Umum: a plan complaint still open."""
    breached = file("staf02", category="login")
    fire(at(2, 11))
    act("tim.it", breached, at(2, 13), decision="resolve", message="Akun dibuka.")
    answered = file("staf05", category="login", description="Kata sandi ditolak")
    act(RUJUK_PIC, answered, at(2, 10), decision="reply", message="Coba lagi sekarang.")
    waiting = file("staf01", when=at(3, 9), category="plan", description="SKP hilang")
    return breached, answered, waiting


def _table(response, heading):
    """Rows (as lists of cell texts) of the table after an <h2> heading."""
    body = response.get_data(as_text=True)
    part = body.split(f">{heading}</h2>", 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", part, re.S) if "<td" in row]


def test_who_reads_the_report(login):
    for username in ("hr.admin", "tim.it", "auditor"):
        assert login(username).get("/complaints/report").status_code == 200, username
    for username in ("staf02", RUJUK_PIC, "kadis"):
        response = login(username).get("/complaints/report")
        assert response.status_code == 403, username
        assert "Laporan pengaduan khusus" in visible(response)
        assert login(username).get("/complaints/report?format=csv").status_code == 403


def test_counts_times_and_breaches(login, three_complaints):
    response = login("hr.admin").get("/complaints/report", query_string=MARCH)
    assert response.status_code == 200
    assert _table(response, "Per kategori") == [
        ["Masuk / akun", "2", "2", "2,5", "4", "1", "0"],
        ["SKP / rencana kinerja", "1", "1", "—", "—", "0", "0"],
    ]
    assert _table(response, "Per unit kerja") == [
        ["Seksi Pelayanan Kesehatan Rujukan", "2", "2", "2,5", "4", "1", "0"],
        ["Subbagian Umum dan Kepegawaian", "1", "1", "—", "—", "0", "0"],
    ]
    chart = json.loads(re.search(r'id="complaints-chart-data">(.*?)</script>',
                                 response.get_data(as_text=True), re.S).group(1))
    week = chart["labels"].index("02-03")
    counts = {s["label"]: s["data"][week] for s in chart["series"]}
    assert counts["Masuk / akun"] == 2 and counts["SKP / rencana kinerja"] == 1 and counts["Presensi"] == 0
    assert "vendor/chart.umd.min.js" in response.get_data(as_text=True)


def test_filters(login, three_complaints):
    client = login("tim.it")
    page = client.get("/complaints/report", query_string={**MARCH, "category": "plan"})
    assert [r[0] for r in _table(page, "Per kategori")] == ["SKP / rencana kinerja"]
    april = client.get("/complaints/report", query_string={"start": "2026-04-01", "end": "2026-04-30"})
    assert "Tidak ada pengaduan pada rentang ini." in visible(april)
    unit_id = re.search(r'<option value="(\d+)" >— — Seksi Pelayanan Kesehatan Rujukan',
                        page.get_data(as_text=True)).group(1)
    rujuk = client.get("/complaints/report", query_string={**MARCH, "unit": unit_id})
    assert [r[0] for r in _table(rujuk, "Per unit kerja")] == ["Seksi Pelayanan Kesehatan Rujukan"]


@pytest.mark.parametrize("args, message", [
    ({"start": "kemarin"}, "Tanggal harus berformat TTTT-BB-HH."),
    ({"start": "2026-03-31", "end": "2026-03-01"}, "Tanggal akhir tidak boleh sebelum tanggal awal."),
    ({"start": "2020-01-01", "end": "2026-03-01"}, "Rentang laporan paling panjang dua tahun."),
    ({"category": "printer"}, "Kategori tidak dikenal."),
])
def test_bad_filters_get_a_message(login, args, message):
    response = login("hr.admin").get("/complaints/report", query_string=args)
    assert response.status_code == 422
    assert message in visible(response)


def test_csv_export(login, three_complaints):
    breached, answered, waiting = three_complaints
    response = login("hr.admin").get("/complaints/report", query_string={**MARCH, "format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == "attachment; filename=pengaduan-2026-03-01-2026-03-31.csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Nomor", "Diajukan", "Minggu", "Unit kerja"]
    by_number = {r[0]: r for r in rows[1:]}
    assert set(by_number) == {breached.number, answered.number, waiting.number}
    assert by_number[breached.number][1:] == [
        "2026-03-02 09:00", "2026-03-02", "Seksi Pelayanan Kesehatan Rujukan", "Masuk / akun",
        "Selesai, menunggu konfirmasi", "Tim TI", "4.0", "4.0", "ya", "tidak", "0", ""]
    assert by_number[waiting.number][7:9] == ["", ""]
    assert "Rudi Hartono" not in text  # no reporter names in the export


def test_sla_targets_page(login):
    for username in ("staf02", RUJUK_PIC, "auditor"):
        assert login(username).get("/complaints/sla").status_code == 403, username
    client = login("tim.it")
    page = client.get("/complaints/sla")
    assert page.status_code == 200
    assert re.search(r'<input[^>]*name="response_login"[^>]*value="2"', page.get_data(as_text=True))
    form = {f"{kind}_{c}": str(v) for c, (r, s) in {
        "login": (1, 4), "attendance": (2, 8), "activity_log": (4, 16), "plan": (4, 24), "allowance": (8, 40),
        "other": (8, 40)}.items() for kind, v in (("response", r), ("resolution", s))}
    response = client.post("/complaints/sla", data={**form, "resolution_plan": "2"})
    assert response.status_code == 422
    assert "Target penyelesaian tidak boleh lebih singkat dari target respons." in visible(response)
    response = client.post("/complaints/sla", data={**form, "response_other": "0"})
    assert response.status_code == 422 and "Isi 1 sampai 400 jam kerja." in visible(response)
    assert db.session.scalars(select(ComplaintSlaTarget)).all() == []
    response = client.post("/complaints/sla", data=form)
    assert response.status_code == 302
    rows = db.session.scalars(select(ComplaintSlaTarget)).all()
    assert [(r.category, r.response_hours, r.resolution_hours) for r in rows] == [("login", 1, 4)]
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sla_target_changed")).one()
    complaint = file(category="login", when=at(16, 9))
    assert (complaint.response_hours, complaint.resolution_hours) == (1, 4)
    assert complaint.sla_due_at == at(16, 10)
