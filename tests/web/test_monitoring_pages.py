"""Action plans with supervisor comments, the compliance page and its CSV, notifications."""
from datetime import date

from sqlalchemy import select

from app.core import notifications
from app.extensions import db
from app.models import ActionPlan, Notification, OrgUnit, WorkLog
from app.services.monitoring import action_plans
from tests.conftest import employee, text_of, user
from tests.helpers import approve_plan
from tests.web.conftest import has_row, visible
from tests.web.test_work_logs import log_form


def test_action_plans_under_the_approved_plan(login, chain_approved):
    client = login("staf02")
    page = client.get("/action-plans?month=2026-04")
    assert "SKP tahun ini belum disetujui" in visible(page)
    approve_plan("staf02")
    client = login("staf02")
    result_id = action_plans.approved_results(db.session, employee("staf02").id, 2026)[0].id
    blank = client.post("/action-plans?month=2026-04", data={"plan_result_id": str(result_id), "text": ""})
    assert blank.status_code == 422 and "Tulis rencana aksinya." in visible(blank)
    saved = client.post("/action-plans?month=2026-04", data={"plan_result_id": str(result_id),
                                                            "text": "Verifikasi 40 berkas rujukan", "target": "40",
                                                            "unit": "berkas"})
    assert saved.status_code == 302
    plan = db.session.scalars(select(ActionPlan)).one()
    assert (plan.month, plan.employee_id) == (date(2026, 4, 1), employee("staf02").id)

    # The plan is offered on the log form of that month, and a log tied to it is main work.
    assert "Verifikasi 40 berkas rujukan" in visible(client.get("/logs/new?day=2026-04-06"))
    client.post("/logs/new", data=log_form(action_plan_id=str(plan.id)))
    assert db.session.scalars(select(WorkLog)).one().kind == "utama"

    supervisor = login("kasi.rujukan")
    url = f"/action-plans?month=2026-04&employee={employee('staf02').id}"
    assert "Verifikasi 40 berkas rujukan" in visible(supervisor.get(url))
    supervisor.post(f"/action-plans/{plan.id}/comment", data={"text": "Prioritaskan rujukan darurat"})
    assert "Prioritaskan rujukan darurat" in visible(login("staf02").get("/action-plans?month=2026-04"))
    assert db.session.scalars(select(Notification).where(Notification.user_id == user("staf02").id)).one()

    colleague = login("staf05")
    assert colleague.get(url).status_code == 403
    assert colleague.post(f"/action-plans/{plan.id}/comment", data={"text": "x"}).status_code == 403
    assert login("kasi.surv").get(url).status_code == 403


def test_compliance_for_supervisors_and_hr(login, chain_approved):
    approve_plan("staf02")
    login("staf02").post("/logs/new", data=log_form())
    client = login("kasi.rujukan")
    page = client.get("/compliance?month=2026-04")
    assert page.status_code == 200
    assert has_row(page, "Rudi Hartono", "0 / 6750")
    assert "Bantuan halaman ini" in text_of(page)
    assert has_row(client.get("/compliance?month=2026-04&sort=submitted&desc=1"), "Rudi Hartono", "90")
    csv = client.get("/compliance.csv?month=2026-04")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("NIP,Nama,Unit,Hari tercatat")
    assert any("Rudi Hartono" in line and ",90," in line for line in lines)
    assert len(lines) == 1 + 10  # the head of the section and nine staff
    hr = login("hr.admin")
    first_page = hr.get("/compliance?month=2026-04")
    assert first_page.status_code == 200 and "Halaman 1 / 2 · 34 baris" in visible(first_page)
    assert len(hr.get("/compliance.csv?month=2026-04").get_data(as_text=True).splitlines()) == 1 + 34


def test_compliance_refuses_staff_and_other_units(login):
    assert login("staf02").get("/compliance").status_code == 403
    assert login("staf02").get("/compliance.csv").status_code == 403
    surv = db.session.scalars(select(OrgUnit.id).where(OrgUnit.code == "SURV")).one()
    assert login("kasi.rujukan").get(f"/compliance?unit={surv}").status_code == 403


def test_notifications_page_and_unread_count(login):
    staf = user("staf02")
    notifications.notify(db.session, staf.id, "Pengingat uji", "/logs")
    notifications.notify(db.session, staf.id, "Kedua", None, key="k")
    assert notifications.notify(db.session, staf.id, "Kedua lagi", None, key="k") is False
    db.session.commit()
    client = login("staf02")
    page = client.get("/notifications")
    assert page.status_code == 200
    text = visible(page)
    assert "Pengingat uji" in text and "Kedua lagi" not in text
    assert "Notifikasi 2" in text
    note = db.session.scalars(select(Notification).where(Notification.text == "Pengingat uji")).one()
    opened = client.post(f"/notifications/{note.id}/open")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/logs")
    assert notifications.unread_count(db.session, staf.id) == 1
    assert login("staf05").post(f"/notifications/{note.id}/open").status_code == 404
    login("staf02").post("/notifications/read-all")
    assert notifications.unread_count(db.session, staf.id) == 0
