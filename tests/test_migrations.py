"""The Alembic migrations build exactly the schema the models declare, in one linear chain; the
status checks (0007) go onto a database that already holds data, and come off again."""
import tempfile
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from app import create_app, demo_data
from app.extensions import db
from app.models import Case, Employee, HumanTask, Period, Plan, ProcessVersion
from app.models.statuses import STATUS_COLUMNS, PeriodState, PlanStatus, TaskStatus
from app.services.designer.deployment import deploy_shipped


def test_models_and_migrations_agree(ctx):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


# -- the chain, and migration 0007 on a database that already holds data -------------------------

BEFORE_CHECKS = "0005"


def test_migration_chain_is_linear_with_one_head(ctx):
    script = ScriptDirectory.from_config(ctx.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert all(not isinstance(r.down_revision, tuple) for r in revisions), "a merge revision"
    assert not [r.revision for r in revisions if r.is_branch_point], "a revision with two children"
    assert revisions[-1].down_revision is None and len(revisions) == len({r.revision for r in revisions})


@pytest.fixture
def scratch_app(app):
    """An app on a database of its own (SQLite file, or `<test db>_steps` on the same PostgreSQL)
    that a test may move up and down the migration chain."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        parsed = make_url(url)
        name = f"{parsed.database}_steps"
        admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        scratch_url = parsed.set(database=name).render_as_string(hide_password=False)
    else:
        admin, name = None, None
        scratch_url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='siklus-steps-')) / 'steps.db'}"
    scratch = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_url, "REDIS_URL": None,
                          "JOBS_SYNC": True, "UPLOAD_DIR": tempfile.mkdtemp(prefix="siklus-steps-")})
    with scratch.app_context():
        yield scratch
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()


def _migrate(scratch, revision: str) -> None:
    # The test's own session must hold no transaction: on PostgreSQL its read locks would keep the
    # migration's ALTER TABLE waiting for ever.
    db.session.remove()
    config = scratch.extensions["migrate"].migrate.get_config()
    if revision == BEFORE_CHECKS and _current(scratch) not in (None, BEFORE_CHECKS):
        command.downgrade(config, revision)
    else:
        command.upgrade(config, revision)


def _current(scratch):
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.scalar(text("SELECT version_num FROM alembic_version"))


def _checks() -> dict[str, set[str]]:
    inspector = inspect(db.engine)
    return {table: {c["name"] for c in inspector.get_check_constraints(table)}
            for table in [t for t, _c, _e in STATUS_COLUMNS] + ["role_grant"]}


def _snapshot() -> dict:
    rows = {}
    for table, column, _enum in STATUS_COLUMNS:
        rows[table] = sorted(db.session.execute(text(f'SELECT id, {column} FROM "{table}"')).all())
    rows["role_grant"] = sorted(db.session.execute(text("SELECT id, user_id, role, unit_id FROM role_grant")).all())
    return rows


def _load_rows(session) -> None:
    deploy_shipped(session)
    demo_data.load(session)
    version = session.scalars(select(ProcessVersion).order_by(ProcessVersion.id)).first()
    worker = session.scalars(select(Employee).order_by(Employee.id)).first()
    case = Case(process_version_id=version.id, process_id=version.process_id, cycle_key="2026",
                employee_id=worker.id, unit_id=worker.unit_id, unit_path=worker.unit.path)
    session.add(case)
    session.flush()
    session.add_all([
        HumanTask(case_id=case.id, task_guid="t-1", bpmn_id="b", name="n", form_key="note", lane="hr",
                  subject_employee_id=worker.id, status=TaskStatus.COMPLETED),
        Plan(case_id=case.id, employee_id=worker.id, cycle_key="2026", status=PlanStatus.APPROVED),
        Period(agency_id=worker.agency_id, cycle_key="2026", key="2026-01", kind="month",
               starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 31), state=PeriodState.CLOSED),
    ])
    session.commit()


def test_status_checks_are_added_to_a_database_with_data_and_removed_again(scratch_app):
    _migrate(scratch_app, BEFORE_CHECKS)
    _load_rows(db.session)
    before = _snapshot()
    assert not any(name.startswith("ck_") for names in _checks().values() for name in names)

    _migrate(scratch_app, "head")
    db.session.remove()
    assert _snapshot() == before
    checks = _checks()
    for table, column, _enum in STATUS_COLUMNS:
        assert f"ck_{table}_{column}" in checks[table]
    assert "ck_role_grant_role" in checks["role_grant"]
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE human_task SET status = 'paused'"))
    db.session.rollback()

    _migrate(scratch_app, BEFORE_CHECKS)
    db.session.remove()
    assert _snapshot() == before
    assert not any(name.startswith("ck_") for names in _checks().values() for name in names)
    db.session.execute(text("UPDATE human_task SET status = 'paused'"))  # nothing checks it any more
    db.session.commit()


def test_a_value_the_code_does_not_write_stops_the_upgrade_before_any_change(scratch_app):
    _migrate(scratch_app, BEFORE_CHECKS)
    _load_rows(db.session)
    db.session.execute(text("UPDATE human_task SET status = 'paused'"))
    db.session.commit()
    db.session.remove()
    with pytest.raises(RuntimeError, match=r"human_task\.status: paused"):
        _migrate(scratch_app, "head")
    db.session.remove()
    assert _current(scratch_app) == BEFORE_CHECKS
    assert not any(name.startswith("ck_") for names in _checks().values() for name in names)

