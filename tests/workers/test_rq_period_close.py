"""Closing a period through real Redis and a real `rq worker` process (burst mode)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError

from app.extensions import db
from app.models import Period
from tests.helpers import approve_plan, case_of, open_bpmn_ids, start_cycle
from workers.queue import enqueue

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        connection = Redis.from_url(url)
        connection.ping()
    except RedisError as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis must be running under CI ({url}): {err}")
        pytest.skip(f"no Redis at {url}: {err}")
    connection.flushdb()
    yield url
    connection.flushdb()


def _burst_worker(app, url):
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=url,
               PYTHONPATH=str(ROOT))
    return subprocess.run([str(Path(sys.executable).parent / "rq"), "worker", "--burst", "--url", url, "default"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_period_close_job_runs_on_an_rq_worker(ctx, redis_url):
    start_cycle()
    for username in ("kadis", "kabid.yankes"):
        approve_plan(username)
    assert case_of("kadis").waiting_message == "period_closed:2026-Q1"
    period = db.session.query(Period).filter_by(key="2026-Q1").one()
    ctx.config.update(JOBS_SYNC=False, REDIS_URL=redis_url)
    try:
        enqueue("workers.jobs.close_period", period.id, None)
    finally:
        ctx.config.update(JOBS_SYNC=True, REDIS_URL=None)
    assert open_bpmn_ids("kadis") == set()  # nothing ran in this process

    result = _burst_worker(ctx, redis_url)
    assert result.returncode == 0, result.stderr[-2000:]
    db.session.expire_all()
    assert open_bpmn_ids("kadis") == {"dialog"}
    assert open_bpmn_ids("kabid.yankes") == {"dialog"}
    assert db.session.get(Period, period.id).state == "closed"

    # A second close of the same period, on the worker again, advances nobody twice.
    ctx.config.update(JOBS_SYNC=False, REDIS_URL=redis_url)
    try:
        enqueue("workers.jobs.close_period", period.id, None)
    finally:
        ctx.config.update(JOBS_SYNC=True, REDIS_URL=None)
    assert _burst_worker(ctx, redis_url).returncode == 0
    db.session.expire_all()
    assert open_bpmn_ids("kadis") == {"dialog"}


def test_enqueue_with_redis_down_fails_clearly_and_does_nothing(ctx):
    from app.services.errors import ServiceError

    ctx.config.update(JOBS_SYNC=False, REDIS_URL="redis://127.0.0.1:1/0")
    try:
        with pytest.raises(ServiceError, match="Redis"):
            enqueue("workers.jobs.close_period", 1, None)
    finally:
        ctx.config.update(JOBS_SYNC=True, REDIS_URL=None)
