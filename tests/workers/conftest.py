"""Real Redis and real `rq` processes for the worker tests, and many cases made quickly.

Redis comes from TEST_REDIS_URL (default redis://127.0.0.1:6379/15) and is flushed around each
test; under pytest-xdist each worker uses the next database number (wrapping at Redis's last), so
workers never flush or work each other's queues. Without Redis these tests skip, except under
CI=true, where they fail.
"""
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta
from datetime import time as time_of_day
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import insert, select

from app.core.clock import utcnow
from app.core.jobs.queue import WORKER_CLASS
from app.extensions import db
from app.models import AttendanceDay, Case, Employee, OrgUnit, Position, WorkLog
from app.models.calendar import calendar_for
from tests.seed import worker_index

ROOT = Path(__file__).resolve().parents[2]
RQ = str(Path(sys.executable).parent / "rq")


def _worker_redis(base: str) -> tuple[str, Redis]:
    """This xdist worker's database: the base one plus the worker's index."""
    connection = Redis.from_url(base)
    index = worker_index()
    if index == 0:
        return base, connection
    databases = int(connection.config_get("databases")["databases"])
    number = (connection.connection_pool.connection_kwargs.get("db", 0) + index) % databases
    url = urlsplit(base)._replace(path=f"/{number}").geturl()
    return url, Redis.from_url(url)


@pytest.fixture
def redis_url():
    base = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    url = base
    try:
        url, connection = _worker_redis(base)
        connection.ping()
    except RedisError as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis must be running under CI ({url}): {err}")
        pytest.skip(f"no Redis at {url}: {err}")
    connection.flushdb()
    yield url
    connection.flushdb()


@contextmanager
def rq_mode(app, url):
    """Jobs enqueued inside go to Redis, as in production; nothing runs in this process."""
    app.config.update(JOBS_SYNC=False, REDIS_URL=url)
    try:
        yield
    finally:
        app.config.update(JOBS_SYNC=True, REDIS_URL=None)


# libfaketime (Debian `faketime`) starts each worker process at the test's own instant, so that the
# test and its workers agree on the time whatever the machine's date is (the test's clock is
# time-machine's, which reaches no other process).
# Only the wall clock is faked: with a faked monotonic clock every timed wait (a thread join with
# a timeout, rq's pubsub thread at shutdown) waits for a deadline the kernel never reaches, and a
# worker hangs now and then.
LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")


def worker_env(app, url):
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=url,
               PYTHONPATH=str(ROOT))
    if not LIBFAKETIME.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"libfaketime is needed under CI ({LIBFAKETIME}): apt-get install faketime")
        pytest.skip("the worker tests need libfaketime: apt-get install faketime")
    preload = [p for p in env.get("LD_PRELOAD", "").split(":") if p and "faketime" not in p]
    env.update(LD_PRELOAD=":".join([str(LIBFAKETIME), *preload]), TZ="UTC",
               FAKETIME=utcnow().strftime("@%Y-%m-%d %H:%M:%S"), FAKETIME_DONT_RESET="1",
               FAKETIME_DONT_FAKE_MONOTONIC="1")
    env.pop("FAKETIME_NO_CACHE", None)
    return env


def burst_worker(app, url, *extra, wait=True):
    """`rq worker --burst`: works until the queue is empty, then exits."""
    command = [RQ, "worker", "--burst", "-w", WORKER_CLASS, "--url", url, *extra, "default"]
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, env=worker_env(app, url), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, cwd=ROOT, env=worker_env(app, url), capture_output=True, text=True, timeout=300)


def long_running_worker(app, url, log_path):
    """`rq worker` in its own process group, so the test can kill it with its work horse; its log
    goes to `log_path` for the failure message."""
    with open(log_path, "ab") as log:
        return subprocess.Popen([RQ, "worker", "-w", WORKER_CLASS, "--url", url, "default"], cwd=ROOT, env=worker_env(app, url),
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop_workers(workers, grace=10):
    """A warm shutdown, then a kill for any worker still up after `grace` seconds, as `docker stop`
    does after its grace period; what a test asserts is what the workers left in the database.

    rq's teardown joins its command channel's thread, which could sleep out a whole poll after the
    last job (60 s in rq's own worker: workers/worker.py polls every second instead)."""
    for worker in workers:
        os.killpg(worker.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for worker in workers:
        try:
            worker.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)


def log_tail(path, lines=60) -> str:
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:]) if Path(path).exists() else ""


def clone_cases(template: Case, count: int, unit_code: str = "RUJUK", class_level: int = 7) -> list[int]:
    """`count` new employees, each with a copy of the template case's state (waiting where it waits).

    The copies share the template's task ids, which is allowed: mirrors are unique per case."""
    unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == unit_code)).one()
    position = Position(unit_id=unit.id, name="Pelaksana uji", position_type="pelaksana", class_level=class_level)
    db.session.add(position)
    db.session.flush()
    start = db.session.scalar(select(Employee.id).order_by(Employee.id.desc()).limit(1)) + 1
    db.session.execute(insert(Employee), [{
        "nip": f"{date(1980, 1, 1) + timedelta(days=i):%Y%m%d}200501{1 + i % 2}{i % 999 + 1:03d}",
        "name": f"Pegawai Uji {i + 1}", "agency_id": unit.agency_id, "unit_id": unit.id, "position_id": position.id,
        "rank_group": "III/a", "employment_type": "pns", "is_active": True} for i in range(count)])
    ids = db.session.scalars(select(Employee.id).where(Employee.id >= start).order_by(Employee.id)).all()
    db.session.execute(insert(Case), [{
        "process_version_id": template.process_version_id, "process_id": template.process_id,
        "cycle_key": template.cycle_key, "employee_id": employee_id, "unit_id": unit.id, "unit_path": unit.path,
        "status": template.status, "current_step": template.current_step, "state": template.state,
        "lock_version": 1, "waiting_message": template.waiting_message, "next_timer_at": template.next_timer_at,
        "created_at": template.created_at, "updated_at": template.updated_at} for employee_id in ids])
    db.session.commit()
    return list(ids)


def month_of_attendance(employee_ids, first: date, last: date, agency_id: int):
    """Even ids: on time every working day, 6,750 validated minutes. Odd ids: absent (TK) on the
    first working day, 31-60 minutes late (TL2) on the second, 3,375 validated minutes."""
    calendar = calendar_for(db.session, agency_id)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    working = [d for d in days if calendar.is_working_day(d)]
    rows, logs = [], []
    for employee_id in employee_ids:
        late = employee_id % 2 == 1
        for day in days:
            status, arrival = ("present", None) if day in working else ("holiday", None)
            if late and day == working[0]:
                status = "no_record"
            if late and day == working[1]:
                arrival = "TL2"
            rows.append({"employee_id": employee_id, "day": day, "status": status, "arrival_code": arrival})
        logs.append({"employee_id": employee_id, "day": working[2], "start_time": time_of_day(8), "end_time": time_of_day(16),
                     "minutes": 3375 if late else 6750, "description": "Pelayanan", "quantity": 1, "unit": "kegiatan",
                     "status": "validated", "client_token": f"bulk-{employee_id}", "flags": []})
    db.session.execute(insert(AttendanceDay), rows)
    db.session.execute(insert(WorkLog), logs)
    db.session.commit()


# Class 7 base Rp 5,000,000, golongan III: the even pattern nets 5,000,000 - 1% - 5% = 4,700,000;
# the odd one: performance 1,500,000, discipline 2,000,000 - 150,000 - 50,000 = 1,800,000,
# gross 3,300,000, contribution 33,000, tax 165,000, net 3,102,000.
EXPECTED_NET = {0: 4_700_000, 1: 3_102_000}
