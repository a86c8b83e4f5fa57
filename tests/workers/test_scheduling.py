"""Timers are scheduled when the step that set them commits, and the in-process runner (no Redis)
fires them at their time and sweeps up any it was not told about."""
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.core.clock import utcnow
from app.core.jobs import local_runner, queue
from app.core.jobs import timer_schedule as scheduling
from app.core.jobs.names import FIRE_TIMERS_JOB
from app.engine.runner import CaseRunner
from app.extensions import db
from app.models import HumanTask
from app.services.designer.deployment import deploy_xml
from app.services.tasks import completion as task_service
from tests.conftest import employee, user
from tests.engine.diagrams import timer_process

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 3, 17, 9, 0, tzinfo=WIB)


def _open(case_id):
    db.session.expire_all()
    return set(db.session.scalars(select(HumanTask.bpmn_id).where(HumanTask.case_id == case_id,
                                                                   HumanTask.status == "open")))


def _start(session, boundary='"P3D"', wait='"2026-03-27T08:00:00"', at=START):
    """A case at its first task; at=None starts it now, so its boundary timer is not yet due."""
    version = deploy_xml(session, timer_process(boundary, wait))
    session.commit()
    if at is None:
        case = CaseRunner(session).start(version, employee("staf02"), "2026", {}, None)
        session.commit()
        return case
    with time_machine.travel(at, tick=False):
        case = CaseRunner(session, at).start(version, employee("staf02"), "2026", {}, None)
        session.commit()
    return case


def _wait_for(condition, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def local_mode(ctx):
    ctx.config.update(JOBS_SYNC=False, REDIS_URL=None, LOCAL_SWEEP_SECONDS=3600)
    yield ctx
    local_runner.stop_local_runner()
    ctx.config.update(JOBS_SYNC=True, LOCAL_SWEEP_SECONDS=5)


def test_a_new_deadline_is_scheduled_once_the_step_commits(session):
    seen = len(queue.scheduled_log())
    case = _start(session)
    scheduled = queue.scheduled_log()[seen:]
    assert scheduled == [(case.next_timer_at, FIRE_TIMERS_JOB, (case.next_timer_at.isoformat(),))]
    assert scheduling.job_id(case.next_timer_at) == f"timers-at-{int(case.next_timer_at.timestamp())}"


def test_a_rolled_back_step_schedules_nothing(session):
    version = deploy_xml(session, timer_process('"P3D"', '"2026-03-27T08:00:00"'))
    session.commit()
    seen = len(queue.scheduled_log())
    with time_machine.travel(START, tick=False):
        CaseRunner(session, START).start(version, employee("staf02"), "2026", {}, None)
        session.flush()
        session.rollback()
    assert queue.scheduled_log()[seen:] == []


@pytest.mark.ticking_clock  # the in-process runner thread waits for the real due time
def test_the_in_process_runner_fires_a_timer_at_its_time(session, local_mode):
    due = (utcnow() + timedelta(seconds=2)).astimezone(WIB).replace(tzinfo=None, microsecond=0)
    case = _start(session, boundary='"P30D"', wait=f'"{due.isoformat()}"', at=None)
    first = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)).one()
    task_service.complete(session, user("staf02"), first.id, {})  # now waiting for the pause
    session.commit()  # the deadline is scheduled once the step commits
    assert _open(case.id) == set()
    assert _wait_for(lambda: _open(case.id) == {"second"}), "the scheduled job did not fire the timer"


@pytest.mark.ticking_clock  # the in-process runner thread waits for the real due time
def test_the_in_process_sweep_fires_a_timer_nobody_scheduled(session, local_mode):
    case = _start(session)  # scheduled in sync mode, i.e. never; its deadline is long past
    local_mode.config.update(LOCAL_SWEEP_SECONDS=0.5)
    local_runner.local_runner(local_mode)
    assert _wait_for(lambda: _open(case.id) == {"late"}), "the sweep did not fire the overdue timer"


@pytest.mark.ticking_clock  # the in-process runner thread waits for the real due time
def test_a_failed_job_in_process_is_kept_for_a_retry(ctx, local_mode):
    runner = local_runner.local_runner(local_mode)
    queue.enqueue("workers.jobs.close_period")  # its run id is missing
    assert _wait_for(lambda: len(runner.failed) == 1)
    failure = runner.failed[0]
    assert failure.name == "workers.jobs.close_period" and "TypeError" in failure.error
    assert runner.retry(failure.id) and _wait_for(lambda: len(runner.failed) == 1 and runner.failed[0] is not failure)
