"""The test database, per pytest-xdist worker, and the seeded state every test starts from.

The seed (migrated schema, shipped diagrams, demo agency) is built once per session; before each
test the database is put back to it. Services commit, tests run threads and real `rq` processes
on their own connections, so the seed is restored in the database itself rather than hidden
behind a transaction that a test rolls back.
"""
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.engine import URL


def worker_index() -> int:
    """0 for the first pytest-xdist worker ("gw0") and when the suite runs without xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw"))


def database_url() -> str:
    """A temporary SQLite file per session, or TEST_DATABASE_URL; under xdist each worker gets its
    own PostgreSQL database named after it (`test` -> `test_gw0`, `test_gw1`). The database is
    created if missing."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(tempfile.mkdtemp(prefix='siklus-test-')) / 'test.db'}"
    own = make_url(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is not None:
        own = own.set(database=f"{own.database}_{worker}")
    _create_database(own)
    return own.render_as_string(hide_password=False)


def _create_database(url: URL) -> None:
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        server.dispose()


@contextmanager
def _driver_connection(engine: Engine):
    pooled = engine.raw_connection()
    try:
        yield pooled.driver_connection
    finally:
        pooled.close()


class SqliteSeed:
    """The seeded file, copied into memory; SQLite's backup API writes it back page by page under
    SQLite's own locks, so connections left in the pool simply read the restored file."""

    def __init__(self, engine: Engine, tables: list[str]):
        self._copy = sqlite3.connect(":memory:")
        with _driver_connection(engine) as conn:
            conn.backup(self._copy)

    def restore(self, engine: Engine) -> None:
        with _driver_connection(engine) as conn:
            self._copy.backup(conn)


class PostgresSeed:
    """The seeded rows, copied into a schema of their own; a test's database is emptied and
    refilled from it in one transaction, and the id sequences are set back to where the seed left
    them, so every test sees the same ids."""

    SCHEMA = "test_seed"

    def __init__(self, engine: Engine, tables: list[str]):
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE; CREATE SCHEMA {self.SCHEMA}"))
            for table in tables:
                conn.execute(text(f'CREATE TABLE {self.SCHEMA}."{table}" AS TABLE public."{table}"'))
            # Tables the seed leaves empty need no copy back.
            self._filled = [t for t in tables if conn.scalar(text(f'SELECT EXISTS (SELECT 1 FROM public."{t}")'))]
            self._columns = {t: ", ".join(f'"{c}"' for c in conn.scalars(text(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                "AND table_name = :t ORDER BY ordinal_position"), {"t": t})) for t in self._filled}
            sequences = conn.execute(text(
                "SELECT quote_ident(sequencename), last_value FROM pg_sequences WHERE schemaname = 'public'")).all()
        self._empty_all = "TRUNCATE " + ", ".join(f'public."{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        moved = [f"setval('public.{name}', {last})" for name, last in sequences if last is not None]
        self._sequences = f"SELECT {', '.join(moved)}" if moved else None

    def restore(self, engine: Engine) -> None:
        with engine.begin() as conn:
            conn.execute(text(self._empty_all))
            # The rows are a copy of a consistent database, but org units and employees point at
            # each other: no order of inserts satisfies both foreign keys, so their checks are off
            # for this transaction (a superuser setting; the tests connect as one).
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for table in self._filled:
                columns = self._columns[table]
                conn.execute(text(f'INSERT INTO public."{table}" ({columns}) SELECT {columns} FROM {self.SCHEMA}."{table}"'))
            if self._sequences:
                conn.execute(text(self._sequences))


def capture(engine: Engine, tables: list[str]) -> SqliteSeed | PostgresSeed:
    """Keep the database's current content as the seed; `tables` in dependency order."""
    seed = PostgresSeed if engine.dialect.name == "postgresql" else SqliteSeed
    return seed(engine, tables)
