"""Shared fixtures: one migrated database per run (SQLite, or PostgreSQL via TEST_DATABASE_URL),
emptied and loaded with the demo agency before each test."""
import os
import re
import tempfile
from pathlib import Path

import pytest
from flask_migrate import upgrade
from flask import g
from sqlalchemy import select, text

from app import create_app
from app.engine import specs
from app.extensions import db
from app.models import Employee, User
from app.models import calendar
from app.services import demo_data, work_logs
from app.services.deployment import deploy_shipped


def _database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{Path(tempfile.mkdtemp(prefix='siklus-test-')) / 'test.db'}"


@pytest.fixture(scope="session")
def app():
    url = _database_url()
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "JOBS_SYNC": True,
        "SERVER_NAME": "localhost",
        "REDIS_URL": None,
        "UPLOAD_DIR": tempfile.mkdtemp(prefix="siklus-uploads-"),
    })
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
    yield app


def _empty_all_tables():
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(text("PRAGMA foreign_keys=OFF"))
        for table in tables:
            db.session.execute(text(f'DELETE FROM "{table}"'))
    db.session.commit()


@pytest.fixture
def ctx(app):
    with app.app_context():
        _empty_all_tables()
        # Emptying the tables lets the next test reuse version ids, which production never does.
        specs._by_version_id.clear()
        # Ids restart with the tables; calendars and rules cached by agency id must go too.
        calendar.forget(None)
        work_logs.forget_rules(None)
        deploy_shipped(db.session)
        demo_data.load(db.session)
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
