"""A unit's own result and the spread of grades it allows (SE MenPAN-RB 3/2023).

The head of the unit or HR sets the result for a period; the unit head's results rating follows
from it; the grades given in the unit's subtree for that period are checked against it."""
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.errors import Forbidden, ServiceError
from app.core.language import stored_language
from app.models import Appraisal, Case, Employee, OrgUnit, Period, UnitResult, User
from app.models.roles import OVERSEER_ROLES, Role
from app.rules.distribution import check_distribution
from app.rules.grade_matrix import UNIT_RESULT_LABELS, unit_result_to_results_rating
from app.rules.ratings import GRADES
from app.services.access import scope

ANNUAL = "annual"


@dataclass
class Distribution:
    unit: OrgUnit
    period_key: str
    result: UnitResult | None
    rows: list[tuple[Employee, Appraisal]]
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def may_manage(user: User, unit: OrgUnit) -> bool:
    return (user.employee_id is not None and unit.head_employee_id == user.employee_id) \
        or scope.is_hr_for(user, unit.path)


def may_view(user: User, unit: OrgUnit) -> bool:
    return may_manage(user, unit) or user.covers(unit.path, Role.AUDITOR)


def units_for(session: Session, user: User) -> list[OrgUnit]:
    """The units whose distribution this user may open: those they head, and HR's or an
    auditor's whole scope."""
    headed = [] if user.employee_id is None else list(session.scalars(
        select(OrgUnit).where(OrgUnit.head_employee_id == user.employee_id)))
    paths = user.scope_paths(*OVERSEER_ROLES)
    scoped = [u for u in session.scalars(select(OrgUnit).order_by(OrgUnit.path))
              if any(u.path.startswith(p) for p in paths)]
    seen = {u.id for u in scoped}
    return scoped + [u for u in headed if u.id not in seen]


def period_keys(session: Session, unit: OrgUnit) -> list[str]:
    keys = list(session.scalars(
        select(Period.key).where(Period.agency_id == unit.agency_id).order_by(Period.starts_on, Period.key)))
    return keys + [ANNUAL] if keys else []


def result_for(session: Session, unit_id: int, period_key: str) -> UnitResult | None:
    return session.scalars(
        select(UnitResult).where(UnitResult.unit_id == unit_id, UnitResult.period_key == period_key)).first()


def set_result(session: Session, user: User, unit: OrgUnit, period_key: str, result: str, note: str) -> UnitResult:
    if not may_manage(user, unit):
        raise Forbidden(_("Hanya kepala unit ini atau pengelola kinerja yang dapat menetapkan hasil unit."))
    if result not in UNIT_RESULT_LABELS:
        raise ServiceError(_("Pilih hasil kinerja unit."))
    if period_key not in period_keys(session, unit):
        raise ServiceError(_("Periode %(period)s tidak ada untuk instansi ini.", period=repr(period_key)))
    row = result_for(session, unit.id, period_key)
    before = row.result if row else None
    if row is None:
        row = UnitResult(unit_id=unit.id, period_key=period_key, result=result, set_by_id=user.id)
        session.add(row)
    row.result = result
    row.note = (note or "").strip()
    row.set_by_id = user.id
    with stored_language():
        summary = f"Hasil unit {unit.name} periode {period_key}: {UNIT_RESULT_LABELS[result]}"
    audit.record(session, user.id, "unit_result_set", summary,
                 detail={"unit_id": unit.id, "period": period_key, "before": before, "after": result})
    return row


def head_results_rating(session: Session, employee: Employee, period_key: str) -> str | None:
    """The results rating a unit head must get for the period, or None when the employee heads
    no unit or the unit has no result yet."""
    unit = session.scalars(select(OrgUnit).where(OrgUnit.head_employee_id == employee.id)).first()
    if unit is None:
        return None
    row = result_for(session, unit.id, period_key)
    return unit_result_to_results_rating(row.result) if row else None


def distribution(session: Session, unit: OrgUnit, period_key: str) -> Distribution:
    # The unit at rating time (the appraisal's snapshot), so a transfer later in the year does not
    # move a grade into another unit's spread.
    graded = [tuple(row) for row in session.execute(
        select(Employee, Appraisal)
        .join(Case, Case.id == Appraisal.case_id)
        .join(Employee, Employee.id == Case.employee_id)
        .join(OrgUnit, OrgUnit.id == Appraisal.unit_id)
        .where(OrgUnit.path.like(f"{unit.path}%"), Appraisal.period_key == period_key,
               Appraisal.grade.is_not(None))
        .order_by(Employee.name)
    )]
    result = result_for(session, unit.id, period_key)
    counts = Counter(appraisal.grade for _, appraisal in graded)
    report = Distribution(unit, period_key, result, graded, {g: counts.get(g, 0) for g in GRADES})
    if result is not None and graded:
        report.problems = check_distribution(result.result, [a.grade for _, a in graded])
    return report
