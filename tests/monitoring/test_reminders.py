"""The daily reminder job: who is reminded, once per day, in the app and by mail when SMTP is set."""
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from app.core import notifications
from app.core.jobs.queue import enqueue
from app.engine.runner import CaseRunner
from app.extensions import db
from app.models import Absence, Notification, User, WorkLog
from app.services.monitoring import reminders
from tests.conftest import employee, user
from tests.helpers import approve_plan, case_of, start_cycle

TUESDAY_10_WIB = datetime(2026, 4, 7, 3, 0, tzinfo=UTC)


def _log(username, day):
    db.session.add(WorkLog(employee_id=employee(username).id, day=day, start_time=time(8), end_time=time(9),
                           minutes=60, description="Kerja", quantity=1, unit="dok", client_token=f"{username}{day}"))


def _notes(username):
    return list(db.session.scalars(select(Notification.text).where(Notification.user_id == user(username).id)))


def test_employees_without_a_log_for_the_previous_working_day(session):
    _log("staf02", date(2026, 4, 6))
    session.add(Absence(employee_id=employee("staf08").id, kind="cuti_tahunan", starts_on=date(2026, 4, 6),
                        ends_on=date(2026, 4, 6), status="approved"))
    session.commit()
    first = reminders.send_reminders(session, TUESDAY_10_WIB)
    employees_with_accounts = session.scalar(select(func.count()).select_from(User).where(User.employee_id.is_not(None)))
    assert first.employees == employees_with_accounts - 2
    assert _notes("staf02") == [] and _notes("staf08") == [] and _notes("hr.admin") == []
    assert _notes("staf05") == ["Anda belum mencatat aktivitas harian untuk 06-04-2026. Catat sebelum bulan ditutup "
                                "agar menit kerja Anda dihitung."]
    again = reminders.send_reminders(session, TUESDAY_10_WIB)
    assert (again.employees, again.supervisors) == (0, 0)
    # The Monday after Good Friday's weekend reminds about Thursday 2 April.
    reminders.send_reminders(session, datetime(2026, 4, 6, 3, 0, tzinfo=UTC))
    assert "02-04-2026" in _notes("staf05")[-1]


def test_supervisors_with_validations_past_due(session, frozen_clock):
    start_cycle()
    frozen_clock.move_to(datetime(2026, 1, 12, 2, 0, tzinfo=UTC))
    for username in ("kadis", "kabid.yankes", "kasi.rujukan", "staf02"):
        approve_plan(username)
    # Each month opens on its first day, as the sweeper fires its timer.
    for month in (2, 3, 4):
        frozen_clock.move_to(datetime(2026, month, 1, 0, 5, tzinfo=UTC))
        CaseRunner(session).fire_timers(case_of("staf02"))
        session.commit()
    result = reminders.send_reminders(session, TUESDAY_10_WIB)
    # staf02's January and February validations are past due on 7 April (March is due on 8 April).
    assert any(text.startswith("2 validasi aktivitas bawahan sudah lewat tenggat") for text in _notes("kasi.rujukan"))
    assert result.supervisors >= 1


def test_job_and_command_run_the_same_reminders(ctx, session):
    enqueue("workers.jobs.send_reminders")
    sent = session.scalar(select(func.count()).select_from(Notification))
    assert sent > 0
    output = ctx.test_cli_runner().invoke(args=["send-reminders"]).output
    assert output.strip() == "Reminders sent: 0 employees, 0 supervisors."
    assert session.scalar(select(func.count()).select_from(Notification)) == sent


def test_mail_goes_out_after_commit_when_smtp_is_configured(ctx, session, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            pass

        def login(self, *args):
            pass

        def send_message(self, message):
            sent.append(("mail", message["To"], message.get_content().strip()))

    monkeypatch.setattr(notifications.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(ctx.config, "SMTP_HOST", "smtp.test")
    staf = user("staf02")
    staf.email = "rudi@dinkes.test"
    session.commit()
    notifications.notify(session, staf.id, "Dibatalkan", "/logs")
    session.rollback()
    assert sent == []
    notifications.notify(session, staf.id, "Entri ditolak", "/logs/1/edit")
    notifications.notify(session, user("staf05").id, "Tanpa alamat surel")
    session.commit()
    assert sent == [("connect", "smtp.test", 587), ("mail", "rudi@dinkes.test", "Entri ditolak\n\n/logs/1/edit")]


def test_a_reminder_another_run_stored_meanwhile_is_not_stored_twice(session, monkeypatch):
    """Two runs of the job both found no reminder; the second to insert loses quietly and keeps
    the rest of its work."""
    staff = user("staf05").id
    session.add(Notification(user_id=staff, text="dari proses lain", created=TUESDAY_10_WIB, dedupe_key="log:x"))
    session.commit()
    assert notifications.notify(session, user("staf02").id, "yang lain", key="log:x")
    real_scalar = session.scalar
    monkeypatch.setattr(session, "scalar", lambda stmt, *a, **k: None if "dedupe_key" in str(stmt)
                        else real_scalar(stmt, *a, **k))
    assert notifications.notify(session, staff, "duplikat", key="log:x") is False
    monkeypatch.undo()
    session.commit()
    assert _notes("staf05") == ["dari proses lain"]
    assert _notes("staf02") == ["yang lain"]


def test_mail_is_a_job_queued_after_commit_not_sent_by_the_request(ctx, session, monkeypatch):
    queued = []
    monkeypatch.setattr(notifications.queue, "enqueue", lambda name, *args, **kw: queued.append((name, args)))
    monkeypatch.setattr(notifications.smtplib, "SMTP", lambda *a, **k: pytest.fail("mail sent inside the commit"))
    monkeypatch.setitem(ctx.config, "SMTP_HOST", "smtp.test")
    notifications.notify(session, user("staf02").id, "Entri ditolak", "/logs/1/edit")
    assert queued == []
    session.commit()
    (name, (ids,)), = queued
    stored = session.scalars(select(Notification).where(Notification.id.in_(ids))).all()
    assert name == notifications.MAIL_JOB and [n.text for n in stored] == ["Entri ditolak"]
