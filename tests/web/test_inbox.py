"""The inbox: who sees which task, group tasks with the claim button, filters and paging."""
import re

from app.extensions import db
from tests.conftest import text_of
from tests.helpers import complete, open_task, plan_payload
from tests.web.conftest import RUJUKAN_STAFF, has_row, rows, submit_plan_via_service


def _task_links(response) -> set[int]:
    return {int(m) for m in re.findall(r'href="[^"]*/tasks/(\d+)"', response.get_data(as_text=True))}


def test_inbox_is_empty_before_the_cycle(login):
    client = login("staf02")
    response = client.get("/inbox")
    assert response.status_code == 200
    assert "Tidak ada tugas yang cocok." in text_of(response)


def test_employee_sees_own_susun_skp_after_hr_starts_cycle(login):
    hr = login("hr.admin")
    response = hr.post("/hr/cycle", data={"unit_id": _root_id(), "year": "2026"}, follow_redirects=True)
    assert response.status_code == 200
    client = login("staf02")
    response = client.get("/inbox")
    assert response.status_code == 200
    assert has_row(response, "Susun SKP", "Rudi Hartono")
    assert open_task("staf02", "susun_skp").id in _task_links(response)


def test_another_employee_does_not_see_the_task(login, cycle_started):
    task = open_task("staf02", "susun_skp")
    client = login("staf05")
    response = client.get("/inbox")
    assert response.status_code == 200
    page = text_of(response)
    assert has_row(response, "Susun SKP", "Rina Marlina")  # staf05's own
    assert len(rows(response)) == 1
    assert "Rudi Hartono" not in page
    assert task.id not in _task_links(response)
    assert open_task("staf05", "susun_skp").id in _task_links(response)


def test_hr_sees_group_task_of_kadis_with_claim_button(login, cycle_started):
    complete("kadis", open_task("kadis", "susun_skp"), plan_payload(perspective="penerima_layanan"))
    review = open_task("kadis", "review_skp")
    assert review.candidate_role == "hr" and review.assignee_user_id is None
    client = login("hr.admin")
    response = client.get("/inbox")
    assert response.status_code == 200
    page = text_of(response)
    assert has_row(response, "Persetujuan SKP", "dr. Suyuti Syamsul", "kelompok", "Ambil")
    assert "kelompok" in page and "Ambil" in page
    assert f'action="/tasks/{review.id}/claim"' in response.get_data(as_text=True)
    assert "Dapat diambil: 1" in page
    # the employee whose plan it is does not get the review
    kadis = login("kadis")
    assert review.id not in _task_links(kadis.get("/inbox"))


def test_scope_filter_mine_and_claimable(login, cycle_started):
    complete("kadis", open_task("kadis", "susun_skp"), plan_payload(perspective="penerima_layanan"))
    review = open_task("kadis", "review_skp")
    client = login("hr.admin")
    mine = client.get("/inbox?scope=mine")
    assert mine.status_code == 200
    assert "Tidak ada tugas yang cocok." in text_of(mine)
    claimable = client.get("/inbox?scope=claimable")
    assert review.id in _task_links(claimable)
    client.post(f"/tasks/{review.id}/claim")
    mine = client.get("/inbox?scope=mine")
    assert review.id in _task_links(mine) and "Lepas" in text_of(mine)
    assert "Tidak ada tugas yang cocok." in text_of(client.get("/inbox?scope=claimable"))


def test_search_and_paging(app, login, chain_approved):
    for username in RUJUKAN_STAFF:
        submit_plan_via_service(username)
    client = login("kasi.rujukan")
    everything = client.get("/inbox")
    assert len(_task_links(everything)) == len(RUJUKAN_STAFF)
    assert all("Persetujuan SKP" in row for row in rows(everything))

    found = client.get("/inbox?q=Rudi")
    assert found.status_code == 200
    assert _task_links(found) == {open_task("staf02", "review_skp").id}
    assert "Rudi Hartono" in text_of(found) and "Rina Marlina" not in text_of(found)
    assert 'value="Rudi"' in found.get_data(as_text=True)
    assert "Tidak ada tugas yang cocok." in text_of(client.get("/inbox?q=Tidak+Ada+Orang+Ini"))

    old = app.config["PAGE_SIZE"]
    app.config["PAGE_SIZE"] = 5
    try:
        first = client.get("/inbox")
        second = client.get("/inbox?page=2")
        beyond = client.get("/inbox?page=99")
        junk = client.get("/inbox?page=abc")
    finally:
        app.config["PAGE_SIZE"] = old
    assert "Halaman 1 / 2 · 9 baris" in text_of(first) and "Berikutnya" in text_of(first)
    assert "Halaman 2 / 2" in text_of(second) and "Sebelumnya" in text_of(second)
    assert "Berikutnya" not in text_of(second)
    assert len(_task_links(first)) == 5 and len(_task_links(second)) == 4
    assert not _task_links(first) & _task_links(second)
    assert _task_links(beyond) == _task_links(second)
    assert _task_links(junk) == _task_links(first)


def test_paging_keeps_the_filters(app, login, chain_approved):
    for username in RUJUKAN_STAFF:
        submit_plan_via_service(username)
    client = login("kasi.rujukan")
    old = app.config["PAGE_SIZE"]
    app.config["PAGE_SIZE"] = 2
    try:
        response = client.get("/inbox?form=skp_review&q=a")
    finally:
        app.config["PAGE_SIZE"] = old
    html = response.get_data(as_text=True)
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', html).group(1)
    assert "form=skp_review" in next_link and "q=a" in next_link


def test_completed_filter_shows_done_tasks(login, cycle_started):
    task = open_task("kadis", "susun_skp")
    complete("kadis", task, plan_payload(perspective="penerima_layanan"))
    client = login("kadis")
    assert task.id not in _task_links(client.get("/inbox"))
    done = client.get("/inbox?status=completed")
    assert task.id in _task_links(done) and has_row(done, "Susun SKP", "dr. Suyuti Syamsul")


def _root_id():
    from sqlalchemy import select

    from app.models import OrgUnit
    return db.session.scalars(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))).one()
