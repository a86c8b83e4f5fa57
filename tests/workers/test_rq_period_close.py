"""Closing a month through real Redis and real `rq worker` processes: many cases over two workers,
a worker killed halfway and the close continued, the allowance computed exactly once per person."""
import os
import signal
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.errors import ServiceError
from app.extensions import db
from app.models import (
    Agency,
    Allowance,
    AllowanceRun,
    AuditEvent,
    Case,
    Employee,
    Period,
    PeriodCloseItem,
    PeriodCloseRun,
)
from app.services.allowance import runs as allowance_runs
from app.services.cycle import periods
from tests.allowance_data import save_rules
from tests.conftest import user
from tests.helpers import approve_plan, case_of, start_cycle
from tests.workers.conftest import (
    EXPECTED_NET,
    burst_worker,
    clone_cases,
    log_tail,
    long_running_worker,
    month_of_attendance,
    rq_mode,
    stop_workers,
)

# Real rq processes run beside the test: its clock runs on from the frozen instant, as theirs does.
pytestmark = pytest.mark.ticking_clock


def _january() -> Period:
    db.session.expire_all()
    return db.session.scalars(select(Period).where(Period.key == "2026-01")).one()


@pytest.fixture
def monthly_cases(ctx):
    """A monthly-appraisal agency with `count` cases waiting for January's close, and January's
    attendance and logs for the copies."""
    def make(count):
        agency = db.session.scalars(select(Agency)).one()
        agency.appraisal_scheme = "monthly"
        db.session.commit()
        start_cycle()
        approve_plan("kadis")
        template = case_of("kadis")
        assert template.waiting_message == "period_closed:2026-01"
        ids = clone_cases(template, count)
        month_of_attendance(ids, date(2026, 1, 1), date(2026, 1, 31), agency.id)
        save_rules()
        return ids
    return make


def _messages_per_case() -> dict[int, int]:
    return dict(db.session.execute(select(AuditEvent.case_id, func.count()).where(
        AuditEvent.action == "message").group_by(AuditEvent.case_id)).all())


def _assert_closed_exactly_once(employee_ids):
    db.session.expire_all()
    assert _january().state == "closed"
    waiting = db.session.scalar(select(func.count()).select_from(Case).where(
        Case.waiting_message == "period_closed:2026-01"))
    assert waiting == 0
    cases = db.session.scalars(select(Case.id).where(Case.employee_id.in_(employee_ids))).all()
    per_case = _messages_per_case()
    assert [per_case.get(case_id, 0) for case_id in cases] == [1] * len(cases)
    assert per_case[case_of("kadis").id] == 1
    run = periods.latest_run(db.session, _january().id)
    assert periods.progress(db.session, run)["failed"] == 0
    # The allowance: one row per active employee, and the copies' amounts exactly as computed by hand.
    allowance_run = db.session.scalars(select(AllowanceRun).order_by(AllowanceRun.id.desc())).first()
    assert allowance_run.status == "finished"
    active = db.session.scalar(select(func.count()).select_from(Employee).where(Employee.is_active.is_(True)))
    assert db.session.scalar(select(func.count()).select_from(Allowance)) == active
    nets = dict(db.session.execute(select(Allowance.employee_id, Allowance.net).where(
        Allowance.employee_id.in_(employee_ids))).all())
    assert nets == {employee_id: EXPECTED_NET[employee_id % 2] for employee_id in employee_ids}


def _wait_until(condition, seconds=240):
    """Polls `condition`, ending the read transaction after every look: on SQLite an open one holds
    a shared lock, and a worker finishing its last job would wait for it while this test waits
    for the worker to stop."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        met = condition()
        db.session.commit()
        if met:
            return True
        time.sleep(0.2)
    return False


def _allowance_finished() -> bool:
    run = db.session.scalars(select(AllowanceRun).order_by(AllowanceRun.id.desc())).first()
    return run is not None and run.status != "running"


def test_a_month_close_over_many_cases_on_two_workers(ctx, redis_url, monthly_cases, tmp_path):
    ids = monthly_cases(300)
    log = tmp_path / "workers.log"
    with rq_mode(ctx, redis_url):
        periods.request_close(db.session, _january(), user("hr.admin").id)
    assert _january().state == "closing"  # nothing ran in this process
    workers = [long_running_worker(ctx, redis_url, log) for _ in range(2)]
    try:
        finished = _wait_until(lambda: _january().state == "closed" and _allowance_finished())
    finally:
        stop_workers(workers)
    assert finished, f"the close did not finish on the workers:\n{log_tail(log)}"
    _assert_closed_exactly_once(ids)
    closed = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "period_closed")).all()
    assert closed[-1]["done"] == 301 and closed[-1]["failed"] == 0


def test_a_worker_killed_halfway_and_the_close_continued(ctx, redis_url, monthly_cases, tmp_path):
    ids = monthly_cases(300)
    with rq_mode(ctx, redis_url):
        periods.request_close(db.session, _january(), user("hr.admin").id)
    run_id = periods.latest_run(db.session, _january().id).id
    worker = long_running_worker(ctx, redis_url, tmp_path / "worker.log")
    done = 0
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            done = db.session.scalar(select(func.count()).select_from(PeriodCloseItem).where(
                PeriodCloseItem.run_id == run_id, PeriodCloseItem.status == "done"))
            db.session.commit()
            if done >= 30:
                break
            time.sleep(0.05)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its work horse, mid-batch
        worker.wait(timeout=30)
    db.session.expire_all()
    counts = dict(db.session.execute(select(PeriodCloseItem.status, func.count()).where(
        PeriodCloseItem.run_id == run_id).group_by(PeriodCloseItem.status)).all())

    assert counts.get("done", 0) >= 30 and counts.get("pending", 0) > 0, (counts, log_tail(tmp_path / "worker.log"))
    assert _january().state == "closing"
    assert db.session.scalar(select(func.count()).select_from(Allowance)) == 0

    # HR continues the close; cases the killed worker advanced are not advanced again.
    with rq_mode(ctx, redis_url):
        periods.resume(db.session, _january())
    result = burst_worker(ctx, redis_url)
    assert result.returncode == 0, result.stderr[-3000:]
    _assert_closed_exactly_once(ids)
    assert db.session.get(PeriodCloseRun, run_id).status == "finished"

    # And closing once more, or computing the allowance again on the workers, changes nothing.
    with pytest.raises(ServiceError, match="sudah ditutup"):
        periods.request_close(db.session, _january(), user("hr.admin").id)
    rows = dict(db.session.execute(select(Allowance.id, Allowance.computed_at)).all())
    with rq_mode(ctx, redis_url):
        allowance_runs.compute_for_period(db.session, _january(), user("hr.admin").id)
    assert burst_worker(ctx, redis_url).returncode == 0
    _assert_closed_exactly_once(ids)
    assert dict(db.session.execute(select(Allowance.id, Allowance.computed_at)).all()) == rows


def test_enqueue_with_redis_down_fails_clearly_and_does_nothing(ctx):
    from app.core.jobs.queue import enqueue

    with rq_mode(ctx, "redis://127.0.0.1:1/0"), pytest.raises(ServiceError, match="Redis"):
        enqueue("workers.jobs.close_period", 1)
