"""The period pages: list with kinds, confirmation of what is still open, progress, failures with a
retry, reopening with a reason, Redis down; HR of the agency only."""
from datetime import date, time

import pytest
from sqlalchemy import func, select

from app import demo_data
from app.engine.runner import CaseRunner
from app.extensions import db
from app.models import Agency, AuditEvent, OrgUnit, Period, PeriodCloseRun, RoleGrant, User, WorkLog
from app.services.trust.login import hash_password
from tests.conftest import employee, text_of
from tests.helpers import approve_plan, case_of, open_bpmn_ids
from tests.web.conftest import has_row, visible


def _period(key="2026-Q1") -> Period:
    db.session.expire_all()
    return db.session.scalars(select(Period).where(Period.key == key)).one()


@pytest.fixture
def waiting(cycle_started):
    for username in ("kadis", "kabid.yankes"):
        approve_plan(username)


def _unvalidated_log(day=date(2026, 2, 10)):
    db.session.add(WorkLog(employee_id=employee("staf02").id, day=day, start_time=time(8), end_time=time(9),
                           minutes=60, description="Rekap", quantity=1, unit="laporan", status="submitted",
                           client_token=f"w-{day}"))
    db.session.commit()


@pytest.fixture
def other_agency_hr(ctx):
    agency = Agency(code="DISDIK", name="Dinas Pendidikan")
    db.session.add(agency)
    db.session.flush()
    unit = OrgUnit(agency_id=agency.id, code="DISDIK", name="Dinas Pendidikan", path="")
    db.session.add(unit)
    db.session.flush()
    unit.path = f"/{unit.id}/"
    other = User(username="hr.disdik", display_name="HR Disdik", password_hash=hash_password(demo_data.DEMO_PASSWORD))
    db.session.add(other)
    db.session.flush()
    db.session.add(RoleGrant(user_id=other.id, role="hr", unit_id=unit.id))
    db.session.commit()
    return "hr.disdik"


def test_the_list_shows_months_quarters_and_the_year_with_a_filter(login, waiting):
    client = login("hr.admin")
    page = text_of(client.get("/hr/periods"))
    assert "2026-01 Bulan 01-01-2026 – 31-01-2026 Terbuka 0 Tutup periode" in page
    assert "2026-Q1 Triwulan 01-01-2026 – 31-03-2026 Terbuka 2 Tutup periode" in page
    assert "2026 Tahun 01-01-2026 – 31-12-2026 Terbuka" in page
    quarters = client.get("/hr/periods?kind=quarter")
    assert has_row(quarters, "2026-Q2") and not has_row(quarters, "2026-02")


def test_period_pages_refuse_everyone_but_hr_of_the_agency(login, waiting, other_agency_hr):
    period = _period()
    for username in ("staf02", "kasi.rujukan", "auditor", "tim.it"):
        client = login(username)
        for url in (f"/hr/periods/{period.id}", f"/hr/periods/{period.id}/progress"):
            assert client.get(url).status_code == 403, (username, url)
        for action in ("close", "resume", "retry", "reopen", "allowance"):
            assert client.post(f"/hr/periods/{period.id}/{action}").status_code == 403, (username, action)
    client = login(other_agency_hr)
    assert client.get(f"/hr/periods/{period.id}").status_code == 403
    assert client.post(f"/hr/periods/{period.id}/close").status_code == 403
    assert "Belum ada periode" in text_of(client.get("/hr/periods"))
    assert _period().state == "open"
    assert login("hr.admin").get("/hr/periods/999999").status_code == 404


def test_closing_with_unvalidated_logs_asks_to_confirm_then_closes(login, waiting):
    _unvalidated_log()
    client = login("hr.admin")
    response = client.post(f"/hr/periods/{_period().id}/close")
    assert response.status_code == 200
    page = visible(response)
    assert "1 catatan kerja belum divalidasi" in page
    assert has_row(response, employee("staf02").name, employee("staf02").nip, "1")
    assert "Tetap tutup periode" in page
    assert _period().state == "open" and open_bpmn_ids("kadis") == set()

    response = client.post(f"/hr/periods/{_period().id}/close", data={"confirm": "1"}, follow_redirects=True)
    page = visible(response)
    assert "Penutupan periode 2026-Q1 sedang diproses." in page
    assert "2 / 2 kasus selesai, 0 gagal." in page
    assert "Dikonfirmasi saat menutup: 1 catatan kerja belum divalidasi, 0 kasus belum dinilai." in page
    assert _period().state == "closed"
    assert open_bpmn_ids("kadis") == {"dialog"}


def test_failures_are_listed_with_a_retry(login, waiting, monkeypatch):
    broken = case_of("kabid.yankes").id
    deliver = CaseRunner.deliver_message

    def failing(self, case, *args, **kwargs):
        if case.id == broken:
            raise RuntimeError("koneksi terputus")
        return deliver(self, case, *args, **kwargs)

    monkeypatch.setattr(CaseRunner, "deliver_message", failing)
    client = login("hr.admin")
    page = client.post(f"/hr/periods/{_period().id}/close", follow_redirects=True)
    assert has_row(page, employee("kabid.yankes").name, "RuntimeError: koneksi terputus", "1", "Ulangi")
    assert "1 / 2 kasus selesai, 1 gagal." in visible(page)
    listing = text_of(client.get("/hr/periods"))
    assert "1 kasus gagal" in listing

    monkeypatch.setattr(CaseRunner, "deliver_message", deliver)
    page = client.post(f"/hr/periods/{_period().id}/retry", follow_redirects=True)
    assert "1 kasus gagal diproses ulang." in visible(page)
    assert "2 / 2 kasus selesai, 0 gagal." in visible(page)
    assert open_bpmn_ids("kabid.yankes") == {"dialog"}
    again = client.post(f"/hr/periods/{_period().id}/retry", follow_redirects=True)
    assert "Tidak ada kasus gagal yang dapat diulang." in visible(again)


def test_progress_is_served_as_json_for_the_bar(login, waiting):
    client = login("hr.admin")
    assert client.get(f"/hr/periods/{_period().id}/progress").get_json() == {
        "status": None, "total": 0, "done": 0, "failed": 0, "pending": 0, "percent": 0, "state": "open"}
    client.post(f"/hr/periods/{_period().id}/close")
    assert client.get(f"/hr/periods/{_period().id}/progress").get_json() == {
        "status": "finished", "total": 2, "done": 2, "failed": 0, "pending": 0, "percent": 100, "state": "closed"}
    month = client.get(f"/hr/periods/{_period('2026-03').id}/progress").get_json()
    assert month["allowance"] is None


def test_a_closing_period_shows_a_live_bar_and_a_continue_button(login, waiting):
    period = _period()
    period.state = "closing"
    db.session.add(PeriodCloseRun(period_id=period.id, status="running", total=2))
    db.session.commit()
    client = login("hr.admin")
    listing = client.get("/hr/periods").get_data(as_text=True)
    assert f'data-progress-url="/hr/periods/{period.id}/progress"' in listing
    detail = client.get(f"/hr/periods/{period.id}")
    assert "Lanjutkan penutupan" in text_of(detail)
    response = client.post(f"/hr/periods/{period.id}/resume", follow_redirects=True)
    assert "Penutupan periode 2026-Q1 dilanjutkan." in visible(response)
    assert _period().state == "closed" and open_bpmn_ids("kadis") == {"dialog"}


def test_reopening_needs_a_reason_and_is_shown(login, waiting):
    client = login("hr.admin")
    client.post(f"/hr/periods/{_period().id}/close")
    response = client.post(f"/hr/periods/{_period().id}/reopen", data={"reason": "salah"}, follow_redirects=True)
    assert "Alasan 10 sampai 2.000 karakter." in visible(response)
    assert _period().state == "closed"
    response = client.post(f"/hr/periods/{_period().id}/reopen",
                           data={"reason": "Impor absensi mesin sidik jari terlambat"}, follow_redirects=True)
    page = visible(response)
    assert "Periode 2026-Q1 dibuka kembali." in page
    assert "Terakhir dibuka kembali" in page and "Impor absensi mesin sidik jari terlambat" in page
    assert "Pengelola Kinerja BKPSDM: Periode 2026-Q1 dibuka kembali: Impor absensi mesin sidik jari terlambat" in page
    assert _period().state == "open"


def test_redis_down_keeps_the_pages_working_and_says_why_the_close_failed(login, waiting, ctx):
    client = login("hr.admin")
    ctx.config.update(JOBS_SYNC=False, REDIS_URL="redis://127.0.0.1:1/0")
    try:
        assert client.get("/hr/periods").status_code == 200
        response = client.post(f"/hr/periods/{_period().id}/close", follow_redirects=True)
        assert "Antrean tugas latar (Redis) tidak dapat dihubungi" in visible(response)
        assert client.get("/inbox").status_code == 200
    finally:
        ctx.config.update(JOBS_SYNC=True, REDIS_URL=None)
    assert _period().state == "open"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "period_closing")) == 0
