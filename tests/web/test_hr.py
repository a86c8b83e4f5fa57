"""HR pages: start a year's cycle (idempotent) and close a period, which advances waiting cases."""
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Case, OrgUnit, Period
from tests.conftest import text_of
from tests.helpers import approve_plan, case_of, open_bpmn_ids, open_task
from tests.web.conftest import has_row, visible


def _unit_id(code="DINKES"):
    return db.session.scalars(select(OrgUnit.id).where(OrgUnit.code == code)).one()


def _period(key):
    db.session.expire_all()
    return db.session.scalars(select(Period).where(Period.key == key)).one()


def test_cycle_page_for_hr(login):
    response = login("hr.admin").get("/hr/cycle")
    assert response.status_code == 200
    page = text_of(response)
    assert "Mulai siklus kinerja" in page
    assert "Dinas Kesehatan Provinsi Kalimantan Tengah" in page and "Seksi Pelayanan Kesehatan Rujukan" in page


def test_hr_pages_refuse_employees_and_auditor(login, cycle_started):
    period = _period("2026-Q1")
    for username in ("staf02", "kasi.rujukan", "kadis", "auditor"):
        client = login(username)
        for url in ("/hr/cycle", "/hr/periods"):
            response = client.get(url)
            assert response.status_code == 403, (username, url)
            assert "Halaman ini khusus pengelola kinerja (HR)." in text_of(response)
        assert client.post("/hr/cycle", data={"unit_id": _unit_id(), "year": "2027"}).status_code == 403
        assert client.post(f"/hr/periods/{period.id}/close").status_code == 403
    assert _period("2026-Q1").state == "open"
    assert db.session.scalar(select(func.count()).select_from(Case).where(Case.cycle_key == "2027")) == 0


def test_nav_shows_hr_links_only_to_hr(login):
    assert "Mulai siklus" in text_of(login("hr.admin").get("/inbox"))
    assert "Mulai siklus" not in text_of(login("staf02").get("/inbox"))


def _nav_groups(response):
    """Each navigation group's label with the links under it, and whether it shows as active."""
    html = response.get_data(as_text=True)
    groups = {}
    for block in re.findall(r'<li class="nav-item nav-group">(.*?)</details>', html, re.S):
        summary = re.search(r'<summary class="([^"]*)">(.*?)</summary>', block, re.S)
        links = [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<a [^>]*>(.*?)</a>", block, re.S)]
        groups[summary.group(2).strip()] = (links, "active" in summary.group(1).split())
    return groups


def test_nav_groups_own_work_and_hr_tools_behind_two_menus(login):
    hr = _nav_groups(login("hr.admin").get("/hr/processes"))
    assert hr["Kelola"] == (["Mulai siklus", "Periode", "Presensi & kalender", "TPP", "Operasional", "Desain proses"],
                            True)
    staff = _nav_groups(login("staf02").get("/logs"))
    assert staff == {"Pekerjaan saya": (["Aktivitas", "Rencana aksi", "Presensi", "Cuti", "TPP saya"], True)}
    assert _nav_groups(login("auditor").get("/inbox"))["Kelola"] == (["Rekap TPP"], False)
    assert _nav_groups(login("tim.it").get("/inbox")).get("Kelola", ([], False))[0] == ["Operasional"]


def test_starting_the_cycle_twice_is_idempotent(login):
    client = login("hr.admin")
    first = client.post("/hr/cycle", data={"unit_id": _unit_id(), "year": "2026"}, follow_redirects=True)
    assert first.status_code == 200
    assert "Siklus 2026: 34 kasus dimulai, 0 sudah ada." in text_of(first)
    assert "34 baris" in text_of(first)  # lands on the case list of that year
    second = client.post("/hr/cycle", data={"unit_id": _unit_id(), "year": "2026"}, follow_redirects=True)
    assert second.status_code == 200
    assert "Siklus 2026: 0 kasus dimulai, 34 sudah ada." in text_of(second)
    assert db.session.scalar(select(func.count()).select_from(Case)) == 34
    assert "2026: 34" in text_of(client.get("/hr/cycle"))


def test_starting_for_one_unit_only(login):
    client = login("hr.admin")
    response = client.post("/hr/cycle", data={"unit_id": _unit_id("RUJUK"), "year": "2026"}, follow_redirects=True)
    assert "Siklus 2026: 10 kasus dimulai, 0 sudah ada." in text_of(response)


def test_bad_year_is_422_with_message(login):
    client = login("hr.admin")
    for year, message in (("1999", "Tahun tidak valid."), ("", "Isi tahun."), ("dua ribu", "Isi tahun.")):
        response = client.post("/hr/cycle", data={"unit_id": _unit_id(), "year": year})
        assert response.status_code == 422, year
        assert message in text_of(response), year
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_unknown_unit_is_refused(login):
    response = login("hr.admin").post("/hr/cycle", data={"unit_id": "999999", "year": "2026"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_periods_page_lists_periods_with_waiting_counts(login, cycle_started):
    approve_plan("kadis")
    approve_plan("kabid.yankes")
    response = login("hr.admin").get("/hr/periods")
    assert response.status_code == 200
    page = text_of(response)
    for key in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"):
        assert key in page
    assert "2026-Q1 Triwulan 01-01-2026 – 31-03-2026 Terbuka 2 Tutup periode" in page
    assert "2026-03 Bulan 01-03-2026 – 31-03-2026 Terbuka 0 Tutup periode" in page


def test_periods_page_before_any_cycle(login):
    response = login("hr.admin").get("/hr/periods")
    assert response.status_code == 200
    assert "Belum ada periode. Mulai siklus terlebih dahulu." in text_of(response)


def test_closing_a_period_advances_waiting_cases(login, cycle_started):
    approve_plan("kadis")
    approve_plan("kabid.yankes")
    assert case_of("kabid.yankes").waiting_message == "period_closed:2026-Q1"
    period = _period("2026-Q1")
    client = login("hr.admin")
    response = client.post(f"/hr/periods/{period.id}/close", follow_redirects=True)
    assert response.status_code == 200
    page = text_of(response)
    assert "Penutupan periode 2026-Q1 sedang diproses." in page
    assert "Ditutup" in page
    assert _period("2026-Q1").state == "closed"
    assert open_bpmn_ids("kabid.yankes") == {"dialog"}

    # the supervisor (kadis) now has the dialog for kabid.yankes
    dialog = open_task("kabid.yankes", "dialog")
    kadis = login("kadis")
    inbox = kadis.get("/inbox")
    assert has_row(inbox, "Dialog kinerja", "dr. Andi Pratama", "2026-Q1")
    task_page = kadis.get(f"/tasks/{dialog.id}")
    assert task_page.status_code == 200
    assert "Dialog kinerja · 2026-Q1" in text_of(task_page)
    # kadis's own dialog has no supervisor: it goes to the HR group
    hr_inbox = login("hr.admin").get("/inbox?scope=claimable")
    assert has_row(hr_inbox, "Dialog kinerja", "dr. Suyuti Syamsul", "kelompok", "Ambil")


def test_closing_twice_is_harmless(login, cycle_started):
    approve_plan("kadis")
    period = _period("2026-Q1")
    client = login("hr.admin")
    client.post(f"/hr/periods/{period.id}/close")
    response = client.post(f"/hr/periods/{period.id}/close", follow_redirects=True)
    assert response.status_code == 200
    assert open_bpmn_ids("kadis") == {"dialog"}


def test_closing_unknown_period_is_404(login):
    assert login("hr.admin").post("/hr/periods/999999/close").status_code == 404


def test_dialog_form_through_the_web(login, cycle_started):
    approve_plan("kadis")
    approve_plan("kabid.yankes")
    client = login("hr.admin")
    client.post(f"/hr/periods/{_period('2026-Q1').id}/close")
    dialog = open_task("kabid.yankes", "dialog")
    kadis = login("kadis")
    response = kadis.post(f"/tasks/{dialog.id}", data={"held_on": "2026-03-30", "notes": "", "follow_ups": ""})
    assert response.status_code == 422
    assert "Catatan dialog wajib diisi." in text_of(response)
    response = kadis.post(f"/tasks/{dialog.id}", data={"held_on": "2026-03-30", "notes": "Capaian sesuai rencana",
                                                      "follow_ups": "Lanjutkan"})
    assert response.status_code == 302
    assert open_bpmn_ids("kabid.yankes") == {"rate_period"}
    case_page = visible(kadis.get(f"/cases/{dialog.case_id}"))
    assert "2026-Q1 · 30-03-2026" in case_page and "Capaian sesuai rencana" in case_page
