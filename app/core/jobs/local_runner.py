"""The in-process job runner: one daemon thread that runs jobs in order, runs scheduled jobs at
their time, sweeps every LOCAL_SWEEP_SECONDS and sends the daily reminders (what `rq cron` does in
production). Used when REDIS_URL is not set, so one command starts a working system on SQLite.
"""
import heapq
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

from app.core.clock import utcnow
from app.core.jobs.names import REMINDERS_JOB, SWEEP_JOB, resolve

log = logging.getLogger(__name__)

# The daily reminders send each reminder once per day, so running them hourly is harmless.
REMINDERS_SECONDS = 3600
POLL_SECONDS = 0.1


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
        now = utcnow().timestamp()
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
            job = self._next_job(timeout)
            if job is None:
                continue
            name, args = job
            if name and not self._stopping.is_set():
                self._run(name, args)

    def _next_job(self, timeout: float) -> tuple[str, tuple] | None:
        """The next queued job, or None once `timeout` seconds pass or the runner stops.

        Waits in short sleeps, not in one timed `Queue.get`: a timed lock wait never returns under
        libfaketime (which the suite runs under to check other dates), and a sleep of a tenth of a
        second costs nothing in a runner meant for one machine."""
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                return self.jobs.get_nowait()
            except queue.Empty:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopping.is_set():
                    return None
                time.sleep(min(POLL_SECONDS, remaining))

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
