"""The employee's plan (SKP): drafting, checking it is complete, review and lock."""
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import ServiceError
from app.engine.lanes import supervisor_on
from app.models import BehaviourExpectation, Case, Employee, Indicator, Plan, PlanResult
from app.models.statuses import PlanStatus
from app.rules.ratings import BERAKHLAK


def plan_for_case(session: Session, case: Case) -> Plan:
    plan = session.scalars(select(Plan).where(Plan.case_id == case.id)).first()
    if plan is None:
        plan = Plan(case_id=case.id, employee_id=case.employee_id, cycle_key=case.cycle_key, status=PlanStatus.DRAFT)
        session.add(plan)
        session.flush()
    return plan


def supervisor_results(session: Session, employee: Employee, cycle_key: str, on) -> list[PlanResult]:
    """The supervisor's RHK this year, which the employee's results cascade from (intervensi).

    Only an approved (locked) plan counts: its results never change, so a subordinate's link to
    one stays valid, and cascading runs top-down as PermenPAN-RB 6/2022 describes.
    """
    supervisor = supervisor_on(session, employee.id, on)
    if supervisor is None:
        return []
    return list(session.scalars(
        select(PlanResult).join(Plan).where(
            Plan.employee_id == supervisor.id, Plan.cycle_key == cycle_key, Plan.status == PlanStatus.APPROVED)
        .order_by(PlanResult.position)
    ))


def save_draft(session: Session, plan: Plan, payload: dict, actor_user_id: int) -> None:
    """Replace the plan's content with what the form holds; rows with no text are blank rows."""
    if plan.locked:
        raise ServiceError(_("SKP sudah disetujui dan dikunci; perubahan tidak disimpan."))
    plan.resource_support = payload.get("resource_support") or ""
    plan.accountability = payload.get("accountability") or ""
    plan.consequences = payload.get("consequences") or ""
    plan.results.clear()
    session.flush()
    for position, row in enumerate(r for r in payload.get("results", []) if (r.get("text") or "").strip()):
        result = PlanResult(
            position=position,
            kind=row.get("kind") or "utama",
            text=row["text"].strip(),
            parent_result_id=row.get("parent_result_id") or None,
            perspective=row.get("perspective") or None,
        )
        for i_pos, ind in enumerate(i for i in row.get("indicators", []) if (i.get("text") or "").strip()):
            result.indicators.append(
                Indicator(
                    position=i_pos,
                    aspect=ind.get("aspect") or "kuantitas",
                    text=ind["text"].strip(),
                    target=_positive_target(ind.get("target"), position + 1),
                    unit=(ind.get("unit") or "").strip(),
                )
            )
        plan.results.append(result)
    set_expectations(session, plan, payload.get("expectations") or {})
    if plan.status == PlanStatus.RETURNED:
        plan.status = PlanStatus.DRAFT
    plan.updated_at = utcnow()
    audit.record(session, actor_user_id, "plan_saved", f"Draf SKP disimpan ({len(plan.results)} RHK)", plan.case_id)


def _positive_target(value, result_number: int) -> Decimal:
    try:
        target = Decimal(str(value))
    except (ArithmeticError, ValueError) as err:
        raise ServiceError(_not_positive(result_number)) from err
    if not target.is_finite() or target <= 0:
        raise ServiceError(_not_positive(result_number))
    return target


def _not_positive(result_number: int) -> str:
    return _("RHK %(number)s: target indikator harus bilangan positif.", number=result_number)


def set_expectations(session: Session, plan: Plan, expectations: dict) -> None:
    """Set the expectations given; a value not in `expectations` is left as it is."""
    existing = {e.value_key: e for e in plan.expectations}
    for key, _label in BERAKHLAK:
        if key not in expectations:
            continue
        text = (expectations.get(key) or "").strip()
        if key in existing:
            existing[key].expectation = text
        elif text:
            plan.expectations.append(BehaviourExpectation(value_key=key, expectation=text))


def submit_problems(plan: Plan, is_jpt: bool) -> list[str]:
    """What keeps a plan from going to the supervisor; the form shows the same next to fields."""
    problems = []
    if not any(r.kind == "utama" for r in plan.results):
        problems.append(_("SKP harus memiliki paling sedikit satu RHK utama."))
    for number, result in enumerate(plan.results, start=1):
        if not result.indicators:
            problems.append(_("RHK %(number)s belum memiliki indikator dengan target.", number=number))
        if is_jpt and not result.perspective:
            problems.append(_("RHK %(number)s: pilih perspektif.", number=number))
        if not is_jpt and not result.parent_result_id:
            problems.append(_("RHK %(number)s: pilih RHK atasan yang diintervensi.", number=number))
        for indicator in result.indicators:
            if indicator.target is None or indicator.target <= 0:
                problems.append(_not_positive(number))
    return problems


def mark_submitted(session: Session, plan: Plan, is_jpt: bool) -> None:
    problems = submit_problems(plan, is_jpt)
    if problems:
        raise ServiceError(" ".join(problems))
    plan.status = PlanStatus.SUBMITTED
    plan.return_note = ""


def review(session: Session, plan: Plan, decision: str, note: str, expectations: dict) -> dict:
    if plan.status != PlanStatus.SUBMITTED:
        raise ServiceError(_("SKP ini tidak sedang menunggu persetujuan."))
    if decision not in ("approve", "return"):
        raise ServiceError(_("Keputusan harus 'setujui' atau 'kembalikan'."))
    if decision == "return" and not (note or "").strip():
        raise ServiceError(_("Tulis catatan untuk pegawai saat mengembalikan SKP."))
    set_expectations(session, plan, expectations)
    if decision == "return":
        plan.status = PlanStatus.RETURNED
        plan.return_note = note.strip()
    return {"plan_decision": decision}


def lock(session: Session, plan: Plan, rater: Employee | None, employee: Employee) -> None:
    plan.status = PlanStatus.APPROVED
    plan.approved_at = utcnow()
    plan.rater_employee_id = rater.id if rater else None
    plan.position_id = employee.position_id
    plan.unit_id = employee.unit_id
