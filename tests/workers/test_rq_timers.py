"""Timers through Redis: a job scheduled at the deadline when the step commits, moved to the queue by
a worker's scheduler; `rq cron` sweeping up a timer whose job was lost."""
import subprocess
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from redis import Redis
from rq import Queue
from rq.cron import CronScheduler
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from app.core.clock import utcnow
from app.core.jobs import timer_schedule as scheduling
from app.engine.runner import CaseRunner
from app.extensions import db
from app.models import HumanTask
from app.services.designer.deployment import deploy_xml
from app.services.tasks import completion as task_service
from tests.conftest import employee, user
from tests.engine.diagrams import timer_process
from tests.workers.conftest import ROOT, RQ, burst_worker, rq_mode, worker_env

# Real rq processes run beside the test: its clock runs on from the frozen instant, as theirs does.
pytestmark = pytest.mark.ticking_clock

WIB = ZoneInfo("Asia/Jakarta")


def _open(case_id):
    db.session.expire_all()
    return set(db.session.scalars(select(HumanTask.bpmn_id).where(HumanTask.case_id == case_id,
                                                                   HumanTask.status == "open")))


def _case_waiting_on_a_pause(seconds_ahead: int):
    due = (utcnow() + timedelta(seconds=seconds_ahead)).astimezone(WIB).replace(tzinfo=None, microsecond=0)
    version = deploy_xml(db.session, timer_process('"P30D"', f'"{due.isoformat()}"'))
    db.session.commit()
    case = CaseRunner(db.session).start(version, employee("staf02"), "2026", {}, None)
    db.session.commit()
    first = db.session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)).one()
    return case, first, due.replace(tzinfo=WIB)


def test_a_timer_fires_through_the_rq_scheduler(ctx, redis_url):
    case, first, due = _case_waiting_on_a_pause(3)
    with rq_mode(ctx, redis_url):
        task_service.complete(db.session, user("staf02"), first.id, {})
        db.session.commit()  # the deadline is scheduled once the step commits
    registry = ScheduledJobRegistry(queue=Queue("default", connection=Redis.from_url(redis_url)))
    job_id = scheduling.job_id(due)
    assert job_id in registry.get_job_ids()
    assert registry.get_scheduled_time(job_id) == due.astimezone(registry.get_scheduled_time(job_id).tzinfo)
    assert _open(case.id) == set()

    while utcnow() < due + timedelta(seconds=1):
        time.sleep(0.2)
    result = burst_worker(ctx, redis_url, "--with-scheduler")
    assert result.returncode == 0, result.stderr[-3000:]
    assert _open(case.id) == {"second"}
    fired = db.session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.bpmn_id == "second")).one()
    assert fired.created_at >= due


def test_the_cron_schedule_registers_the_sweep_and_the_daily_reminders(ctx, redis_url):
    scheduler = CronScheduler(connection=Redis.from_url(redis_url))
    scheduler.load_config_from_file("workers/cron.py")
    jobs = {job.func_name: job for job in scheduler.get_jobs()}
    assert jobs["workers.jobs.sweep"].interval == 60
    assert jobs["workers.jobs.send_reminders"].cron == "0 1 * * *"


def test_rq_cron_sweeps_up_a_timer_whose_job_was_lost(ctx, redis_url):
    case, first, due = _case_waiting_on_a_pause(1)
    task_service.complete(db.session, user("staf02"), first.id, {})  # not in RQ mode: never scheduled
    db.session.commit()
    while utcnow() < due + timedelta(seconds=1):
        time.sleep(0.2)
    connection = Redis.from_url(redis_url)
    cron = subprocess.Popen([RQ, "cron", "workers/cron.py", "--url", redis_url], cwd=ROOT,
                            env=worker_env(ctx, redis_url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Queue("default", connection=connection).count == 0:
            time.sleep(0.2)
    finally:
        cron.terminate()
        cron.wait(timeout=30)
    assert Queue("default", connection=connection).count >= 1, "rq cron enqueued nothing"
    result = burst_worker(ctx, redis_url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _open(case.id) == {"second"}
