"""Enqueue a job by dotted name: to RQ when REDIS_URL is set, else to an in-process runner thread.

The same job functions run either way, so one command starts a working system on SQLite while
production runs `rq worker --with-scheduler -w rq.worker.SimpleWorker` processes and `rq cron workers/cron.py`.

Three modes, chosen by the configuration:
- "sync" (JOBS_SYNC, the tests): a job runs at once in the caller; a job for later is recorded in
  `scheduled_log()` and left to an explicit sweep.
- "local" (no REDIS_URL): a daemon thread runs jobs in order, runs scheduled jobs at their time,
  sweeps every LOCAL_SWEEP_SECONDS and sends the daily reminders, which is what `rq cron` does in
  production.
- "rq": Redis queues; a job for later is `enqueue_at`, moved to the queue by a worker's scheduler.
"""
import heapq
import importlib
import itertools
import logging
import queue
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask, current_app

from app.models._types import utcnow
from app.services.errors import ServiceError

log = logging.getLogger(__name__)

QUEUE_NAME = "default"
# Jobs run in the worker process itself: the default worker forks a fresh process per job, which
# then builds the app, imports Spiff and parses the diagrams again (1-2 s a job, more than an
# allowance batch's own work); here they are built once per worker and the caches stay warm.
WORKER_CLASS = "rq.worker.SimpleWorker"
JOB_TIMEOUT = 3600
REDIS_DOWN = ("Antrean tugas latar (Redis) tidak dapat dihubungi; tidak ada yang diproses. "
              "Coba lagi sebentar lagi.")
SWEEP_JOB = "workers.jobs.sweep"
# The daily reminders send each reminder once per day, so running them hourly is harmless.
REMINDERS_JOB = "workers.jobs.send_reminders"
REMINDERS_SECONDS = 3600


def resolve(name: str):
    module, _, func = name.rpartition(".")
    return getattr(importlib.import_module(module), func)


def mode(app: Flask | None = None) -> str:
    app = app or current_app
    if app.config.get("JOBS_SYNC"):
        return "sync"
    return "rq" if app.config.get("REDIS_URL") else "local"


# -- the embedded runner ---------------------------------------------------------------------------

@dataclass
class LocalFailure:
    id: int
    name: str
    args: tuple
    error: str
    at: datetime


@dataclass
class LocalRunner:
    app: Flask
    sweep_seconds: float
    jobs: "queue.Queue[tuple[str, tuple]]" = field(default_factory=queue.Queue)
    scheduled: list = field(default_factory=list)
    failed: deque = field(default_factory=lambda: deque(maxlen=200))
    current: str | None = None
    finished: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _seq: itertools.count = field(default_factory=itertools.count)
    _stopping: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._loop, daemon=True, name="jobs")
        self.thread.start()

    def stop(self, timeout: float = 10) -> None:
        """Finish the job under way and end the thread (jobs still queued are dropped)."""
        self._stopping.set()
        self.jobs.put(("", ()))
        if self.thread is not None:
            self.thread.join(timeout)

    def put(self, name: str, args: tuple) -> None:
        self.jobs.put((name, args))

    def put_at(self, when: datetime, name: str, args: tuple) -> None:
        with self._lock:
            heapq.heappush(self.scheduled, (when.timestamp(), next(self._seq), name, args))
        self.jobs.put(("", ()))  # wake the loop so it recomputes its sleep

    def scheduled_count(self) -> int:
        with self._lock:
            return len(self.scheduled)

    def retry(self, failure_id: int) -> bool:
        for failure in list(self.failed):
            if failure.id == failure_id:
                self.failed.remove(failure)
                self.put(failure.name, failure.args)
                return True
        return False

    def _due_scheduled(self) -> tuple[list[tuple[str, tuple]], float | None]:
        now = time.time()
        due = []
        with self._lock:
            while self.scheduled and self.scheduled[0][0] <= now:
                _at, _seq, name, args = heapq.heappop(self.scheduled)
                due.append((name, args))
            wait = self.scheduled[0][0] - now if self.scheduled else None
        return due, wait

    def _loop(self) -> None:
        periodic = [(SWEEP_JOB, self.sweep_seconds), (REMINDERS_JOB, REMINDERS_SECONDS)]
        next_run = {name: time.monotonic() for name, _every in periodic}
        while not self._stopping.is_set():
            due, wait = self._due_scheduled()
            for name, args in due:
                self._run(name, args)
            for name, every in periodic:
                if time.monotonic() >= next_run[name]:
                    self._run(name, ())
                    next_run[name] = time.monotonic() + every
            timeout = min(next_run.values()) - time.monotonic()
            if wait is not None:
                timeout = min(timeout, wait)
            try:
                name, args = self.jobs.get(timeout=max(0.0, timeout))
            except queue.Empty:
                continue
            if name and not self._stopping.is_set():
                self._run(name, args)

    def _run(self, name: str, args: tuple) -> None:
        self.current = name
        with self.app.app_context():
            try:
                resolve(name)(*args)
            except Exception as err:  # a failed job must not stop the runner; it is kept for a retry
                log.exception("job %s failed", name)
                self.failed.append(LocalFailure(next(self._seq), name, args,
                                                "".join(traceback.format_exception_only(err)).strip(), utcnow()))
        self.current = None
        self.finished += 1


_runner: LocalRunner | None = None
_runner_lock = threading.Lock()
_scheduled_log: deque = deque(maxlen=1000)


def local_runner(app: Flask | None = None) -> LocalRunner:
    """The process's runner thread, started on first use."""
    global _runner
    app = app or current_app._get_current_object()
    with _runner_lock:
        if _runner is None or _runner.thread is None or not _runner.thread.is_alive():
            _runner = LocalRunner(app, float(app.config.get("LOCAL_SWEEP_SECONDS", 5)))
            _runner.start()
    return _runner


def stop_local_runner() -> None:
    global _runner
    with _runner_lock:
        if _runner is not None:
            _runner.stop()
            _runner = None


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
    from redis import Redis

    app = app or current_app
    return Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=3, socket_timeout=10)


def rq_queue(app: Flask | None = None):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(app), default_timeout=JOB_TIMEOUT)


def _rq_call(action):
    from redis.exceptions import RedisError

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
        from rq import Queue

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
