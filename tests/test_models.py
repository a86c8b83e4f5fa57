"""Model-level rules that protect the data whatever path writes it."""
import re

import pytest
from flask_babel import LazyString
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Case, Employee, HumanTask, RoleGrant, User, statuses
from app.models.roles import GRANTED_ROLES, Role
from app.models.statuses import STATUS_COLUMNS, CaseStatus, TaskStatus
from tests.conftest import user
from tests.helpers import start_cycle
from tests.import_isolation import import_failures


@pytest.mark.parametrize("nip, message", [
    ("19850315201001100", "18"),
    ("19851315201001 1001", "tanggal lahir"),
    ("198503152010013001", "jenis kelamin"),
])
def test_invalid_nip_is_refused_with_a_message(nip, message):
    with pytest.raises(ValueError) as err:
        Employee(nip=nip, name="X")
    assert message in str(err.value).lower() or message in str(err.value)


def test_valid_nip_is_kept_without_spaces():
    assert Employee(nip="19850315 201001 1 001", name="X").nip == "198503152010011001"


SERVICE_MODULES = ("app.services.wiring", "app.services.complaints.filing", "app.services.complaints.steps",
                   "app.services.complaints.task_types", "app.services.tasks.completion")


@pytest.mark.parametrize("module", SERVICE_MODULES)
def test_each_service_module_imports_on_its_own(module):
    """No import cycle hides behind the order a web app happens to import modules in (a script
    or a job importing the form handlers first once failed)."""
    assert module not in import_failures(SERVICE_MODULES), import_failures(SERVICE_MODULES)[module]


# -- statuses and roles ----------------------------------------------------------------------

@pytest.mark.parametrize("table, column, enum", STATUS_COLUMNS, ids=[f"{t}.{c}" for t, c, _e in STATUS_COLUMNS])
def test_every_status_column_has_a_check_with_exactly_its_enum(ctx, table, column, enum):
    checks = {c["name"]: c["sqltext"] for c in inspect(db.engine).get_check_constraints(table)}
    sqltext = checks[f"ck_{table}_{column}"]
    assert set(_quoted(sqltext)) == {m.value for m in enum}


def test_role_grants_have_a_check_with_the_granted_roles(ctx):
    checks = {c["name"]: c["sqltext"] for c in inspect(db.engine).get_check_constraints("role_grant")}
    assert set(_quoted(checks["ck_role_grant_role"])) == {r.value for r in GRANTED_ROLES}


def _quoted(sqltext: str) -> list[str]:
    return re.findall(r"'([^']*)'", sqltext)


def test_the_database_refuses_a_status_the_code_does_not_know(session):
    start_cycle()
    case_id = session.scalars(select(Case.id)).first()
    with pytest.raises(IntegrityError):
        session.execute(text('UPDATE "case" SET status = :s WHERE id = :id'), {"s": "paused", "id": case_id})
    session.rollback()
    task = session.scalars(select(HumanTask)).first()
    task.status = "done"  # a typo the ORM passes through; the CHECK stops it
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_the_database_refuses_a_role_that_is_not_granted(session):
    grant = session.scalars(select(RoleGrant)).first()
    session.add(RoleGrant(user_id=grant.user_id, role="supervisor", unit_id=grant.unit_id))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_statuses_load_as_enum_members_that_equal_the_stored_strings(session):
    start_cycle()
    case = session.scalars(select(Case)).first()
    assert case.status is CaseStatus.RUNNING and case.status == "running"
    assert session.scalar(select(Case.id).where(Case.status == "running").limit(1)) is not None
    assert session.scalar(text('SELECT status FROM "case" LIMIT 1')) == "running"
    assert f"{case.status}" == "running" and str(TaskStatus.OPEN) == "open"


def test_each_state_machine_has_one_complete_label_table():
    tables = {name: value for name, value in vars(statuses).items() if name.endswith("_LABELS")}
    for _table, _column, enum in STATUS_COLUMNS:
        matching = [t for t in tables.values() if set(t) == set(enum)]
        assert len(matching) == 1, enum
        # Lazy, so a page reads each label in the viewer's language.
        assert all(isinstance(label, LazyString) and str(label) for label in matching[0].values())


def test_scope_paths_covers_and_grants_by_role(session):
    hr = user("hr.admin")
    pic = session.scalars(select(User).join(RoleGrant).where(RoleGrant.role == Role.PIC)).first()
    root_path = hr.grants[0].unit.path
    assert hr.scope_paths(Role.HR) == [root_path] == hr.scope_paths(Role.HR, Role.AUDITOR)
    assert hr.scope_paths(Role.PIC) == [] and not hr.has_role(Role.PIC) and hr.has_role(Role.AUDITOR, Role.HR)
    assert hr.covers(pic.grants[0].unit.path, Role.HR)
    assert not pic.covers(root_path, Role.PIC) and pic.covers(pic.grants[0].unit.path + "x/", Role.PIC)
    assert hr.grant_agency_ids(Role.HR) == [hr.grants[0].unit.agency_id]
