"""Recording what the allowance reads about discipline: sanctions in force and missed assemblies."""
import calendar as month_calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import Forbidden, ServiceError
from app.models import ApelAbsence, DisciplinarySanction, Employee, OrgUnit, User
from app.models.calendar import calendar_for
from app.models.roles import Role
from app.rules.allowance import SANCTION_LEVELS
from app.services.cycle import periods


def hr_employee_filter(user: User):
    paths = user.scope_paths(Role.HR)
    if not paths:
        raise Forbidden(_("Hanya pengelola kinerja (HR) yang dapat mencatat data disiplin."))
    return or_(*[OrgUnit.path.like(f"{path}%") for path in paths])


def sanctions_query(user: User, q: str = ""):
    stmt = (select(DisciplinarySanction).join(Employee, Employee.id == DisciplinarySanction.employee_id)
            .join(OrgUnit, OrgUnit.id == Employee.unit_id).where(hr_employee_filter(user))
            .options(joinedload(DisciplinarySanction.employee)))
    if q.strip():
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Employee.name.ilike(like), Employee.nip.like(like)))
    return stmt.order_by(DisciplinarySanction.starts_on.desc(), DisciplinarySanction.id.desc())


def apel_query(user: User, month_start: date):
    month_end = date(month_start.year + month_start.month // 12, month_start.month % 12 + 1, 1)
    return (select(ApelAbsence).join(Employee, Employee.id == ApelAbsence.employee_id)
            .join(OrgUnit, OrgUnit.id == Employee.unit_id)
            .where(hr_employee_filter(user), ApelAbsence.day >= month_start, ApelAbsence.day < month_end)
            .options(joinedload(ApelAbsence.employee)).order_by(ApelAbsence.day.desc(), Employee.name))


def employee_by_nip(session: Session, user: User, nip: str) -> Employee:
    nip = "".join((nip or "").split())
    employee = session.scalars(select(Employee).join(OrgUnit, OrgUnit.id == Employee.unit_id)
                               .where(Employee.nip == nip, hr_employee_filter(user))).first()
    if employee is None:
        raise ServiceError(_("Pegawai dengan NIP %(nip)s tidak ditemukan di unit yang Anda kelola.", nip=nip))
    return employee


def end_of(starts_on: date, months: int) -> date:
    """The last day of a sanction of `months` months from `starts_on` (6 months from 1 March: 31 August)."""
    month_index = starts_on.month - 1 + months
    year, month = starts_on.year + month_index // 12, month_index % 12 + 1
    day = min(starts_on.day, month_calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=1)


def record_sanction(session: Session, user: User, nip: str, level: str, kind: str, decree_number: str,
                    starts_on: date, months: int, cut_pct: Decimal | None, note: str = "") -> DisciplinarySanction:
    if level not in SANCTION_LEVELS:
        raise ServiceError(_("Tingkat hukuman tidak dikenal."))
    if not 1 <= months <= 60:
        raise ServiceError(_("Lama hukuman 1 sampai 60 bulan."))
    employee = employee_by_nip(session, user, nip)
    sanction = DisciplinarySanction(
        employee_id=employee.id, level=level, kind=kind.strip(), decree_number=decree_number.strip(),
        starts_on=starts_on, months=months, ends_on=end_of(starts_on, months), cut_pct=cut_pct,
        note=(note or "").strip(), recorded_by_id=user.id)
    session.add(sanction)
    session.flush()
    audit.record(session, user.id, "sanction_recorded",
                 f"Hukuman disiplin {level} untuk {employee.name} ({employee.nip}), SK {sanction.decree_number}, "
                 f"{starts_on:%d-%m-%Y} s.d. {sanction.ends_on:%d-%m-%Y}",
                 detail={"sanction_id": sanction.id, "employee_id": employee.id,
                         "cut_pct": str(cut_pct) if cut_pct is not None else None})
    session.flush()
    return sanction


def revoke_sanction(session: Session, user: User, sanction: DisciplinarySanction, reason: str) -> None:
    if sanction.revoked_at is not None:
        raise ServiceError(_("Hukuman ini sudah dicabut."))
    employee_by_nip(session, user, sanction.employee.nip)
    sanction.revoked_at = utcnow()
    sanction.revoked_by_id = user.id
    sanction.revoke_reason = reason.strip()
    audit.record(session, user.id, "sanction_revoked",
                 f"Hukuman disiplin SK {sanction.decree_number} ({sanction.employee.name}) dicabut: {reason.strip()}",
                 detail={"sanction_id": sanction.id})
    session.flush()


@dataclass
class ApelResult:
    added: int = 0
    already: int = 0
    unknown: list[str] = field(default_factory=list)


def record_apel(session: Session, user: User, day: date, nips_text: str) -> ApelResult:
    """Record the employees (by NIP, one per line) who missed the assembly on `day`; safe to repeat."""
    nips = [n for n in re.split(r"[\s,;]+", nips_text or "") if n]
    if not nips:
        raise ServiceError(_("Isi paling sedikit satu NIP."))
    result = ApelResult()
    employees = {}
    for nip in nips:
        employee = employee_by_nip_or_none(session, user, nip)
        if employee is None:
            result.unknown.append(nip)
        else:
            employees.setdefault(employee.id, employee)
    for agency_id in {e.agency_id for e in employees.values()}:
        if not calendar_for(session, agency_id).is_working_day(day):
            raise ServiceError(_("%(day)s bukan hari kerja; apel hanya pada hari kerja.", day=day.strftime("%d-%m-%Y")))
        locked = periods.locked_on(session, agency_id, day)
        if locked is not None:
            raise ServiceError(_("Periode %(period)s sudah ditutup; buka kembali periode itu untuk mengubah datanya.",
                              period=locked.key))
    recorded = set(session.scalars(select(ApelAbsence.employee_id).where(
        ApelAbsence.employee_id.in_(list(employees)), ApelAbsence.day == day)))
    result.already = len(nips) - len(result.unknown) - len(employees) + len(recorded)
    for employee_id in employees:
        if employee_id not in recorded:
            session.add(ApelAbsence(employee_id=employee_id, day=day, recorded_by_id=user.id))
            result.added += 1
    if result.added:
        audit.record(session, user.id, "apel_recorded",
                     f"Tidak hadir apel {day:%d-%m-%Y}: {result.added} pegawai dicatat",
                     detail={"day": day.isoformat(), "added": result.added})
    session.flush()
    return result


def employee_by_nip_or_none(session: Session, user: User, nip: str) -> Employee | None:
    try:
        return employee_by_nip(session, user, nip)
    except Forbidden:
        raise
    except ServiceError:
        return None


def delete_apel(session: Session, user: User, absence: ApelAbsence) -> None:
    employee_by_nip(session, user, absence.employee.nip)
    locked = periods.locked_on(session, absence.employee.agency_id, absence.day)
    if locked is not None:
        raise ServiceError(_("Periode %(period)s sudah ditutup; buka kembali periode itu untuk mengubah datanya.",
                              period=locked.key))
    audit.record(session, user.id, "apel_deleted",
                 f"Catatan tidak hadir apel {absence.day:%d-%m-%Y} untuk {absence.employee.name} dihapus")
    session.delete(absence)
    session.flush()
