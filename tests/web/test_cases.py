"""Case list and case page: who sees which case, the current step and the history."""
import re

from app.extensions import db
from tests.conftest import text_of
from tests.helpers import approve_plan, case_of, open_task
from tests.web.conftest import RUJUKAN_STAFF, has_row, skp_form, visible


def _case_links(response) -> set[int]:
    return {int(m) for m in re.findall(r'href="/cases/(\d+)"', response.get_data(as_text=True))}


def test_employee_sees_only_own_case(login, cycle_started):
    client = login("staf02")
    response = client.get("/cases")
    assert response.status_code == 200
    assert _case_links(response) == {case_of("staf02").id}
    assert has_row(response, "Rudi Hartono", "Susun SKP")
    page = client.get(f"/cases/{case_of('staf02').id}")
    assert page.status_code == 200
    assert "Rudi Hartono · Siklus 2026" in text_of(page)


def test_list_before_any_cycle_is_empty(login):
    response = login("staf02").get("/cases")
    assert response.status_code == 200 and "Tidak ada kasus yang cocok." in text_of(response)


def test_supervisor_sees_subordinates_cases(login, cycle_started):
    client = login("kasi.rujukan")
    response = client.get("/cases")
    assert response.status_code == 200
    expected = {case_of(u).id for u in RUJUKAN_STAFF + ("kasi.rujukan",)}
    assert _case_links(response) == expected
    page = client.get(f"/cases/{case_of('staf02').id}")
    assert page.status_code == 200 and "Rudi Hartono" in text_of(page)


def test_employee_of_another_unit_gets_403(login, cycle_started):
    target = case_of("staf02").id
    for username in ("staf01", "staf05", "kasubbag.umpeg", "tim.it"):
        response = login(username).get(f"/cases/{target}")
        assert response.status_code == 403, username
        assert "Anda tidak berhak melihat kasus ini." in text_of(response)
        assert "Riwayat" not in text_of(response)


def test_unknown_case_is_404(login):
    assert login("hr.admin").get("/cases/999999").status_code == 404


def test_hr_and_auditor_see_all_cases(app, login, cycle_started):
    for username in ("hr.admin", "auditor"):
        client = login(username)
        response = client.get("/cases")
        assert response.status_code == 200
        assert "Halaman 1 / 2 · 34 baris" in text_of(response)
        assert len(_case_links(response)) == app.config["PAGE_SIZE"]
        assert len(_case_links(client.get("/cases?page=2"))) == 34 - app.config["PAGE_SIZE"]
        page = client.get(f"/cases/{case_of('staf02').id}")
        assert page.status_code == 200 and "Rudi Hartono" in text_of(page)


def test_case_filters(login, cycle_started):
    client = login("hr.admin")
    assert _case_links(client.get("/cases?q=Rudi")) == {case_of("staf02").id}
    nip = case_of("staf02").employee.nip
    assert _case_links(client.get(f"/cases?q={nip}")) == {case_of("staf02").id}
    assert "Tidak ada kasus yang cocok." in text_of(client.get("/cases?status=completed"))
    assert "Tidak ada kasus yang cocok." in text_of(client.get("/cases?cycle=2025"))
    assert "34 baris" in text_of(client.get("/cases?status=running&cycle=2026"))


def test_case_page_shows_current_step_and_history(login, chain_approved):
    task = open_task("staf02", "susun_skp")
    client = login("staf02")
    client.post(f"/tasks/{task.id}", data=skp_form(None, text="Draf pertama", action="save"))
    case_id = case_of("staf02").id
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    text = visible(page)
    assert "Langkah saat ini: Susun SKP" in text
    assert f'href="/tasks/{task.id}"' in page.get_data(as_text=True)
    assert "Riwayat" in text
    assert "Pengelola Kinerja BKPSDM : Kasus dimulai pada versi 1" in text
    assert "Rudi Hartono : Draf SKP disimpan (1 RHK)" in text
    assert "Draf pertama" in text and "Draf" in text


def test_case_page_history_after_review(login, chain_approved):
    case_id = case_of("kasi.rujukan").id
    text = visible(login("kabid.yankes").get(f"/cases/{case_id}"))
    assert "Ns. Maria Ulfa, S.Kep. : Menyelesaikan 'Susun SKP'" in text
    assert "dr. Andi Pratama, M.Kes. : Menyelesaikan 'Persetujuan SKP'" in text
    assert "Terkunci" in text
    assert "Langkah saat ini: Validasi aktivitas, Menunggu: Periode ditutup" in text


def test_auditor_reads_but_gets_no_retry_or_task_actions(login, cycle_started):
    page = login("auditor").get(f"/cases/{case_of('staf02').id}")
    assert page.status_code == 200
    assert "Ulangi langkah" not in text_of(page)


def test_anonymous_cases_redirect_to_login(client, cycle_started):
    assert client.get("/cases").status_code == 302
    response = client.get(f"/cases/{case_of('staf02').id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_jpt_case_visible_to_kadis_only_among_staff(login, cycle_started):
    approve_plan("kadis")
    case_id = case_of("kadis").id
    assert login("kadis").get(f"/cases/{case_id}").status_code == 200
    assert login("kabid.yankes").get(f"/cases/{case_id}").status_code == 403
    db.session.expire_all()
