"""The operations page for HR and IT: the queue mode, and a clear message when Redis is down."""
from tests.conftest import text_of
from tests.web.conftest import visible


def test_ops_page_for_hr_and_it_only(login, ctx):
    for username in ("hr.admin", "tim.it"):
        response = login(username).get("/ops")
        assert response.status_code == 200, username
        assert "Mode: Langsung (mode uji)" in text_of(response)
    for username in ("staf02", "kasi.rujukan", "auditor"):
        client = login(username)
        assert client.get("/ops").status_code == 403, username
        assert client.post("/ops/failed/abc/retry").status_code == 403, username


def test_ops_page_says_when_redis_is_down(login, ctx):
    client = login("tim.it")
    ctx.config.update(JOBS_SYNC=False, REDIS_URL="redis://127.0.0.1:1/0")
    try:
        response = client.get("/ops")
        assert response.status_code == 200
        assert "Antrean tugas latar (Redis) tidak dapat dihubungi" in visible(response)
        retry = client.post("/ops/failed/abc/retry", follow_redirects=True)
        assert "Antrean tugas latar (Redis) tidak dapat dihubungi" in visible(retry)
    finally:
        ctx.config.update(JOBS_SYNC=True, REDIS_URL=None)
