"""The complaint diagram end to end: claim, replies, the more-information pause, escalation by the
breach timer, resolution, reopening and closing by timer, with the clock frozen and advanced."""
import pytest
from sqlalchemy import select

from app.core.errors import Forbidden
from app.extensions import db
from app.models import AuditEvent, ComplaintBreach, HumanTask, WorkSchedule
from app.services.tasks import completion as task_service
from tests.complaint_helpers import (  # noqa: F401  (upload_dir is an autouse fixture)
    RUJUK_PIC,
    YANKES_PIC,
    act,
    at,
    file,
    fire,
    notified,
    open_task,
    png,
    upload_dir,
)
from tests.conftest import user


def _kinds(complaint):
    return [m.kind for m in complaint.messages]


def test_claim_reply_pause_resolve_reopen_and_auto_close(session):
    complaint = file(category="plan")  # 4 working hours to respond, 24 to resolve
    assert complaint.number == f"KDL-2026-{complaint.id:06d}"
    assert (complaint.status, complaint.level, complaint.sla_target) == ("new", "pic", "response")
    assert (complaint.sla_remind_at, complaint.sla_due_at) == (at(2, 12), at(2, 13))
    task = open_task(complaint)
    assert (task.bpmn_id, task.candidate_role, task.candidate_unit_path) == ("pic_handle", "pic", complaint.unit_path)
    assert task.due_at == at(2, 13)
    assert notified(RUJUK_PIC, "Pengaduan baru") and notified(YANKES_PIC, "Pengaduan baru")

    act(RUJUK_PIC, complaint, at(2, 9, 30), decision="reply", message="Sedang kami periksa.")
    assert complaint.status == "in_progress"
    assert (complaint.first_response_at, complaint.response_minutes) == (at(2, 9, 30), 30)
    # The reply keeps the complaint with the PIC who answered, now against the resolution target.
    task = open_task(complaint)
    assert task.bpmn_id == "pic_handle" and task.claimed_by_id == user(RUJUK_PIC).id
    assert (complaint.sla_target, complaint.sla_due_at) == ("resolution", at(4, 16))
    assert notified("staf02", "balasan dari")

    act(RUJUK_PIC, complaint, at(2, 10), decision="ask_info", message="Kirim tangkapan layar galatnya.")
    assert complaint.status == "waiting_employee"
    assert complaint.sla_due_at is None and [p.ended_at for p in complaint.pauses] == [None]
    task = open_task(complaint)
    assert (task.bpmn_id, task.assignee_user_id) == ("provide_info", user("staf02").id)

    act("staf02", complaint, at(3, 10), message="Ini tangkapannya.", files=[png()])
    assert complaint.status == "in_progress" and complaint.pauses[0].ended_at == at(3, 10)
    assert [a.original_name for a in complaint.messages[-1].attachments] == ["layar.png"]
    # The answer goes to the PIC who asked, not to the whole group.
    assert notified(RUJUK_PIC, "Informasi dari pegawai") and not notified(YANKES_PIC, "Informasi dari pegawai")
    # One hour used before the pause; the other 23 run from Tuesday 10.00 to Thursday 16.00.
    assert complaint.sla_due_at == at(5, 16)
    assert open_task(complaint).claimed_by_id == user(RUJUK_PIC).id

    act(RUJUK_PIC, complaint, at(5, 9), decision="resolve", message="Cache peramban dibersihkan.")
    assert complaint.status == "resolved" and complaint.resolved_at == at(5, 9)
    assert complaint.resolution_minutes == (1 + 6 + 8.5 + 1.5) * 60
    task = open_task(complaint)
    assert (task.bpmn_id, task.assignee_user_id, task.due_at) == ("confirm_fix", user("staf02").id, at(12, 9))

    act("staf02", complaint, at(6, 8), decision="reopen", message="Masih gagal menyimpan.")
    assert (complaint.status, complaint.reopen_count) == ("in_progress", 1)
    assert open_task(complaint).claimed_by_id == user(RUJUK_PIC).id
    assert complaint.sla_due_at == at(6, 15)  # 17 hours used, 7 left from Friday 08.00

    act(RUJUK_PIC, complaint, at(6, 10), decision="resolve", message="Versi formulir diperbarui.")
    assert complaint.resolution_minutes == 19 * 60
    # Five working days to confirm: Monday 9 to Friday 13 March.
    assert complaint.case.next_timer_at == at(13, 10)
    assert fire(at(13, 9, 59)).fired == 0
    assert fire(at(13, 10)).fired == 1
    db.session.refresh(complaint)
    assert (complaint.status, complaint.close_reason, complaint.closed_at) == ("closed", "auto", at(13, 10))
    assert complaint.case.status == "completed" and open_task(complaint) is None
    assert _kinds(complaint) == ["reply", "question", "info", "resolution", "reopen", "resolution", "system"]
    assert notified("staf02", "ditutup otomatis")


def test_escalation_to_it_by_timer_at_breach(session):
    complaint = file(category="login")  # 2 working hours to respond, 8 to resolve
    assert fire(at(2, 10, 29)).fired == 0
    assert fire(at(2, 10, 30)).fired == 1
    reminders = notified(RUJUK_PIC, "mendekati batas SLA respons pertama")
    assert reminders and notified(YANKES_PIC, "mendekati batas SLA respons pertama")
    assert open_task(complaint).bpmn_id == "pic_handle"

    assert fire(at(2, 10, 59)).fired == 0
    assert fire(at(2, 11)).fired == 1
    assert fire(at(2, 11)).fired == 0  # a second sweep finds nothing left to fire
    db.session.refresh(complaint)
    assert (complaint.status, complaint.level) == ("escalated", "it")
    breaches = session.scalars(select(ComplaintBreach).where(ComplaintBreach.complaint_id == complaint.id)).all()
    assert [(b.target, b.level, b.due_at) for b in breaches] == [("response", "pic", at(2, 11))]
    task = open_task(complaint)
    assert (task.bpmn_id, task.candidate_role) == ("it_handle", "it")
    assert notified("tim.it", "diteruskan ke Tim TI")
    assert not notified("tim.it", "mendekati batas SLA")  # the target was already missed
    assert notified("staf02", "diteruskan ke Tim TI")
    assert _kinds(complaint) == ["escalation"]
    assert session.scalars(select(AuditEvent.action).where(
        AuditEvent.case_id == complaint.case_id, AuditEvent.action == "complaint_sla_breached")).all()
    # The PIC's task was cancelled by the escalation: the PIC can no longer act on it.
    cancelled = session.scalars(select(HumanTask).where(HumanTask.case_id == complaint.case_id,
                                                        HumanTask.bpmn_id == "pic_handle")).one()
    assert cancelled.status == "cancelled"

    act("tim.it", complaint, at(2, 13), decision="resolve", message="Akun dibuka kembali.")
    assert (complaint.first_response_at, complaint.response_minutes) == (at(2, 13), 240)
    act("staf02", complaint, at(2, 14), decision="confirm", message="")
    assert (complaint.status, complaint.close_reason) == ("closed", "confirmed")
    assert complaint.case.status == "completed"
    # Still one breach: the IT stage's own timer found the response target already recorded.
    assert len(complaint.breaches) == 1


def test_pic_escalates_and_it_asks_the_employee(session):
    complaint = file(category="attendance")
    act(RUJUK_PIC, complaint, at(2, 9, 15), decision="escalate", message="Perlu pemeriksaan server presensi.")
    assert (complaint.level, complaint.status, complaint.first_response_at) == ("it", "escalated", at(2, 9, 15))
    assert open_task(complaint).candidate_role == "it"
    act("tim.it", complaint, at(2, 10), decision="ask_info", message="Pukul berapa presensi Anda ditolak?")
    assert complaint.status == "waiting_employee"
    act("staf02", complaint, at(2, 11), message="Pukul 07.25.")
    assert complaint.status == "escalated"
    task = open_task(complaint)
    assert (task.bpmn_id, task.claimed_by_id) == ("it_handle", user("tim.it").id)
    act("tim.it", complaint, at(2, 13), decision="resolve", message="Zona waktu perangkat diperbaiki.")
    act("staf02", complaint, at(2, 14), decision="reopen", message="Hari ini masih ditolak.")
    task = open_task(complaint)
    assert (task.bpmn_id, task.claimed_by_id, complaint.status) == ("it_handle", user("tim.it").id, "escalated")


def test_the_clock_stops_while_waiting_so_the_breach_comes_later(session):
    complaint = file(category="login")  # resolution within 8 working hours
    act(RUJUK_PIC, complaint, at(2, 9, 30), decision="ask_info", message="Pesan galatnya apa?")
    assert fire(at(3, 8, 30)).fired == 0  # without the pause the resolution target would break here
    act("staf02", complaint, at(3, 9, 30), message="Kata sandi salah terus.")
    # Half an hour used on Monday; 7.5 more from Tuesday 09.30: Tuesday to 16.00, then Wednesday to 08.30.
    assert (complaint.sla_remind_at, complaint.sla_due_at) == (at(3, 15), at(4, 8, 30))
    assert fire(at(3, 15)).fired == 1 and notified(RUJUK_PIC, "mendekati batas SLA penyelesaian")
    assert fire(at(4, 8, 29)).fired == 0
    assert fire(at(4, 8, 30)).fired == 1
    db.session.refresh(complaint)
    assert [(b.target, b.due_at) for b in complaint.breaches] == [("resolution", at(4, 8, 30))]
    assert complaint.level == "it"


def test_an_unanswered_request_closes_after_ten_working_days(session):
    complaint = file()
    act(RUJUK_PIC, complaint, at(2, 10), decision="ask_info", message="Kirim tangkapan layar.")
    assert complaint.case.next_timer_at == at(16, 10)
    assert fire(at(16, 9, 59)).fired == 0
    assert fire(at(16, 10)).fired == 1
    db.session.refresh(complaint)
    assert (complaint.status, complaint.close_reason, complaint.resolved_at) == ("closed", "no_reply", None)
    assert complaint.pauses[0].ended_at == at(16, 10)


def test_a_unit_without_pic_sends_complaints_to_it(session):
    complaint = file("kadis")
    task = open_task(complaint)
    assert (task.lane, task.candidate_role) == ("pic", "it")
    assert notified("tim.it", "Pengaduan baru")


def test_a_pic_of_another_unit_cannot_take_or_answer(session):
    complaint = file()
    task = open_task(complaint)
    with pytest.raises(Forbidden):
        task_service.claim(session, user("staf27"), task)
    task_service.claim(session, user(RUJUK_PIC), task)
    with pytest.raises(Forbidden):
        task_service.complete(session, user(YANKES_PIC), task.id, {"decision": "reply", "message": "x"})
    with pytest.raises(Forbidden):
        task_service.complete(session, user("staf27"), task.id, {"decision": "reply", "message": "x"})


def test_the_sla_counts_the_agency_office_hours_including_a_dated_schedule(session):
    agency_id = user("staf02").employee.agency_id
    days = {str(d): ["08:00", "15:00"] for d in range(5)}
    session.add(WorkSchedule(agency_id=agency_id, name="Ramadan", starts_on=at(3, 0).date(),
                             ends_on=at(3, 0).date(), hours=days))
    session.commit()
    complaint = file(category="login", when=at(2, 15))  # two hours: one on Monday, one on Ramadan Tuesday
    assert complaint.sla_due_at == at(3, 9)
