"""Enqueue a job by dotted name: to RQ when REDIS_URL is set, else to the in-process runner thread.

The same job functions run either way, so one command starts a working system on SQLite while
production runs `rq worker --with-scheduler -w workers.worker.Worker` processes and `rq cron workers/cron.py`.

Three modes, chosen by the configuration:
- "sync" (JOBS_SYNC, the tests): a job runs at once in the caller; a job for later is recorded in
  `scheduled_log()` and left to an explicit sweep.
- "local" (no REDIS_URL): the runner thread of `app.core.jobs.local_runner`.
- "rq": Redis queues; a job for later is `enqueue_at`, moved to the queue by a worker's scheduler.
"""
from collections import deque
from datetime import datetime

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from app.core.errors import ServiceError
from app.core.jobs.local_runner import local_runner
from app.core.jobs.names import resolve

QUEUE_NAME = "default"
# Jobs run in the worker process itself: the default worker forks a fresh process per job, which
# then builds the app, imports Spiff and parses the diagrams again (1-2 s a job, more than an
# allowance batch's own work); here they are built once per worker and the caches stay warm.
WORKER_CLASS = "workers.worker.Worker"  # rq's SimpleWorker, quick to stop (workers/worker.py)
JOB_TIMEOUT = 3600
# Lazy: shown to the user who acted, and stored as the error of the run it could not queue.
REDIS_DOWN = _l("Antrean tugas latar (Redis) tidak dapat dihubungi; tidak ada yang diproses. "
                "Coba lagi sebentar lagi.")
_scheduled_log: deque = deque(maxlen=1000)


def mode(app: Flask | None = None) -> str:
    app = app or current_app
    if app.config.get("JOBS_SYNC"):
        return "sync"
    return "rq" if app.config.get("REDIS_URL") else "local"


def init_app(app: Flask) -> None:
    """Start the embedded runner with the first request, so timers fire without any enqueue."""
    @app.before_request
    def _start_local_runner():
        if mode(app) == "local" and not app.config.get("TESTING"):
            local_runner(app)


def scheduled_log() -> list[tuple[datetime, str, tuple]]:
    """Jobs for later seen in sync mode, newest last (they are not run)."""
    return list(_scheduled_log)


# -- RQ --------------------------------------------------------------------------------------------

def redis_connection(app: Flask | None = None):
    app = app or current_app
    return Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=3, socket_timeout=10)


def rq_queue(app: Flask | None = None):
    return Queue(QUEUE_NAME, connection=redis_connection(app), default_timeout=JOB_TIMEOUT)


def _rq_call(action):
    try:
        return action(rq_queue())
    except RedisError as err:
        raise ServiceError(REDIS_DOWN) from err


# -- the API ---------------------------------------------------------------------------------------

def enqueue(name: str, *args, job_id: str | None = None) -> None:
    resolve(name)  # an unknown job name fails here, at the caller, not later in a worker
    current = mode()
    if current == "sync":
        resolve(name)(*args)
    elif current == "local":
        local_runner().put(name, args)
    else:
        _rq_call(lambda q: q.enqueue(name, *args, job_id=job_id, job_timeout=JOB_TIMEOUT))


def enqueue_many(name: str, args_list: list[tuple]) -> None:
    """Fan out one job per argument tuple (one Redis round trip for all of them)."""
    resolve(name)
    current = mode()
    if current == "sync":
        for args in args_list:
            resolve(name)(*args)
    elif current == "local":
        runner = local_runner()
        for args in args_list:
            runner.put(name, tuple(args))
    elif args_list:
            _rq_call(lambda q: q.enqueue_many([Queue.prepare_data(name, args=tuple(args), timeout=JOB_TIMEOUT)
                                           for args in args_list]))


def enqueue_at(when: datetime, name: str, *args, job_id: str | None = None) -> None:
    """Run a job at `when` (UTC-aware); a fixed job_id makes scheduling the same thing twice harmless."""
    resolve(name)
    current = mode()
    if current == "sync":
        _scheduled_log.append((when, name, args))
    elif current == "local":
        local_runner().put_at(when, name, args)
    else:
        _rq_call(lambda q: q.enqueue_at(when, name, *args, job_id=job_id, job_timeout=JOB_TIMEOUT))
