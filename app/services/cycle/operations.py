"""Operations the performance-cycle diagram's service tasks call, registered with the engine."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.dialect import insert_for
from app.core.errors import ServiceError
from app.engine.lanes import supervisor_on
from app.engine.operations import OperationError, operation
from app.models import Period, WorkMonth
from app.models.statuses import AbsenceStatus, PeriodState
from app.services.attendance import records as attendance
from app.services.cycle import appraisal, plans


@operation("lock_plan", _l("Kunci SKP yang disetujui"))
def lock_plan(ctx):
    plan = plans.plan_for_case(ctx.session, ctx.case)
    employee = ctx.case.employee
    plans.lock(ctx.session, plan, supervisor_on(ctx.session, employee.id, ctx.now.date()), employee)
    return True


@operation("open_month", _l("Buka catatan bulan pegawai (baris bulan kerja)"))
def open_month(ctx, month):
    """Create the employee's month row (the lock a log save and the month's close share) when the
    month opens, so a log save finds it instead of creating it; returns the month key, the
    clock's record of the months opened."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except (TypeError, ValueError) as err:
        raise OperationError(f"Bulan '{month}' tidak valid (format YYYY-MM).") from err
    ctx.session.execute(insert_for(ctx.session, WorkMonth.__table__)
                        .values(employee_id=ctx.case.employee_id, month=first).on_conflict_do_nothing())
    return month


@operation("period_status", _l("Status periode penilaian (open/closed)"))
def period_status(ctx, period):
    row = ctx.session.scalars(
        select(Period).where(Period.agency_id == ctx.case.employee.agency_id, Period.key == period)
    ).first()
    if row is None:
        raise OperationError(f"Periode '{period}' tidak ditemukan untuk instansi ini.")
    # A period being closed is already closed for the cases: one that reaches the wait after the
    # close listed the waiting cases would otherwise wait for a message that is never sent.
    return (PeriodState.CLOSED if row.locked else row.state).value


@operation("record_grade", _l("Hitung predikat dari matriks hasil x perilaku"))
def record_grade(ctx, period):
    try:
        return appraisal.compute_grade(ctx.session, ctx.case, period)
    except ServiceError as err:
        raise OperationError(str(err)) from err


@operation("decide_absence", _l("Terapkan keputusan atas permohonan cuti / dinas luar"))
def decide_absence(ctx, decision):
    if decision not in (AbsenceStatus.APPROVED, AbsenceStatus.REJECTED):
        raise OperationError(f"Keputusan '{decision}' tidak dikenal (approved/rejected).")
    try:
        return attendance.apply_leave_decision(ctx.session, ctx.case.id, decision)
    except ServiceError as err:
        raise OperationError(str(err)) from err
