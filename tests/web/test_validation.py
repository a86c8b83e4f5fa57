"""The monthly validation through the BPMN task: decide entries, reject with a reason, the
employee corrects and resubmits, accept the rest, complete; the month then closes."""
from datetime import UTC, date, datetime

from sqlalchemy import select

from app.engine.runner import CaseRunner
from app.extensions import db
from app.models import Notification, WorkLog, WorkMonth
from tests.conftest import employee, user
from tests.helpers import approve_plan, case_of, open_validations, start_cycle
from tests.web.conftest import visible
from tests.web.test_work_logs import log_form


def _two_logs(client):
    client.post("/logs/new", data=log_form(token="a", start="08:00", end="09:30"))
    client.post("/logs/new", data=log_form(token="b", start="10:00", end="11:00", description="Rapat koordinasi"))
    return {log.client_token: log for log in db.session.scalars(select(WorkLog))}


def test_april_validation_exists_although_q1_is_not_rated(chain_approved):
    approve_plan("staf02")
    task = open_validations("staf02")["2026-04"]
    assert task.name == "Validasi aktivitas April 2026"
    assert task.assignee_user_id == user("kasi.rujukan").id
    # The plan was approved on 20 November, long after April ended: the task is not born overdue
    # but due five working days from its opening (Friday 10:00 WIB -> Friday 27 November).
    assert task.due_at.isoformat() == "2026-11-27T03:00:00+00:00"


def test_a_month_opened_on_time_is_due_five_working_days_after_it_ends(ctx, frozen_clock):
    start_cycle()
    frozen_clock.move_to(datetime(2026, 1, 12, 2, 0, tzinfo=UTC))
    for username in ("kadis", "kabid.yankes", "kasi.rujukan", "staf02"):
        approve_plan(username)
    frozen_clock.move_to(datetime(2026, 3, 31, 17, 1, tzinfo=UTC))  # 1 April, 00:01 WIB
    CaseRunner(db.session).fire_timers(case_of("staf02"))
    db.session.commit()
    task = open_validations("staf02")["2026-04"]
    # Five working days after 30 April; 1 May is a holiday, so the end of 8 May (WIB).
    assert task.due_at.isoformat() == "2026-05-08T16:59:00+00:00"


def test_validation_flow(login, chain_approved):
    approve_plan("staf02")
    logs = _two_logs(login("staf02"))
    task = open_validations("staf02")["2026-04"]
    supervisor = login("kasi.rujukan")
    page = supervisor.get(f"/tasks/{task.id}")
    assert page.status_code == 200
    text = visible(page)
    assert "Rapat koordinasi" in text and "Menit tervalidasi: 0 / 6750" in text

    no_reason = supervisor.post(f"/validation/{task.id}/logs/{logs['b'].id}", data={"decision": "rejected"},
                                follow_redirects=True)
    assert "Tulis alasan penolakan" in visible(no_reason)
    supervisor.post(f"/validation/{task.id}/logs/{logs['b'].id}",
                    data={"decision": "rejected", "reason": "Lampirkan notulen"})
    supervisor.post(f"/validation/{task.id}/logs/{logs['a'].id}", data={"decision": "validated"})
    db.session.expire_all()
    assert (logs["a"].status, logs["b"].status, logs["b"].reject_reason) == ("validated", "rejected", "Lampirkan notulen")

    employee_client = login("staf02")
    assert "Lampirkan notulen" in visible(employee_client.get("/logs?month=2026-04"))
    note = db.session.scalars(select(Notification).where(Notification.user_id == user("staf02").id)).one()
    assert "ditolak atasan: Lampirkan notulen" in note.text
    assert employee_client.post(f"/logs/{logs['a'].id}/edit", data=log_form(token="a")).status_code == 422
    employee_client.post(f"/logs/{logs['b'].id}/edit",
                         data=log_form(token="b", start="10:00", end="11:00", link="https://arsip.example/notulen"))
    db.session.expire_all()
    assert (logs["b"].status, logs["b"].reject_reason) == ("submitted", "")

    supervisor = login("kasi.rujukan")
    supervisor.post(f"/validation/{task.id}/accept-all")
    response = supervisor.post(f"/tasks/{task.id}", data={})
    assert response.status_code == 302
    db.session.expire_all()
    month = db.session.scalars(select(WorkMonth).where(WorkMonth.employee_id == employee("staf02").id,
                                                       WorkMonth.month == date(2026, 4, 1))).one()
    assert month.validated_minutes == 150 and month.closed_at is not None
    assert "2026-04" not in open_validations("staf02")

    late = login("staf02").post("/logs/new", data=log_form(token="c", start="13:00", end="14:00"))
    assert late.status_code == 422 and "sudah ditutup" in visible(late)


def test_completing_with_undecided_entries_is_refused(login, chain_approved):
    approve_plan("staf02")
    _two_logs(login("staf02"))
    task = open_validations("staf02")["2026-04"]
    response = login("kasi.rujukan").post(f"/tasks/{task.id}", data={}, follow_redirects=True)
    assert "Masih ada 2 entri yang belum diterima atau ditolak" in visible(response)
    assert "2026-04" in open_validations("staf02")


def test_only_the_assignee_decides(login, chain_approved):
    approve_plan("staf02")
    logs = _two_logs(login("staf02"))
    task = open_validations("staf02")["2026-04"]
    for username in ("staf02", "staf05", "kasi.surv"):
        client = login(username)
        assert client.get(f"/tasks/{task.id}").status_code == 403
        assert client.post(f"/validation/{task.id}/logs/{logs['a'].id}", data={"decision": "validated"}).status_code == 403
        assert client.post(f"/validation/{task.id}/accept-all").status_code == 403
    db.session.expire_all()
    assert logs["a"].status == "submitted"


def test_an_entry_of_another_month_is_not_part_of_the_task(login, chain_approved):
    approve_plan("staf02")
    client = login("staf02")
    client.post("/logs/new", data=log_form(token="may", day="2026-05-04"))
    log = db.session.scalars(select(WorkLog)).one()
    task = open_validations("staf02")["2026-04"]
    assert login("kasi.rujukan").post(f"/validation/{task.id}/logs/{log.id}", data={"decision": "validated"}).status_code == 404
