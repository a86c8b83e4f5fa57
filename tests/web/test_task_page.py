"""The task page: who may open it, closed tasks, and a stale form posted after the task was done."""
from app.extensions import db
from app.models import Case
from tests.conftest import text_of
from tests.helpers import case_of, complete, open_task, plan_payload
from tests.web.conftest import review_form, skp_form


def test_assignee_opens_the_task(login, cycle_started):
    task = open_task("staf02", "susun_skp")
    client = login("staf02")
    response = client.get(f"/tasks/{task.id}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Susun SKP" in page and "Rudi Hartono" in page
    assert "Simpan draf" in page and "Kirim ke atasan" in page
    # staf02's supervisor has no RHK yet: the page says so instead of failing
    assert "Atasan Anda belum menyusun RHK tahun ini" in page


def test_another_employee_gets_403(login, cycle_started):
    task = open_task("staf02", "susun_skp")
    for other in ("staf05", "staf01", "kasi.rujukan", "auditor"):
        client = login(other)
        response = client.get(f"/tasks/{task.id}")
        assert response.status_code == 403, other
        assert "Tugas ini bukan milik Anda" in text_of(response)
        assert "Simpan draf" not in text_of(response)
        # and cannot post to it either
        response = client.post(f"/tasks/{task.id}", data=skp_form(action="save"))
        assert response.status_code == 403, other


def test_unknown_task_is_404(login):
    client = login("staf02")
    response = client.get("/tasks/999999")
    assert response.status_code == 404
    assert "Tidak ditemukan" in text_of(response)


def test_anonymous_task_page_redirects_to_login(client, cycle_started):
    task = open_task("staf02", "susun_skp")
    response = client.get(f"/tasks/{task.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_completed_task_returns_409(login, cycle_started):
    task = open_task("kadis", "susun_skp")
    complete("kadis", task, plan_payload(perspective="penerima_layanan"))
    client = login("kadis")
    response = client.get(f"/tasks/{task.id}")
    assert response.status_code == 409
    page = text_of(response)
    assert "sudah tidak terbuka" in page
    assert "Lihat keadaan kasus terkini" in page
    assert f'href="/cases/{task.case_id}"' in response.get_data(as_text=True)


def test_stale_form_after_completion_redirects_with_flash_and_changes_nothing(login, chain_approved):
    """Two tabs: the supervisor approves in one; the other tab's form is posted afterwards."""
    from tests.web.conftest import submit_plan_via_service

    submit_plan_via_service("staf02")
    review = open_task("staf02", "review_skp")
    client = login("kasi.rujukan")
    assert client.get(f"/tasks/{review.id}").status_code == 200  # tab 2 renders the form
    response = client.post(f"/tasks/{review.id}", data=review_form("approve"))  # tab 1 approves
    assert response.status_code == 302
    db.session.expire_all()
    case = case_of("staf02")
    before = (case.lock_version, case.status, case.current_step)

    response = client.post(f"/tasks/{review.id}", data=review_form("return", "Perbaiki target"))  # stale tab 2
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.id}")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "sudah tidak terbuka" in text_of(page)
    assert "Terkunci" in text_of(page)
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.lock_version, case.status, case.current_step) == before


def test_stale_skp_form_after_submit_keeps_submitted_plan(login, chain_approved):
    from tests.web.conftest import parent_ids

    task = open_task("staf02", "susun_skp")
    client = login("staf02")
    parent = parent_ids("staf02")[0]
    assert client.post(f"/tasks/{task.id}", data=skp_form(parent)).status_code == 302
    db.session.expire_all()
    case = case_of("staf02")
    before = (case.lock_version, case.status)
    response = client.post(f"/tasks/{task.id}", data=skp_form(parent, text="Versi lama dari tab lain", action="save"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.id}")
    page = client.get(response.headers["Location"])
    assert "sudah tidak terbuka" in text_of(page)
    assert "Versi lama dari tab lain" not in text_of(page)
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.lock_version, case.status) == before
