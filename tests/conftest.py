"""Shared fixtures: one migrated database per run and per pytest-xdist worker (SQLite, or
PostgreSQL via TEST_DATABASE_URL), seeded once with the shipped diagrams and the demo agency and put
back to that seed before each test (tests/seed.py), and one frozen instant for every test."""
import re
import tempfile
from datetime import UTC, datetime

import pytest
import time_machine
from flask import g
from flask_migrate import upgrade
from sqlalchemy import select, text

from app import create_app, demo_data
from app.engine import specs
from app.extensions import db
from app.models import Employee, User, calendar
from app.services.designer.deployment import deploy_shipped
from app.services.monitoring import work_logs
from tests import seed

# The instant every test runs at, whatever the machine's date: Friday 20 November 2026, 10:00 WIB,
# late in the demo's 2026 cycle (which tests.helpers.start_cycle starts in January). A test that
# needs another instant travels there itself; one that runs real worker processes asks for a
# ticking clock (`@pytest.mark.ticking_clock`), which the workers share (tests/workers/conftest.py).
FROZEN_AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)

# Tests that start real `rq` processes (they ask for Redis) or drive Chromium take seconds each:
# they are marked `slow`, so a developer can leave them out (`make test-fast`); CI runs them.
SLOW_FIXTURES = {"redis_url", "browser"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)
    # Slow tests first: under pytest-xdist they start at once on their workers and the short tests
    # fill in around them, instead of one worker finishing a long tail alone.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def frozen_clock(request):
    ticking = request.node.get_closest_marker("ticking_clock") is not None
    with time_machine.travel(FROZEN_AT, tick=ticking) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def app():
    url = seed.database_url()
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "JOBS_SYNC": True,
        "SERVER_NAME": "localhost",
        "REDIS_URL": None,
        "UPLOAD_DIR": tempfile.mkdtemp(prefix="siklus-uploads-"),
        # Argon2id at its lowest cost: the demo users' hash and every login take microseconds.
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 8,
        "PASSWORD_HASH_PARALLELISM": 1,
    })
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
    yield app


@pytest.fixture(scope="session")
def seeded(app):
    """The shipped diagrams deployed and the demo agency loaded, once, at the suite's instant."""
    with app.app_context(), time_machine.travel(FROZEN_AT, tick=False):
        deploy_shipped(db.session)
        demo_data.load(db.session)
        db.session.commit()
        db.session.remove()
        return seed.capture(db.engine, [t.name for t in db.metadata.sorted_tables])


@pytest.fixture
def ctx(app, seeded):
    with app.app_context():
        seeded.restore(db.engine)
        # A test that deployed its own diagrams or added agencies left ids that the next one reuses:
        # caches keyed by them start empty.
        specs.forget_version_ids()
        calendar.forget(None)
        work_logs.forget_rules(None)
        yield app
        db.session.remove()


@pytest.fixture
def session(ctx):
    return db.session


@pytest.fixture
def client(ctx):
    """Every request here runs inside the test's app context, so `g` (the signed-in user, the
    locale) and the session would carry over from one request to the next. In production each
    request starts clean and its teardown rolls back what it did not commit: do the same, so a
    test sees what a user's request really stored and shown."""
    test_client = ctx.test_client()
    run_request = test_client.run_wsgi_app  # once per request, redirects followed included

    def run_and_end_request(*args, **kwargs):
        g.__dict__.clear()
        # What the test did itself before this request (services it called flush, they do not
        # commit) is committed, as another request or a job would have done.
        db.session.commit()
        try:
            return run_request(*args, **kwargs)
        finally:
            db.session.rollback()
            g.__dict__.clear()

    test_client.run_wsgi_app = run_and_end_request
    return test_client


def user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def employee(username: str) -> Employee:
    return user(username).employee


@pytest.fixture
def login(client):
    """login("staf02") signs that demo user in on the shared test client."""
    def do(username: str):
        client.post("/logout")
        response = client.post("/login", data={"username": username, "password": demo_data.DEMO_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client
    return do


def text_of(response) -> str:
    """Visible text of a page with tags removed, for assertions on what a user reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
