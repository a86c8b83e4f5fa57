"""Closing a period: runs and items, failures and retry, twice, stalled, Redis down, reopen.

Jobs run in the test's process (JOBS_SYNC), each in its own app context and session, as a
worker would; the RQ tests in tests/workers run the same jobs in real `rq worker` processes.
"""
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select, text

from app.core.clock import utcnow
from app.core.errors import ServiceError
from app.engine.runner import CaseRunner
from app.extensions import db
from app.models import AuditEvent, Case, Period, PeriodCloseItem, PeriodCloseRun, WorkLog
from app.services.cycle import period_batches as period_close
from app.services.cycle import periods
from app.services.monitoring import work_logs
from tests.conftest import employee, user
from tests.helpers import approve_plan, case_of, complete, open_bpmn_ids, open_task, start_cycle
from workers import jobs

HEADS = ("kadis", "kabid.yankes", "kabid.p2p", "sekretaris")


def _period(key="2026-Q1") -> Period:
    db.session.expire_all()
    return db.session.scalars(select(Period).where(Period.key == key)).one()


def _messages(case_id) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.case_id == case_id, AuditEvent.action == "message"))


def _items(run_id, status=None):
    stmt = select(PeriodCloseItem).where(PeriodCloseItem.run_id == run_id)
    if status:
        stmt = stmt.where(PeriodCloseItem.status == status)
    return db.session.scalars(stmt).all()


@pytest.fixture
def waiting(ctx):
    start_cycle()
    for username in HEADS:
        approve_plan(username)
    return [case_of(u).id for u in HEADS]


def test_close_advances_every_waiting_case_once_and_records_the_run(waiting):
    period = _period()
    run = periods.request_close(db.session, period, user("hr.admin").id)
    period = _period()
    assert period.state == "closed" and period.closed_by_id == user("hr.admin").id
    run = db.session.get(PeriodCloseRun, run.id)
    assert run.status == "finished" and run.total == 4
    assert {i.case_id: i.status for i in _items(run.id)} == {case_id: "done" for case_id in waiting}
    for username in HEADS:
        assert open_bpmn_ids(username) == {"dialog"}
    assert [_messages(case_id) for case_id in waiting] == [1, 1, 1, 1]
    summaries = db.session.scalars(select(AuditEvent.summary).where(AuditEvent.action.like("period_clos%"))).all()
    assert "Penutupan periode 2026-Q1 dimulai" in summaries
    assert "Periode 2026-Q1 ditutup: 4 kasus maju, 0 gagal" in summaries
    assert periods.progress(db.session, run) == {"status": "finished", "total": 4, "done": 4, "failed": 0,
                                                 "pending": 0, "percent": 100}


def test_closing_twice_advances_nobody_twice(waiting):
    periods.request_close(db.session, _period(), user("hr.admin").id)
    with pytest.raises(ServiceError, match="sudah ditutup dan tidak ada kasus yang masih menunggu"):
        periods.request_close(db.session, _period(), user("hr.admin").id)
    # The job itself run again (a duplicate delivery of the job) changes nothing either.
    run = periods.latest_run(db.session, _period().id)
    jobs.close_period(run.id)
    period_close.process_batch(db.session, run.id, 0, 10**9)
    assert [_messages(case_id) for case_id in waiting] == [1, 1, 1, 1]


def test_a_case_that_reaches_the_wait_during_the_close_does_not_wait(ctx):
    start_cycle()
    period = _period()
    period.state = "closing"  # a close under way
    db.session.commit()
    approve_plan("kadis")
    assert case_of("kadis").waiting_message is None
    assert open_bpmn_ids("kadis") == {"dialog"}


def test_unvalidated_logs_and_unrated_cases_are_listed(waiting):
    staff = employee("staf02")
    db.session.add(WorkLog(employee_id=staff.id, day=date(2026, 2, 10), start_time=time(8), end_time=time(9),
                           minutes=60, description="Rekap rujukan", quantity=1, unit="laporan",
                           status="submitted", client_token="t-1"))
    db.session.commit()
    periods.close_period(db.session, _period().id, user("hr.admin").id)
    complete("kadis", open_task("kabid.yankes", "dialog"),
             {"held_on": date(2026, 4, 2), "notes": "Capaian sesuai", "follow_ups": ""})
    assert open_bpmn_ids("kabid.yankes") == {"rate_period"}
    with pytest.raises(periods.NeedsConfirmation) as refused:
        periods.request_close(db.session, _period("2026-Q2"), user("hr.admin").id)
    warnings = refused.value.warnings
    assert (warnings.unvalidated_total, warnings.unrated_total) == (0, 1)
    assert warnings.unrated == [(employee("kabid.yankes").name, "2026-Q1", "Penilaian periodik")]
    assert _period("2026-Q2").state == "open"
    q1 = periods.close_warnings(db.session, _period())
    assert q1.unvalidated_total == 1 and q1.unvalidated_logs == [(staff.name, staff.nip, 1)]


def test_close_with_warnings_goes_ahead_once_confirmed(waiting):
    staff = employee("staf02")
    db.session.add(WorkLog(employee_id=staff.id, day=date(2026, 2, 10), start_time=time(8), end_time=time(9),
                           minutes=60, description="Rekap rujukan", quantity=1, unit="laporan",
                           status="submitted", client_token="t-2"))
    db.session.commit()
    with pytest.raises(periods.NeedsConfirmation):
        periods.request_close(db.session, _period(), user("hr.admin").id)
    assert _period().state == "open"
    run = periods.request_close(db.session, _period(), user("hr.admin").id, confirmed=True)
    assert _period().state == "closed"
    assert db.session.get(PeriodCloseRun, run.id).confirmed_warnings == {"unvalidated_logs": 1, "unrated_cases": 0}
    assert "1 catatan belum divalidasi" in db.session.scalars(select(AuditEvent.summary).where(
        AuditEvent.action == "period_closing")).one()


def test_a_failing_case_is_recorded_and_the_close_completes_for_everyone_else(waiting, monkeypatch):
    broken = case_of("kabid.p2p").id
    deliver = CaseRunner.deliver_message

    def failing(self, case, *args, **kwargs):
        if case.id == broken:
            raise RuntimeError("disk penuh")
        return deliver(self, case, *args, **kwargs)

    monkeypatch.setattr(CaseRunner, "deliver_message", failing)
    run = periods.request_close(db.session, _period(), user("hr.admin").id)
    assert _period().state == "closed"
    failed = _items(run.id, "failed")
    assert [(i.case_id, i.error) for i in failed] == [(broken, "RuntimeError: disk penuh")]
    assert open_bpmn_ids("kabid.p2p") == set() and open_bpmn_ids("kadis") == {"dialog"}
    assert db.session.get(Case, broken).waiting_message == "period_closed:2026-Q1"

    monkeypatch.setattr(CaseRunner, "deliver_message", deliver)
    assert periods.retry_failed(db.session, _period(), user("hr.admin").id) == 1
    assert {i.status for i in _items(run.id)} == {"done"}
    assert open_bpmn_ids("kabid.p2p") == {"dialog"}
    assert [_messages(case_id) for case_id in waiting] == [1, 1, 1, 1]
    with pytest.raises(ServiceError, match="Tidak ada kasus gagal"):
        periods.retry_failed(db.session, _period(), user("hr.admin").id)


def test_a_case_that_errors_on_the_message_is_failed_and_retried_from_its_error(waiting, monkeypatch):
    run_ok = CaseRunner._advance
    target = case_of("kadis").id

    def erroring(self, case, workflow):
        run_ok(self, case, workflow)
        if case.id == target and not getattr(erroring, "fixed", False):
            case.status, case.error_element, case.error_message = "error", "dialog (Dialog kinerja)", "lane rusak"

    monkeypatch.setattr(CaseRunner, "_advance", erroring)
    run = periods.request_close(db.session, _period(), user("hr.admin").id)
    assert [(i.case_id, i.error) for i in _items(run.id, "failed")] == [(target, "dialog (Dialog kinerja): lane rusak")]
    erroring.fixed = True
    periods.retry_failed(db.session, _period(), user("hr.admin").id)
    assert db.session.get(Case, target).status == "running"
    assert _items(run.id, "failed") == []
    assert _messages(target) == 1


def test_a_case_advanced_by_someone_else_is_done_without_a_second_delivery(waiting):
    period = _period()
    period.state = "closing"
    run = PeriodCloseRun(period_id=period.id, status="queued")
    db.session.add(run)
    db.session.commit()
    assert len(period_close.prepare_items(db.session, run.id)) == 4
    # Another worker (an earlier run resumed) delivers to kadis first.
    CaseRunner(db.session).deliver_message(case_of("kadis"), "period_closed", {"period": "2026-Q1"}, None)
    db.session.commit()
    result = period_close.process_batch(db.session, run.id, 0, 10**9)
    assert (result.done, result.failed) == (4, 0)
    assert [_messages(case_id) for case_id in waiting] == [1, 1, 1, 1]
    assert _period().state == "closed"


def test_a_case_changed_during_a_chunk_sends_the_chunk_through_again_case_by_case(waiting, monkeypatch):
    """The cases of a chunk are written at its commit; a case another step changed meanwhile fails
    that write (its lock version moved), and the chunk is done again with a savepoint per case:
    every case advanced once, nothing recorded twice."""
    deliver = CaseRunner.deliver_message
    target = case_of("kabid.p2p").id
    calls = []

    def changed_meanwhile(self, case, *args, **kwargs):
        calls.append((case.id, self.defer_flush))
        if case.id == target and len(calls) <= 4:
            # Another worker's step, committed after this one loaded the case.
            db.session.execute(text('UPDATE "case" SET lock_version = lock_version + 1 WHERE id = :id'),
                               {"id": case.id})
        return deliver(self, case, *args, **kwargs)

    monkeypatch.setattr(CaseRunner, "deliver_message", changed_meanwhile)
    run = periods.request_close(db.session, _period(), user("hr.admin").id)
    assert [deferred for _case, deferred in calls] == [True] * 4 + [False] * 4
    assert {i.status for i in _items(run.id)} == {"done"}
    assert [_messages(case_id) for case_id in waiting] == [1, 1, 1, 1]
    assert open_bpmn_ids("kabid.p2p") == {"dialog"}


def test_a_stalled_close_is_continued_by_the_sweep(waiting):
    period = _period()
    period.state = "closing"
    run = PeriodCloseRun(period_id=period.id, status="queued")
    db.session.add(run)
    db.session.commit()
    period_close.prepare_items(db.session, run.id)  # the worker died before any batch ran
    assert period_close.stalled_runs(db.session) == []
    run = db.session.get(PeriodCloseRun, run.id)
    run.progress_at = utcnow() - timedelta(minutes=period_close.STALL_MINUTES + 1)
    db.session.commit()
    assert period_close.stalled_runs(db.session) == [run.id]
    assert jobs.sweep()["resumed"] == 1
    assert _period().state == "closed"
    assert [_messages(case_id) for case_id in waiting] == [1, 1, 1, 1]


def test_resume_is_refused_when_nothing_is_under_way(waiting):
    with pytest.raises(ServiceError, match="Tidak ada penutupan"):
        periods.resume(db.session, _period())


def test_redis_down_leaves_the_period_as_it_was(waiting, ctx):
    ctx.config.update(JOBS_SYNC=False, REDIS_URL="redis://127.0.0.1:1/0")
    try:
        with pytest.raises(ServiceError, match="Redis"):
            periods.request_close(db.session, _period(), user("hr.admin").id)
    finally:
        ctx.config.update(JOBS_SYNC=True, REDIS_URL=None)
    assert _period().state == "open"
    assert db.session.scalar(select(func.count()).select_from(PeriodCloseRun)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "period_closing")) == 0
    assert case_of("kadis").waiting_message == "period_closed:2026-Q1"


def test_reopen_needs_a_reason_and_is_recorded(waiting):
    hr = user("hr.admin")
    with pytest.raises(ServiceError, match="Hanya periode yang sudah ditutup"):
        periods.reopen(db.session, _period(), hr.id, "Koreksi absensi mesin")
    periods.request_close(db.session, _period(), hr.id)
    assert periods.locked_on(db.session, _period().agency_id, date(2026, 2, 3)).key == "2026-Q1"
    with pytest.raises(ServiceError, match="alasan"):
        periods.reopen(db.session, _period(), hr.id, "  singkat ")
    periods.reopen(db.session, _period(), hr.id, "Koreksi absensi dari mesin sidik jari")
    period = _period()
    assert (period.state, period.reopened_by_id, period.reopen_reason) == (
        "open", hr.id, "Koreksi absensi dari mesin sidik jari")
    assert periods.locked_on(db.session, period.agency_id, date(2026, 2, 3)) is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "period_reopened")).one()
    assert event.detail == {"period_id": period.id, "reason": "Koreksi absensi dari mesin sidik jari"}
    # The cases advanced by the first close stay advanced; closing again sends nothing twice.
    periods.request_close(db.session, _period(), hr.id)
    assert [_messages(case_id) for case_id in waiting] == [1, 1, 1, 1]


def test_a_closed_period_locks_the_months_work_logs(waiting):
    staff = employee("staf02")
    assert not work_logs.month_closed(db.session, staff.id, date(2026, 2, 1))
    periods.request_close(db.session, _period(), user("hr.admin").id)
    assert work_logs.month_closed(db.session, staff.id, date(2026, 2, 1))
    assert not work_logs.month_closed(db.session, staff.id, date(2026, 4, 1))
    periods.reopen(db.session, _period(), user("hr.admin").id, "Koreksi catatan kerja bulan Februari")
    assert not work_logs.month_closed(db.session, staff.id, date(2026, 2, 1))
