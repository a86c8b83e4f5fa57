"""Lanes are roles: turn a lane name into a person or a candidate group for one case's employee."""
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from app.models import Employee, OrgUnit, RoleGrant, SupervisorAssignment, User
from app.models.roles import GROUP_ROLES, ORG_ROLES, ROLE_LABELS, Role

# A lane is named by a role key: a person for the org roles, a candidate group for the others.
# The labels are lazy: a stored text that names a lane reads them under force_locale("id").
PERSON_LANES = ORG_ROLES
GROUP_LANES = GROUP_ROLES
KNOWN_LANES = PERSON_LANES + GROUP_LANES
LANE_LABELS = {role: ROLE_LABELS[role] for role in KNOWN_LANES}


@dataclass(frozen=True)
class Assignment:
    user_id: int | None = None
    candidate_role: str | None = None
    candidate_unit_path: str | None = None
    fallback_reason: str | None = None


def supervisor_on(session: Session, employee_id: int, on: date) -> Employee | None:
    stmt = (
        select(SupervisorAssignment)
        .where(
            SupervisorAssignment.employee_id == employee_id,
            SupervisorAssignment.valid_from <= on,
            (SupervisorAssignment.valid_to.is_(None)) | (SupervisorAssignment.valid_to >= on),
        )
        .order_by(SupervisorAssignment.valid_from.desc())
        .limit(1)
    )
    row = session.scalars(stmt).first()
    return row.supervisor if row else None


def _supervisor_accounts(on: date):
    return (
        select(SupervisorAssignment.employee_id, User.id)
        .join(SupervisorAssignment, SupervisorAssignment.supervisor_id == User.employee_id)
        .where(
            SupervisorAssignment.valid_from <= on,
            (SupervisorAssignment.valid_to.is_(None)) | (SupervisorAssignment.valid_to >= on),
            User.is_active_account.is_(True),
        )
        .order_by(SupervisorAssignment.valid_from.desc())
    )


def supervisor_user_id(session: Session, employee_id: int, on: date) -> int | None:
    """The supervisor's active account on a date, in one query (this runs on every new task)."""
    row = session.execute(_supervisor_accounts(on).where(SupervisorAssignment.employee_id == employee_id)
                          .limit(1)).first()
    return row[1] if row else None


@dataclass(frozen=True)
class KnownSupervisors:
    """Supervisor accounts of many employees on one date, read in one query for a batch of steps
    (a period's close gives every case a task in its supervisor's lane)."""
    on: date
    user_ids: dict

    @classmethod
    def load(cls, session: Session, employee_ids, on: date) -> "KnownSupervisors":
        ids = list(employee_ids)
        found: dict[int, int | None] = dict.fromkeys(ids)
        seen = set()
        for employee_id, user_id in session.execute(
                _supervisor_accounts(on).where(SupervisorAssignment.employee_id.in_(ids))):
            if employee_id not in seen:  # the newest assignment comes first
                seen.add(employee_id)
                found[employee_id] = user_id
        return cls(on, found)

    def knows(self, employee_id: int, on: date) -> bool:
        return on == self.on and employee_id in self.user_ids


def unit_head_for(session: Session, employee: Employee) -> Employee | None:
    """The head of the employee's unit, or of the parent unit when the employee heads their own."""
    unit = employee.unit
    while unit is not None:
        if unit.head_employee_id and unit.head_employee_id != employee.id:
            return session.get(Employee, unit.head_employee_id)
        unit = session.get(OrgUnit, unit.parent_id) if unit.parent_id else None
    return None


def _user_for(session: Session, employee: Employee | None) -> int | None:
    if employee is None:
        return None
    return session.scalar(
        select(User.id).where(User.employee_id == employee.id, User.is_active_account.is_(True))
    )


def _group(role: str, employee: Employee, reason: str | None = None) -> Assignment:
    return Assignment(candidate_role=role, candidate_unit_path=employee.unit.path, fallback_reason=reason)


def _members(role: str, unit_path: str):
    """Active accounts holding `role` for this unit or a unit above it: a candidate group."""
    return (select(User).join(RoleGrant, RoleGrant.user_id == User.id).join(OrgUnit, OrgUnit.id == RoleGrant.unit_id)
            .where(RoleGrant.role == role, User.is_active_account.is_(True),
                   literal(unit_path).like(OrgUnit.path + "%")))


def group_members(session: Session, role: str, unit_path: str) -> list[User]:
    return list(session.scalars(_members(role, unit_path).distinct().order_by(User.display_name)))


def is_member(session: Session, user_id: int, role: str, unit_path: str) -> bool:
    return session.scalar(_members(role, unit_path).where(User.id == user_id).with_only_columns(User.id)
                          .limit(1)) is not None


def group_has_member(session: Session, role: str, unit_path: str) -> bool:
    return session.scalar(_members(role, unit_path).with_only_columns(User.id).limit(1)) is not None


def resolve(session: Session, lane: str, employee: Employee, on: date,
            known: KnownSupervisors | None = None) -> Assignment:
    """Resolve at the moment the task becomes ready, so a supervisor change applies to the next task.

    A person lane with nobody to act (no supervisor above a top official, no account) falls back
    to the HR group, with the reason recorded, rather than leaving the task unowned.
    """
    if lane == Role.PIC and not group_has_member(session, Role.PIC, employee.unit.path):
        # A unit without a PIC (the top office, a new unit) must not leave complaints unowned.
        return _group(Role.IT, employee, "Unit ini belum memiliki PIC; pengaduan ditangani Tim TI")
    if lane in GROUP_LANES:
        return _group(lane, employee)
    if lane == Role.EMPLOYEE:
        user_id = _user_for(session, employee)
    elif lane == Role.SUPERVISOR:
        if known is not None and known.knows(employee.id, on):
            user_id = known.user_ids[employee.id]
        else:
            user_id = supervisor_user_id(session, employee.id, on)
    elif lane == Role.UNIT_HEAD:
        user_id = _user_for(session, unit_head_for(session, employee))
    else:
        raise ValueError(f"Lane '{lane}' tidak dikenal")
    if user_id is None:
        # The reason goes into the audit trail, which is kept in Bahasa Indonesia whoever's step
        # (or whichever worker) got here.
        with force_locale("id"):
            reason = f"Tidak ada akun aktif untuk peran '{LANE_LABELS[lane]}'"
        return _group(Role.HR, employee, reason)
    return Assignment(user_id=user_id)
