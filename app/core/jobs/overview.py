"""What the operations page shows: queues, workers, running and failed jobs, and retrying a failed one.

Reads RQ's own registries when REDIS_URL is set, the in-process runner otherwise. Redis being
down is reported, not raised: the page says so and the rest of the application keeps working.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from redis.exceptions import RedisError
from rq import Worker
from rq.cron import CronScheduler
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job

from app.core.errors import ServiceError
from app.core.jobs import queue


@dataclass
class JobRow:
    id: str
    name: str
    args: str
    status: str
    enqueued_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    error: str = ""
    worker: str = ""


@dataclass
class WorkerRow:
    name: str
    state: str
    current_job: str
    last_heartbeat: datetime | None


@dataclass
class Status:
    mode: str
    available: bool = True
    error: str = ""
    counts: dict = field(default_factory=dict)
    workers: list[WorkerRow] = field(default_factory=list)
    running: list[JobRow] = field(default_factory=list)
    failed: list[JobRow] = field(default_factory=list)
    failed_total: int = 0
    schedulers: list[dict] = field(default_factory=list)


def _short(text: str | None, limit: int = 300) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "")[:limit]


def _row(job, status: str) -> JobRow:
    result = job.latest_result() if status == "failed" else None
    return JobRow(id=job.id, name=job.func_name or "", args=", ".join(repr(a) for a in job.args)[:120],
                  status=status, enqueued_at=job.enqueued_at, started_at=job.started_at, ended_at=job.ended_at,
                  error=_short(getattr(result, "exc_string", None)), worker=getattr(job, "worker_name", "") or "")


def status(failed_offset: int = 0, failed_limit: int = 20) -> Status:
    current = queue.mode()
    if current == "sync":
        return Status(mode=current)
    if current == "local":
        return _local_status(failed_offset, failed_limit)
    try:
        return _rq_status(failed_offset, failed_limit)
    except RedisError as err:
        return Status(mode=current, available=False, error=f"{queue.REDIS_DOWN} ({type(err).__name__})")


def _local_status(offset: int, limit: int) -> Status:
    runner = queue.local_runner()
    failures = list(reversed(runner.failed))
    return Status(
        mode="local",
        counts={"queued": runner.jobs.qsize(), "started": 1 if runner.current else 0,
                "scheduled": runner.scheduled_count(), "failed": len(failures), "finished": runner.finished},
        running=[JobRow(id="-", name=runner.current, args="", status="started")] if runner.current else [],
        failed=[JobRow(id=str(f.id), name=f.name, args=", ".join(repr(a) for a in f.args)[:120], status="failed",
                       ended_at=f.at, error=f.error) for f in failures[offset:offset + limit]],
        failed_total=len(failures),
        workers=[WorkerRow(name=_("dalam proses web"), state="busy" if runner.current else "idle",
                           current_job=runner.current or "", last_heartbeat=None)],
    )


def _rq_status(offset: int, limit: int) -> Status:
    q = queue.rq_queue()
    connection = q.connection
    started_ids = q.started_job_registry.get_job_ids()
    failed_registry = q.failed_job_registry
    failed_total = failed_registry.count
    failed_ids = failed_registry.get_job_ids(offset, offset + limit - 1, desc=True)
    result = Status(
        mode="rq",
        counts={"queued": q.count, "started": len(started_ids), "scheduled": q.scheduled_job_registry.count,
                "deferred": q.deferred_job_registry.count, "failed": failed_total,
                "finished": q.finished_job_registry.count},
        failed_total=failed_total,
    )
    result.running = [_row(job, "started") for job in Job.fetch_many(started_ids[:50], connection) if job]
    result.failed = [_row(job, "failed") for job in Job.fetch_many(failed_ids, connection) if job]
    for worker in Worker.all(queue=q):
        result.workers.append(WorkerRow(name=worker.name, state=str(worker.get_state()),
                                        current_job=worker.get_current_job_id() or "",
                                        last_heartbeat=worker.last_heartbeat))
    for scheduler in CronScheduler.all(connection):
        result.schedulers.append({"name": scheduler.name, "last_heartbeat": scheduler.last_heartbeat,
                                  "jobs": [job.func_name for job in scheduler.get_jobs()]})
    return result


def retry(job_id: str) -> None:
    """Put one failed job back on its queue."""
    current = queue.mode()
    if current == "local":
        if not job_id.isdigit() or not queue.local_runner().retry(int(job_id)):
            raise ServiceError(_("Pekerjaan gagal itu tidak ditemukan (mungkin sudah diulang)."))
        return
    if current != "rq":
        raise ServiceError(_("Tidak ada antrean pekerjaan dalam mode ini."))
    try:
        queue.rq_queue().failed_job_registry.requeue(job_id)
    except (NoSuchJobError, InvalidJobOperation) as err:
        raise ServiceError(_("Pekerjaan gagal itu tidak ditemukan (mungkin sudah diulang).")) from err
    except RedisError as err:
        raise ServiceError(queue.REDIS_DOWN) from err
