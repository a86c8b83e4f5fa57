"""Where employees worked over time: recording a transfer (mutasi) as a new stretch of placement.

The allowance reads these stretches to pay a split month by the working days in each unit; the
employee row keeps today's unit and position for everything else.
"""
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.errors import ServiceError
from app.models import Employee, EmployeePlacement, Position
from app.services.cycle import periods

# An employee with no history is taken to have held today's placement from this day on.
HISTORY_START = date(2000, 1, 1)


def history(session: Session, employee_id: int) -> list[EmployeePlacement]:
    return list(session.scalars(select(EmployeePlacement).where(EmployeePlacement.employee_id == employee_id)
                                .order_by(EmployeePlacement.valid_from)))


def transfer(session: Session, employee: Employee, position: Position, effective_on: date, actor_user_id: int,
             today: date | None = None) -> EmployeePlacement:
    """Move the employee to `position` (and its unit) from `effective_on`, recorded and audited."""
    today = today or employee.unit.agency.today()
    if effective_on > today:
        raise ServiceError(_("Tanggal mutasi belum tiba; catat mutasi pada atau setelah tanggal berlakunya."))
    locked = periods.locked_on(session, employee.agency_id, effective_on)
    if locked is not None:
        raise ServiceError(_("Periode %(period)s sudah ditutup; buka kembali periode itu untuk mencatat mutasi "
                             "yang berlaku di dalamnya.", period=locked.key))
    if position.id == employee.position_id:
        raise ServiceError(_("Pegawai sudah menduduki jabatan ini."))
    stretches = history(session, employee.id)
    if not stretches:
        stretches = [EmployeePlacement(employee_id=employee.id, unit_id=employee.unit_id,
                                       position_id=employee.position_id, valid_from=HISTORY_START)]
        session.add(stretches[0])
    current = stretches[-1]
    if effective_on <= current.valid_from:
        raise ServiceError(_("Mutasi harus berlaku setelah penempatan terakhir (%(day)s).",
                             day=current.valid_from.strftime("%d-%m-%Y")))
    current.valid_to = effective_on - timedelta(days=1)
    placement = EmployeePlacement(employee_id=employee.id, unit_id=position.unit_id, position_id=position.id,
                                  valid_from=effective_on)
    session.add(placement)
    before = (employee.unit.name, employee.position.name)
    employee.unit_id = position.unit_id
    employee.position_id = position.id
    session.flush()
    audit.record(session, actor_user_id, "employee_transferred",
                 f"Mutasi {employee.name} ({employee.nip}) mulai {effective_on:%d-%m-%Y}: "
                 f"{before[1]}, {before[0]} -> {position.name}, {position.unit.name}",
                 detail={"employee_id": employee.id, "position_id": position.id, "effective_on": effective_on.isoformat()})
    session.flush()
    return placement
