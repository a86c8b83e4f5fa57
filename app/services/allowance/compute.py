"""Computing the allowance of a month for a range of employees: set-based reads, the pure formula,
and an upsert that writes only rows whose inputs changed.

One query per kind of fact for the whole range (placements, attendance days, validated minutes,
grades, sanctions, missed assemblies, the rows already stored), so a batch of thousands of
employees costs a handful of round trips. Each row carries the sha256 of its values: computing
again with the same inputs writes nothing, so there are no duplicates and no drift.
"""
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.dialect import insert_for
from app.core.errors import ServiceError
from app.models import (
    Allowance,
    ApelAbsence,
    Appraisal,
    AttendanceDay,
    Case,
    DisciplinarySanction,
    Employee,
    EmployeePlacement,
    MonitoringSetting,
    OrgUnit,
    Position,
    WorkLog,
)
from app.models.calendar import calendar_for
from app.models.statuses import DayStatus, LogStatus
from app.rules import allowance as formula
from app.rules import periods as period_rules
from app.services.allowance.rules import in_force, to_rules

DEFAULT_TARGET_MINUTES = 6750


@dataclass
class BatchOutcome:
    employees: int = 0
    changed: int = 0
    removed: int = 0
    warnings: list[str] = field(default_factory=list)


def month_bounds(period_key: str) -> tuple[date, date]:
    try:
        return period_rules.month_bounds(period_key)
    except ValueError as err:
        raise ServiceError(str(err)) from err


def _grade_keys(start: date) -> list[str]:
    """A month's own appraisal first, then its quarter's."""
    return [f"{start.year}-{start.month:02d}", f"{start.year}-Q{(start.month - 1) // 3 + 1}"]


def target_minutes(session: Session, agency_id: int) -> int:
    return session.scalar(select(MonitoringSetting.monthly_target_minutes).where(
        MonitoringSetting.agency_id == agency_id)) or DEFAULT_TARGET_MINUTES


def compute_range(session: Session, agency_id: int, period_key: str, first_id: int, last_id: int) -> BatchOutcome:
    """Compute and store the month for the agency's employees with ids first_id..last_id.

    The caller commits (the batch marks itself done in the same transaction)."""
    start, end = month_bounds(period_key)
    rule_set = in_force(session, agency_id, start.year)
    if rule_set is None:
        raise ServiceError(f"Aturan TPP yang berlaku untuk tahun {start.year} belum ada; isi aturan TPP dahulu.")
    rules = to_rules(rule_set)
    work_calendar = calendar_for(session, agency_id)
    working_days = tuple(d for d in _days(start, end) if work_calendar.is_working_day(d))
    target = target_minutes(session, agency_id)
    in_range = (Employee.agency_id == agency_id) & Employee.id.between(first_id, last_id)

    employees = {row.id: row for row in session.execute(
        select(Employee.id, Employee.nip, Employee.name, Employee.unit_id, Employee.position_id,
               Employee.rank_group, Employee.employment_type, Employee.is_active, Position.class_level)
        .join(Position, Position.id == Employee.position_id).where(in_range))}
    placements = defaultdict(list)
    for row in session.execute(
            select(EmployeePlacement.employee_id, EmployeePlacement.valid_from, EmployeePlacement.valid_to,
                   EmployeePlacement.unit_id, EmployeePlacement.position_id, Position.class_level, OrgUnit.name)
            .join(Employee, Employee.id == EmployeePlacement.employee_id)
            .join(Position, Position.id == EmployeePlacement.position_id)
            .join(OrgUnit, OrgUnit.id == EmployeePlacement.unit_id)
            .where(in_range, EmployeePlacement.employee_id.between(first_id, last_id), EmployeePlacement.valid_from <= end,
                   (EmployeePlacement.valid_to.is_(None)) | (EmployeePlacement.valid_to >= start))):
        placements[row.employee_id].append(formula.Placement(
            max(row.valid_from, start), min(row.valid_to or end, end), row.class_level, row.unit_id,
            row.position_id, row.name))
    with_history = set(session.scalars(
        select(EmployeePlacement.employee_id).join(Employee, Employee.id == EmployeePlacement.employee_id)
        .where(in_range, EmployeePlacement.employee_id.between(first_id, last_id)).distinct()))
    unit_names = dict(session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.agency_id == agency_id)).all())

    days, complete = _attendance(session, in_range & AttendanceDay.employee_id.between(first_id, last_id),
                                 start, end, working_days)
    minutes = dict(session.execute(
        select(WorkLog.employee_id, func.sum(WorkLog.minutes)).join(Employee, Employee.id == WorkLog.employee_id)
        .where(in_range, WorkLog.employee_id.between(first_id, last_id), WorkLog.status == LogStatus.VALIDATED,
               WorkLog.day.between(start, end))
        .group_by(WorkLog.employee_id)).all())
    month_key, quarter_key = _grade_keys(start)
    grades: dict[int, str] = {}
    for employee_id, key, grade in session.execute(
            select(Case.employee_id, Appraisal.period_key, Appraisal.grade).join(Case, Case.id == Appraisal.case_id)
            .join(Employee, Employee.id == Case.employee_id)
            .where(in_range, Case.employee_id.between(first_id, last_id),
                   Appraisal.period_key.in_((month_key, quarter_key)), Appraisal.grade.is_not(None))):
        if key == month_key or employee_id not in grades:
            grades[employee_id] = grade
    sanctions = defaultdict(list)
    for row in session.execute(
            select(DisciplinarySanction).join(Employee, Employee.id == DisciplinarySanction.employee_id)
            .where(in_range, DisciplinarySanction.employee_id.between(first_id, last_id),
                   DisciplinarySanction.revoked_at.is_(None), DisciplinarySanction.starts_on <= end,
                   DisciplinarySanction.ends_on >= start)).scalars():
        sanctions[row.employee_id].append(formula.Sanction(
            row.starts_on, row.ends_on, row.level, Decimal(row.cut_pct) if row.cut_pct is not None else None,
            f"{row.kind} ({row.decree_number})"))
    apel = defaultdict(set)
    for employee_id, day in session.execute(
            select(ApelAbsence.employee_id, ApelAbsence.day).join(Employee, Employee.id == ApelAbsence.employee_id)
            .where(in_range, ApelAbsence.employee_id.between(first_id, last_id), ApelAbsence.day.between(start, end))):
        apel[employee_id].add(day)
    stored = dict(session.execute(
        select(Allowance.employee_id, Allowance.inputs_hash).where(
            Allowance.agency_id == agency_id, Allowance.period_key == period_key,
            Allowance.employee_id.between(first_id, last_id))).all())

    outcome = BatchOutcome()
    rows = []
    for employee_id, emp in employees.items():
        stretches = placements.get(employee_id)
        if not stretches:
            if employee_id in with_history or not emp.is_active:
                continue  # not placed in this month (joined later, left earlier)
            stretches = [formula.Placement(start, end, emp.class_level, emp.unit_id, emp.position_id,
                                           unit_names.get(emp.unit_id, ""))]
        month_input = formula.MonthInput(
            working_days=working_days, placements=tuple(stretches), days=days.get(employee_id, {}),
            validated_minutes=int(minutes.get(employee_id) or 0), target_minutes=target,
            tax_key=formula.tax_key(emp.rank_group, emp.employment_type), grade=grades.get(employee_id),
            sanctions=tuple(sanctions.get(employee_id, ())), missed_apel=frozenset(apel.get(employee_id, ())),
            on_time_unless_listed=employee_id in complete)
        try:
            result = formula.compute(rules, month_input)
        except formula.AllowanceError as err:
            outcome.warnings.append(f"{emp.nip} {emp.name}: {err}")
            stored.pop(employee_id, None)  # keep what was stored; this employee needs HR first
            continue
        if result.days_covered == 0:
            continue
        outcome.employees += 1
        last = max(stretches, key=lambda p: p.start)
        row = _row(agency_id, period_key, start, employee_id, emp, last, rule_set.id, result)
        outcome.warnings += [f"{emp.nip} {emp.name}: {w}" for w in result.warnings]
        if stored.pop(employee_id, None) != row["inputs_hash"]:
            rows.append(row)
    if rows:
        _upsert(session, rows)
    outcome.changed = len(rows)
    if stored:
        # Rows of employees who no longer have any working day in the month.
        session.execute(delete(Allowance).where(Allowance.period_key == period_key,
                                                Allowance.employee_id.in_(list(stored))))
        outcome.removed = len(stored)
    return outcome


def _attendance(session: Session, in_range, start: date, end: date, working_days) -> tuple[dict, set]:
    """The month's working days that can cost something, and who has a record every working day.

    Most days are present and on time (or, on the attendance's own holidays, cost nothing); only the
    others are read, which keeps a batch of thousands of employees to a few thousand rows.
    Employees with a working day left unrecorded are read in full, so that day counts as TK."""
    days = defaultdict(dict)

    def add(rows):
        for row in rows:
            days[row.employee_id][row.day] = formula.Day(row.day, row.status, row.arrival_code, row.departure_code,
                                                         row.leave_type)

    columns = (AttendanceDay.employee_id, AttendanceDay.day, AttendanceDay.status, AttendanceDay.arrival_code,
               AttendanceDay.departure_code, AttendanceDay.leave_type)
    add(session.execute(select(*columns).join(Employee, Employee.id == AttendanceDay.employee_id).where(
        in_range, AttendanceDay.day.in_(working_days),
        AttendanceDay.status.not_in((DayStatus.PRESENT, DayStatus.HOLIDAY)) | AttendanceDay.arrival_code.is_not(None)
        | AttendanceDay.departure_code.is_not(None))))
    recorded = dict(session.execute(
        select(AttendanceDay.employee_id, func.count()).join(Employee, Employee.id == AttendanceDay.employee_id)
        .where(in_range, AttendanceDay.day.in_(working_days)).group_by(AttendanceDay.employee_id)).all())
    complete = {employee_id for employee_id, count in recorded.items() if count == len(working_days)}
    gaps = [employee_id for employee_id in recorded if employee_id not in complete]
    for i in range(0, len(gaps), 500):
        add(session.execute(select(*columns).where(AttendanceDay.employee_id.in_(gaps[i:i + 500]),
                                                   AttendanceDay.day.between(start, end))))
    return days, complete


def _row(agency_id, period_key, start, employee_id, emp, last, rule_set_id, result: formula.Result) -> dict:
    values = {
        "agency_id": agency_id, "employee_id": employee_id, "period_key": period_key, "month_start": start,
        "unit_id": last.unit_id, "position_id": last.position_id, "class_level": last.class_level,
        "rank_group": emp.rank_group, "rule_set_id": rule_set_id, "working_days": result.working_days,
        "days_covered": result.days_covered, "base_amount": result.base_amount,
        "validated_minutes": result.validated_minutes, "target_minutes": result.target_minutes,
        "performance_factor": result.performance_factor.quantize(Decimal("0.0001")), "grade": result.grade,
        "performance_part": result.performance_part, "discipline_base": result.discipline_base,
        "deduction_tl": result.deducted("tl"), "deduction_psw": result.deducted("psw"),
        "deduction_tk": result.deducted("tk"), "deduction_leave": result.deducted("leave"),
        "deduction_apel": result.deducted("apel"), "deduction_applied": result.deduction_applied,
        "discipline_part": result.discipline_part, "sanction_pct": result.sanction_pct.quantize(Decimal("0.001")),
        "sanction_cut": result.sanction_cut, "gross": result.gross, "contribution": result.contribution,
        "tax_pct": result.tax_pct, "tax": result.tax, "net": result.net, "items": items_of(result),
    }
    digest = json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))
    values["inputs_hash"] = hashlib.sha256(digest.encode()).hexdigest()
    values["computed_at"] = utcnow()
    return values


def items_of(result: formula.Result) -> list[dict]:
    """Every line with its reason, in reading order, as stored in `allowance.items`."""
    def item(line: formula.Line, sign: int = 1) -> dict:
        return {"code": line.code, "label": line.label, "amount": sign * line.amount,
                "day": line.day.isoformat() if line.day else None,
                "pct": str(line.pct) if line.pct is not None else None, "basis": line.basis}

    lines = [item(line) for line in result.performance_lines + result.discipline_lines]
    lines += [item(line, -1) for line in result.deductions]
    if result.deduction_total > result.deduction_applied:
        lines.append({"code": "BATAS", "label": "Potongan melebihi bagian disiplin; yang dipotong hanya sampai nol",
                      "amount": result.deduction_total - result.deduction_applied, "day": None, "pct": None,
                      "basis": None})
    if result.sanction_cut:
        lines.append({"code": "SANKSI", "label": "Potongan hukuman disiplin yang berlaku",
                      "amount": -result.sanction_cut, "day": None, "pct": str(result.sanction_pct.quantize(Decimal("0.001"))),
                      "basis": result.performance_part + result.discipline_part})
    lines.append({"code": "IURAN", "label": "Iuran pegawai", "amount": -result.contribution, "day": None,
                  "pct": str(result.contribution_pct), "basis": result.gross})
    lines.append({"code": "PAJAK", "label": "Pajak penghasilan dipotong", "amount": -result.tax, "day": None,
                  "pct": str(result.tax_pct), "basis": result.gross})
    lines += [{"code": "CATATAN", "label": warning, "amount": 0, "day": None, "pct": None, "basis": None}
              for warning in result.warnings]
    return lines


def _upsert(session: Session, rows: list[dict]) -> None:
    # The table, not the mapped class: a Core executemany without the ORM's bulk bookkeeping.
    stmt = insert_for(session, Allowance.__table__)
    columns = [key for key in rows[0] if key not in ("employee_id", "period_key")]
    stmt = stmt.on_conflict_do_update(index_elements=["employee_id", "period_key"],
                                      set_={key: stmt.excluded[key] for key in columns})
    session.execute(stmt, rows)


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)
