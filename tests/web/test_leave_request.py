"""Leave requested by the employee and decided by the supervisor through the leave_request diagram."""
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Absence, AttendanceDay, Case, HumanTask, Notification
from app.services.attendance.days import classify_range
from tests.conftest import employee, user
from tests.web.conftest import visible

REQUEST = {"kind": "cuti_tahunan", "starts_on": "2026-04-08", "ends_on": "2026-04-09", "reason": "Acara keluarga"}


def _review_task():
    absence = db.session.scalars(select(Absence)).one()
    return absence, db.session.scalars(select(HumanTask).where(HumanTask.case_id == absence.case_id,
                                                               HumanTask.status == "open")).one()


def test_request_goes_to_the_supervisor_and_approval_records_leave(login):
    client = login("staf02")
    assert client.get("/leave").status_code == 200
    assert client.post("/leave", data=REQUEST).status_code == 302
    absence, task = _review_task()
    assert absence.status == "requested"
    assert (task.form_key, task.assignee_user_id) == ("leave_review", user("kasi.rujukan").id)
    assert login("staf05").get(f"/tasks/{task.id}").status_code == 403

    supervisor = login("kasi.rujukan")
    page = supervisor.get(f"/tasks/{task.id}")
    assert page.status_code == 200 and "Acara keluarga" in visible(page)
    refused = supervisor.post(f"/tasks/{task.id}", data={"decision": "reject", "note": ""}, follow_redirects=True)
    assert "Tulis alasan penolakan untuk pegawai." in visible(refused)
    assert supervisor.post(f"/tasks/{task.id}", data={"decision": "approve", "note": ""}).status_code == 302
    db.session.expire_all()
    assert absence.status == "approved"
    assert db.session.get(Case, absence.case_id).status == "completed"
    note = db.session.scalars(select(Notification).where(Notification.user_id == user("staf02").id)).one()
    assert "disetujui" in note.text
    classify_range(db.session, [employee("staf02").id], date(2026, 4, 8), date(2026, 4, 9))
    assert {d.status for d in db.session.scalars(select(AttendanceDay))} == {"leave"}


def test_rejected_request_is_not_leave(login):
    login("staf02").post("/leave", data=REQUEST)
    absence, task = _review_task()
    login("kasi.rujukan").post(f"/tasks/{task.id}", data={"decision": "reject", "note": "Jadwal pelayanan padat"})
    db.session.expire_all()
    assert (absence.status, absence.decision_note) == ("rejected", "Jadwal pelayanan padat")
    assert "Jadwal pelayanan padat" in visible(login("staf02").get("/leave"))
    classify_range(db.session, [employee("staf02").id], date(2026, 4, 8), date(2026, 4, 8))
    assert db.session.scalars(select(AttendanceDay.status)).one() == "no_record"


def test_bad_requests_are_refused(login):
    client = login("staf02")
    backwards = client.post("/leave", data=dict(REQUEST, ends_on="2026-04-01"))
    assert backwards.status_code == 422 and "Tanggal selesai harus sama dengan atau setelah tanggal mulai." in visible(backwards)
    client.post("/leave", data=REQUEST)
    overlap = client.post("/leave", data=dict(REQUEST, kind="dinas_luar"))
    assert overlap.status_code == 422 and "Bertumpang tindih" in visible(overlap)
    assert login("hr.admin").get("/leave").status_code == 403
