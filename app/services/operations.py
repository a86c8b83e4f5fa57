"""Operations the performance-cycle diagram's service tasks call, registered with the engine."""
from sqlalchemy import select

from app.engine.lanes import supervisor_on
from app.engine.operations import OperationError, operation
from app.models import Period
from app.services import appraisal, attendance, plans
from app.services.errors import ServiceError


@operation("lock_plan", "Kunci SKP yang disetujui")
def lock_plan(ctx):
    plan = plans.plan_for_case(ctx.session, ctx.case)
    employee = ctx.case.employee
    plans.lock(ctx.session, plan, supervisor_on(ctx.session, employee.id, ctx.now.date()), employee)
    return True


@operation("period_status", "Status periode penilaian (open/closed)")
def period_status(ctx, period):
    row = ctx.session.scalars(
        select(Period).where(Period.agency_id == ctx.case.employee.agency_id, Period.key == period)
    ).first()
    if row is None:
        raise OperationError(f"Periode '{period}' tidak ditemukan untuk instansi ini.")
    return row.state


@operation("record_grade", "Hitung predikat dari matriks hasil x perilaku")
def record_grade(ctx, period):
    try:
        return appraisal.compute_grade(ctx.session, ctx.case, period)
    except ServiceError as err:
        raise OperationError(str(err)) from err


@operation("decide_absence", "Terapkan keputusan atas permohonan cuti / dinas luar")
def decide_absence(ctx, decision):
    if decision not in ("approved", "rejected"):
        raise OperationError(f"Keputusan '{decision}' tidak dikenal (approved/rejected).")
    try:
        return attendance.apply_leave_decision(ctx.session, ctx.case.id, decision)
    except ServiceError as err:
        raise OperationError(str(err)) from err
