"""Enqueue a job by dotted name: to RQ when REDIS_URL is set, else to an in-process runner thread.

The same job functions run either way, so one command starts a working system on SQLite while
production runs `rq worker` processes.
"""
import importlib
import logging
import queue
import threading

from flask import current_app

from app.services.errors import ServiceError

log = logging.getLogger(__name__)
_local_jobs: "queue.Queue[tuple]" = queue.Queue()
_runner: threading.Thread | None = None
_runner_lock = threading.Lock()


def _resolve(name: str):
    module, _, func = name.rpartition(".")
    return getattr(importlib.import_module(module), func)


def _run_local_forever(app):
    while True:
        name, args = _local_jobs.get()
        with app.app_context():
            try:
                _resolve(name)(*args)
            except Exception:  # a failed job must not stop the runner; it is logged for the operator
                log.exception("job %s failed", name)
        _local_jobs.task_done()


def _ensure_runner(app) -> None:
    global _runner
    with _runner_lock:
        if _runner is None or not _runner.is_alive():
            _runner = threading.Thread(target=_run_local_forever, args=(app,), daemon=True, name="jobs")
            _runner.start()


def enqueue(name: str, *args) -> None:
    _resolve(name)  # an unknown job name fails here, at the caller, not later in a worker
    app = current_app._get_current_object()
    if app.config.get("JOBS_SYNC"):
        _resolve(name)(*args)
        return
    url = app.config.get("REDIS_URL")
    if not url:
        _ensure_runner(app)
        _local_jobs.put((name, args))
        return
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    try:
        Queue("default", connection=Redis.from_url(url)).enqueue(name, *args, job_timeout=3600)
    except RedisError as err:
        raise ServiceError("Antrean tugas latar (Redis) tidak dapat dihubungi; tidak ada yang diproses. "
                           "Coba lagi sebentar lagi.") from err

