"""Who may see which employees and cases: every query is scoped through here."""
from flask_babel import gettext as _
from sqlalchemy import and_, false, or_, select

from app.core.errors import Forbidden
from app.models import Case, Complaint, Employee, OrgUnit, SupervisorAssignment, User
from app.models.roles import COMPLAINT_READER_ROLES, OVERSEER_ROLES, Role


def _subordinate_ids(user: User):
    """Direct reports today, plus everyone in a unit the user heads."""
    if user.employee_id is None:
        return select(Employee.id).where(false())
    today = user.today()
    direct = select(SupervisorAssignment.employee_id).where(
        SupervisorAssignment.supervisor_id == user.employee_id,
        SupervisorAssignment.valid_from <= today,
        or_(SupervisorAssignment.valid_to.is_(None), SupervisorAssignment.valid_to >= today),
    )
    headed = select(Employee.id).join(OrgUnit, Employee.unit_id == OrgUnit.id).where(
        OrgUnit.head_employee_id == user.employee_id
    )
    return direct.union(headed)


def _agency_paths(user: User) -> list[str]:
    return user.scope_paths(*OVERSEER_ROLES)


def case_filter(user: User):
    """A WHERE clause on Case: own cases, subordinates' cases, and HR/auditor scope."""
    clauses = [Case.employee_id.in_(_subordinate_ids(user))]
    if user.employee_id is not None:
        clauses.append(Case.employee_id == user.employee_id)
    clauses += [Case.unit_path.like(f"{path}%") for path in _agency_paths(user)]
    return or_(*clauses)


def can_view_case(session, user: User, case: Case) -> bool:
    return session.scalar(select(Case.id).where(and_(Case.id == case.id, case_filter(user)))) is not None


def is_hr_for(user: User, unit_path: str) -> bool:
    return user.covers(unit_path, Role.HR)


def hr_units(session, user: User) -> list[OrgUnit]:
    paths = user.scope_paths(Role.HR)
    if not paths:
        return []
    return list(session.scalars(
        select(OrgUnit).where(or_(*[OrgUnit.path.like(f"{p}%") for p in paths])).order_by(OrgUnit.path)
    ))


def hr_agency(session, user: User):
    """The agency an HR user administers; anyone else is refused."""
    units = hr_units(session, user)
    if not units:
        raise Forbidden(_("Halaman ini khusus pengelola kinerja (HR)."))
    return units[0].agency


def employee_filter(user: User):
    """A WHERE clause on Employee: oneself, one's subordinates, and HR/auditor scope."""
    clauses = [Employee.id.in_(_subordinate_ids(user))]
    if user.employee_id is not None:
        clauses.append(Employee.id == user.employee_id)
    paths = _agency_paths(user)
    if paths:
        clauses.append(Employee.unit_id.in_(
            select(OrgUnit.id).where(or_(*[OrgUnit.path.like(f"{p}%") for p in paths]))))
    return or_(*clauses)


def can_view_employee(session, user: User, employee_id: int) -> bool:
    return session.scalar(select(Employee.id).where(Employee.id == employee_id, employee_filter(user))) is not None


def supervises(session, user: User, employee_id: int) -> bool:
    """A direct supervisor today, or the head of the employee's unit."""
    if user.employee_id is None or employee_id == user.employee_id:
        return False
    return session.scalar(select(Employee.id).where(
        Employee.id == employee_id, Employee.id.in_(_subordinate_ids(user)))) is not None


def units_in_scope(session, user: User) -> list[OrgUnit]:
    """Units whose compliance the user may see: HR/auditor subtrees, and units the user heads."""
    paths = _agency_paths(user)
    if user.employee_id is not None:
        paths += list(session.scalars(select(OrgUnit.path).where(OrgUnit.head_employee_id == user.employee_id)))
    if not paths:
        return []
    return list(session.scalars(
        select(OrgUnit).where(or_(*[OrgUnit.path.like(f"{p}%") for p in paths])).order_by(OrgUnit.path)))


def complaint_filter(user: User):
    """A WHERE clause on Complaint: one's own, and those of the units one handles or oversees."""
    clauses = [Complaint.reporter_user_id == user.id]
    if user.employee_id is not None:
        clauses.append(Complaint.employee_id == user.employee_id)
    # Besides the reporter: those who handle complaints, HR and the auditor, in their grants' units.
    clauses += [Complaint.unit_path.like(f"{path}%") for path in user.scope_paths(*COMPLAINT_READER_ROLES)]
    return or_(*clauses)
