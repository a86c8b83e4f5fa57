"""The operations page against real Redis: workers, a failed job and its retry."""
import pytest
from redis import Redis
from rq import Queue

from app.core.jobs.queue import WORKER_CLASS, enqueue
from tests.conftest import text_of
from tests.web.conftest import visible
from tests.workers.conftest import burst_worker, rq_mode

# Real rq processes run beside the test: its clock runs on from the frozen instant, as theirs does.
pytestmark = pytest.mark.ticking_clock


def test_a_failed_job_is_shown_and_retried(login, ctx, redis_url):
    client = login("hr.admin")
    with rq_mode(ctx, redis_url):
        enqueue("workers.jobs.close_period", 999999, 1)  # one argument too many: the job fails
    assert burst_worker(ctx, redis_url).returncode == 0
    with rq_mode(ctx, redis_url):
        page = client.get("/ops")
        text = visible(page)
        assert "Mode: Redis dan pekerja RQ" in text
        assert "Gagal (1)" in text and "workers.jobs.close_period" in text and "TypeError" in text
        assert "Tidak ada pekerja yang hidup" in text and f"rq worker --with-scheduler -w {WORKER_CLASS}" in text
        queue = Queue("default", connection=Redis.from_url(redis_url))
        job_id = queue.failed_job_registry.get_job_ids()[0]
        response = client.post(f"/ops/failed/{job_id}/retry", follow_redirects=True)
        assert "Pekerjaan dimasukkan kembali ke antrean." in visible(response)
        assert queue.count == 1 and queue.failed_job_registry.count == 0
        missing = client.post(f"/ops/failed/{job_id}/retry", follow_redirects=True)
        assert "tidak ditemukan" in text_of(missing)
