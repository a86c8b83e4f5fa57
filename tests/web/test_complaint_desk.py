"""The PIC/IT desk: who sees it, its views by SLA state, filters, and bulk reassignment."""
import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from tests.complaint_helpers import (  # noqa: F401  (upload_dir is an autouse fixture)
    RUJUK_PIC,
    YANKES_PIC,
    act,
    at,
    file,
    fire,
    notified,
    open_task,
    upload_dir,
)
from tests.conftest import user
from tests.web.conftest import has_row, rows, visible


@pytest.fixture(autouse=True)
def monday_early():
    """Sign-ins happen at 08.30 on Monday 2 March 2026; later pages travel forward from there
    (never back: a session cookie from the future is refused)."""
    with time_machine.travel(at(2, 8, 30), tick=False):
        yield


def _desk(client, **args):
    response = client.get("/complaints/desk", query_string=args)
    assert response.status_code == 200
    return response


def test_only_pic_and_it_open_the_desk(login):
    for username in (RUJUK_PIC, YANKES_PIC, "staf27", "tim.it"):
        assert login(username).get("/complaints/desk").status_code == 200, username
    for username in ("staf02", "hr.admin", "auditor", "kasi.rujukan"):
        response = login(username).get("/complaints/desk")
        assert response.status_code == 403, username
        assert "Meja pengaduan khusus PIC dan Tim TI." in visible(response)


def test_each_pic_sees_the_units_they_handle(login):
    rujuk = file(description="Presensi Rujukan")
    surv = file("staf03", description="Presensi Surveilans")
    assert has_row(_desk(login(RUJUK_PIC)), rujuk.number) and not has_row(_desk(login(RUJUK_PIC)), surv.number)
    assert has_row(_desk(login("staf27")), surv.number) and not has_row(_desk(login("staf27")), rujuk.number)
    it = _desk(login("tim.it"))
    assert has_row(it, rujuk.number) and has_row(it, surv.number)


def test_views_follow_the_sla_clock(login):
    soon = file(category="login", description="Tidak bisa masuk")     # reminder 10.30, breach 11.00
    later = file(category="allowance", description="TPP bulan lalu")  # 8 hours to respond
    waiting = file(category="plan", description="SKP tidak tersimpan")
    act(RUJUK_PIC, waiting, at(2, 9, 30), decision="ask_info", message="Kapan terjadi?")
    client = login(RUJUK_PIC)
    with time_machine.travel(at(2, 10, 45), tick=False):
        assert {r.split()[0] for r in rows(_desk(client, view="soon"))} == {soon.number}
        opened = _desk(client)
        assert has_row(opened, soon.number) and has_row(opened, later.number) and not has_row(opened, waiting.number)
        assert "Segera lewat SLA 1" in visible(opened)
        assert has_row(_desk(client, view="waiting"), waiting.number)
    fire(at(2, 11))
    with time_machine.travel(at(2, 11, 5), tick=False):
        breached = _desk(client, view="breached")
        assert has_row(breached, soon.number, "SLA terlewati") and len(rows(breached)) == 1
        # Escalated to IT, it stays on the PIC's desk (level filter tells them apart).
        assert not has_row(_desk(client, level="pic"), soon.number)
        assert has_row(_desk(client, level="it"), soon.number)


def test_filters_and_search(login):
    login_problem = file(category="login", description="Lupa kata sandi")
    plan = file(category="plan", description="SKP hilang")
    other = file("staf05", category="plan", description="Tombol simpan mati")
    act(RUJUK_PIC, plan, at(2, 9, 15), decision="reply", message="Kami cek.")
    client = login(RUJUK_PIC)
    with time_machine.travel(at(2, 9, 20), tick=False):
        assert {r.split()[0] for r in rows(_desk(client, category="plan"))} == {plan.number, other.number}
        assert {r.split()[0] for r in rows(_desk(client, holder="mine"))} == {plan.number}
        assert {r.split()[0] for r in rows(_desk(client, holder="unclaimed"))} == {login_problem.number, other.number}
        assert {r.split()[0] for r in rows(_desk(client, q="Rina"))} == {other.number}
        assert {r.split()[0] for r in rows(_desk(client, q=plan.number))} == {plan.number}
        assert {r.split()[0] for r in rows(_desk(client, q="sandi"))} == {login_problem.number}
        assert "Tidak ada pengaduan yang cocok." in visible(_desk(client, view="closed"))


def test_bulk_reassignment_when_a_pic_is_away(login):
    first, second = file(description="Satu"), file(description="Dua")
    waiting = file(description="Tiga")
    act(RUJUK_PIC, first, at(2, 9, 10), decision="reply", message="Saya pegang.")
    act(RUJUK_PIC, second, at(2, 9, 10), decision="reply", message="Saya pegang juga.")
    act(RUJUK_PIC, waiting, at(2, 9, 10), decision="ask_info", message="Detailnya?")
    surv = file("staf03", description="Unit lain")
    colleague = login(YANKES_PIC)
    ids = [first.id, second.id, waiting.id, surv.id]
    with time_machine.travel(at(2, 9, 30), tick=False):
        response = colleague.post("/complaints/desk/reassign", data={
            "complaint_ids": [str(i) for i in ids], "target": str(user("staf27").id)}, follow_redirects=True)
        page = visible(response)
        assert "bukan anggota kelompok" in page  # the SURV PIC does not handle Seksi Rujukan
        assert open_task(first).claimed_by_id == user(RUJUK_PIC).id
        response = colleague.post("/complaints/desk/reassign", data={
            "complaint_ids": [str(i) for i in ids], "target": str(user(YANKES_PIC).id)}, follow_redirects=True)
    page = visible(response)
    assert f"2 pengaduan dialihkan: {first.number}, {second.number}" in page
    assert f"{waiting.number}: sedang menunggu pegawai" in page
    assert f"#{surv.id}: tidak ditemukan di meja Anda" in page
    assert open_task(first).claimed_by_id == user(YANKES_PIC).id
    assert open_task(second).claimed_by_id == user(YANKES_PIC).id
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "task_reassigned")).all()
    assert {e.case_id for e in events} == {first.case_id, second.case_id}
    assert all(e.actor_user_id == user(YANKES_PIC).id for e in events)

    # Back to the group's queue, then to the original PIC, who is told.
    with time_machine.travel(at(2, 9, 40), tick=False):
        colleague.post("/complaints/desk/reassign", data={"complaint_ids": [str(first.id)], "target": "0"})
        assert open_task(first).claimed_by_id is None
        colleague.post("/complaints/desk/reassign", data={"complaint_ids": [str(first.id)],
                                                          "target": str(user(RUJUK_PIC).id)})
    assert open_task(first).claimed_by_id == user(RUJUK_PIC).id
    assert notified(RUJUK_PIC, f"Pengaduan {first.number} dialihkan kepada Anda")


def test_reassignment_needs_a_selection_and_a_desk(login):
    complaint = file()
    response = login(RUJUK_PIC).post("/complaints/desk/reassign", data={"target": "0"}, follow_redirects=True)
    assert "Centang dulu pengaduan yang akan dialihkan." in visible(response)
    employee = login("staf05")
    response = employee.post("/complaints/desk/reassign", data={"complaint_ids": [str(complaint.id)], "target": "0"})
    assert response.status_code == 403
