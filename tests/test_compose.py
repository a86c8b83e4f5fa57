"""There is no Docker engine here, so the compose file is checked by reading it."""
from pathlib import Path

import yaml

from app.core.jobs.queue import WORKER_CLASS

ROOT = Path(__file__).resolve().parent.parent


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_services_the_design_names():
    services = _compose()["services"]
    assert set(services) == {"web", "worker", "cron", "db", "redis"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_web_migrates_then_serves_with_gunicorn_on_the_app_factory():
    web = _compose()["services"]["web"]
    command = web["command"]
    assert command.index("flask db upgrade") < command.index("gunicorn")
    assert "'app:create_app()'" in command
    assert web["ports"] == ["8000:8000"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"


def test_worker_runs_rq_with_the_scheduler_against_the_compose_redis():
    worker = _compose()["services"]["worker"]
    assert worker["command"].startswith("rq worker --with-scheduler")
    assert f"-w {WORKER_CLASS} " in worker["command"]
    assert "redis://redis:6379/0" in worker["command"]
    assert worker["environment"]["REDIS_URL"] == "redis://redis:6379/0"


def test_two_workers_by_default_with_time_to_finish_a_batch():
    worker = _compose()["services"]["worker"]
    assert worker["deploy"]["replicas"] == 2
    assert worker["stop_grace_period"] == "2m"


def test_cron_runs_the_schedule_module_against_the_compose_redis():
    cron = _compose()["services"]["cron"]
    assert cron["command"] == "rq cron workers/cron.py --url redis://redis:6379/0"
    assert (ROOT / "workers" / "cron.py").exists()
    assert cron["depends_on"]["db"]["condition"] == "service_healthy"


def test_app_services_share_database_and_secret_from_environment():
    services = _compose()["services"]
    for name in ("web", "worker", "cron"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["SECRET_KEY"].startswith("${SECRET_KEY")
        assert services[name]["build"] == "."


def test_dockerfile_builds_what_the_commands_need():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for needed in ("COPY migrations", "COPY workflows", "pip install", "npm run build"):
        assert needed in dockerfile
