"""Monthly action plans (rencana aksi) under the RHK of the employee's approved plan."""
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.core import audit, notifications
from app.core.clock import utcnow
from app.core.errors import Forbidden, NotFound, ServiceError
from app.core.language import month_name
from app.models import ActionPlan, ActionPlanComment, Plan, PlanResult, User, WorkLog
from app.models.statuses import PlanStatus
from app.rules.periods import month_bounds
from app.services.access import scope
from app.services.monitoring import work_logs


def approved_results(session: Session, employee_id: int, year: int) -> list[PlanResult]:
    return list(session.scalars(
        select(PlanResult).join(Plan).where(
            Plan.employee_id == employee_id, Plan.cycle_key == str(year), Plan.status == PlanStatus.APPROVED)
        .order_by(PlanResult.position)))


def for_month(session: Session, employee_id: int, key: str) -> list[ActionPlan]:
    first, _ = month_bounds(key)
    return list(session.scalars(
        select(ActionPlan).where(ActionPlan.employee_id == employee_id, ActionPlan.month == first)
        .options(selectinload(ActionPlan.comments), selectinload(ActionPlan.result))
        .order_by(ActionPlan.plan_result_id, ActionPlan.id)))


def _editable(session: Session, user: User, plan: ActionPlan | None, first: date) -> None:
    if user.employee_id is None:
        raise Forbidden(_("Hanya pegawai yang dapat menyusun rencana aksi."))
    if plan is not None and plan.employee_id != user.employee_id:
        raise Forbidden(_("Rencana aksi ini bukan milik Anda."))
    if work_logs.month_closed(session, user.employee_id, first):
        raise ServiceError(_("Bulan %(month)s sudah ditutup; rencana aksi tidak dapat diubah.",
                             month=month_name(first)))


def save(session: Session, user: User, key: str, result_id: int, text: str, target: Decimal | None,
         unit: str, plan_id: int | None = None) -> ActionPlan:
    first, _ = month_bounds(key)
    plan = None
    if plan_id is not None:
        plan = session.get(ActionPlan, plan_id)
        if plan is None:
            raise NotFound(_("Rencana aksi tidak ditemukan."))
    _editable(session, user, plan, first)
    allowed = {r.id for r in approved_results(session, user.employee_id, first.year)}
    if result_id not in allowed:
        raise ServiceError(_("Pilih RHK dari SKP Anda yang sudah disetujui."))
    if not (text or "").strip():
        raise ServiceError(_("Tulis rencana aksinya."))
    if target is not None and (not target.is_finite() or target <= 0 or target > work_logs.QUANTITY_MAX
                               or target != target.quantize(Decimal("0.01"))):
        raise ServiceError(_("Target harus bilangan positif dengan paling banyak dua angka desimal."))
    if plan is None:
        plan = ActionPlan(employee_id=user.employee_id, month=first, created_by_id=user.id, created_at=utcnow())
        session.add(plan)
    plan.plan_result_id = result_id
    plan.text = text.strip()
    plan.target = target
    plan.unit = (unit or "").strip()[:40]
    plan.updated_at = utcnow()
    session.flush()
    audit.record(session, user.id, "action_plan_saved", f"Rencana aksi {key}: {plan.text[:200]}",
                 detail={"action_plan_id": plan.id})
    return plan


def delete(session: Session, user: User, plan_id: int) -> None:
    plan = session.get(ActionPlan, plan_id)
    if plan is None:
        raise NotFound(_("Rencana aksi tidak ditemukan."))
    _editable(session, user, plan, plan.month)
    if session.scalar(select(WorkLog.id).where(WorkLog.action_plan_id == plan.id).limit(1)) is not None:
        raise ServiceError(_("Rencana aksi ini sudah dipakai oleh aktivitas harian; ubah teksnya, jangan dihapus."))
    session.delete(plan)
    audit.record(session, user.id, "action_plan_deleted", f"Rencana aksi dihapus: {plan.text[:200]}")


def comment(session: Session, user: User, plan_id: int, text: str) -> ActionPlanComment:
    plan = session.get(ActionPlan, plan_id)
    if plan is None:
        raise NotFound(_("Rencana aksi tidak ditemukan."))
    if not (scope.supervises(session, user, plan.employee_id) or user.employee_id == plan.employee_id):
        raise Forbidden(_("Hanya atasan pegawai (atau pegawai itu sendiri) yang dapat memberi komentar."))
    if not (text or "").strip():
        raise ServiceError(_("Tulis komentarnya."))
    row = ActionPlanComment(action_plan_id=plan.id, author_user_id=user.id, text=text.strip()[:4000],
                            created_at=utcnow())
    session.add(row)
    audit.record(session, user.id, "action_plan_comment", f"Komentar rencana aksi: {row.text[:200]}")
    if user.employee_id != plan.employee_id:
        owner = session.scalar(select(User.id).where(User.employee_id == plan.employee_id))
        if owner is not None:
            notifications.notify(session, owner, f"Atasan mengomentari rencana aksi Anda: {row.text[:200]}",
                                 f"/action-plans?month={plan.month:%Y-%m}")
    return row
