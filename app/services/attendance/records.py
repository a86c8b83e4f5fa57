"""Attendance acts: browser check-in/out within the office radius, device-export import,
leave and travel recorded by HR, and the agency's calendar, hours and office locations."""
import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import Forbidden, NotFound, ServiceError
from app.core.language import stored_language
from app.core.notifications import notify
from app.engine import specs
from app.engine.runner import CaseRunner, clock
from app.models import (
    Absence,
    Agency,
    AttendanceImport,
    AttendancePunch,
    Employee,
    Holiday,
    OfficeLocation,
    OrgUnit,
    User,
    WorkSchedule,
)
from app.models import calendar as calendar_model
from app.models.statuses import AbsenceStatus
from app.rules import geo, punch_csv
from app.rules.attendance import parse_hhmm
from app.services.access import scope
from app.services.attendance import days

# The leave kinds carry the allowance rules' names (app/rules/allowance.py), which deduct by them.
ABSENCE_KINDS = {
    "cuti_tahunan": _l("Cuti tahunan"), "cuti_sakit": _l("Cuti sakit"),
    "cuti_alasan_penting": _l("Cuti karena alasan penting"), "cuti_melahirkan": _l("Cuti melahirkan"),
    "cuti_besar": _l("Cuti besar"), "cltn": _l("Cuti di luar tanggungan negara"),
    "dinas_luar": _l("Dinas luar (perjalanan dinas)"),
}


class CheckInRefused(ServiceError):
    def __init__(self, message: str, distance: int | None = None):
        self.distance = distance
        super().__init__(message)


def office_for(session: Session, unit: OrgUnit) -> OfficeLocation | None:
    """The unit's own office, else the nearest ancestor's (a section sits in its division's building)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    offices = {o.unit_id: o for o in session.scalars(select(OfficeLocation).where(OfficeLocation.unit_id.in_(ids)))}
    for unit_id in reversed(ids):
        if unit_id in offices:
            return offices[unit_id]
    return None


def check_in(session: Session, user: User, kind: str, latitude, longitude, accuracy=None) -> AttendancePunch:
    """Record a browser check-in ('in') or check-out ('out'). The caller commits."""
    employee = user.employee
    if employee is None:
        raise Forbidden(_("Hanya pegawai yang dapat melakukan presensi."))
    if kind not in ("in", "out"):
        raise ServiceError(_("Pilih presensi datang atau pulang."))
    if not geo.valid_coordinates(latitude, longitude):
        raise CheckInRefused(_("Lokasi perangkat tidak terbaca. Izinkan akses lokasi untuk situs ini di peramban, "
                               "nyalakan GPS, lalu coba lagi."))
    office = office_for(session, employee.unit)
    if office is None:
        raise CheckInRefused(_("Lokasi kantor unit Anda belum diatur; hubungi pengelola kinerja."))
    distance = round(geo.distance_m(latitude, longitude, office.latitude, office.longitude))
    if distance > office.radius_m:
        audit.record(session, user.id, "check_in_refused",
                     f"Presensi ditolak: {distance} m dari {office.name or 'kantor'} (radius {office.radius_m} m)",
                     detail={"latitude": latitude, "longitude": longitude, "accuracy": accuracy})
        raise CheckInRefused(_("Presensi ditolak: Anda berada %(distance)s m dari %(office)s, di luar radius "
                               "%(radius)s m.", distance=distance, office=office.name or _("kantor"),
                               radius=office.radius_m), distance)
    punch = AttendancePunch(employee_id=employee.id, at=utcnow(), kind=kind, source="web", device="web",
                            latitude=latitude, longitude=longitude, accuracy_m=accuracy, distance_m=distance)
    session.add(punch)
    audit.record(session, user.id, "check_in", f"Presensi {'datang' if kind == 'in' else 'pulang'} "
                 f"({distance} m dari kantor)")
    return punch


def punches_on(session: Session, employee: Employee, day: date) -> list[AttendancePunch]:
    start = clock.local_midnight(day, employee.unit.agency.timezone)
    return list(session.scalars(select(AttendancePunch).where(
        AttendancePunch.employee_id == employee.id, AttendancePunch.at >= start,
        AttendancePunch.at < start + timedelta(days=1)).order_by(AttendancePunch.at)))


# -- device export import ------------------------------------------------------------------------

@dataclass
class ImportResult:
    total: int = 0
    added: int = 0
    duplicate: int = 0
    rejected: list = field(default_factory=list)  # [{"line": n, "problem": "..."}]
    saved: bool = False


def import_punches(session: Session, user: User, filename: str, content: bytes,
                   skip_invalid: bool = False) -> ImportResult:
    """Import a device export. All or nothing: with any rejected row nothing is saved unless
    `skip_invalid` says to import the valid rows. Rows already imported count as duplicates, so
    importing the same file twice adds nothing. The caller commits."""
    units = scope.hr_units(session, user)
    if not units:
        raise Forbidden(_("Hanya pengelola kinerja yang dapat mengimpor presensi."))
    try:
        rows, rejected = punch_csv.read(content)
    except punch_csv.BadFile as err:
        raise ServiceError(str(err)) from err
    result = ImportResult(total=len(rows) + len(rejected),
                          rejected=[{"line": r.line, "problem": r.problem} for r in rejected])
    if result.total == 0:
        raise ServiceError(_("Berkas tidak berisi baris presensi."))
    paths = [u.path for u in units]
    employees = {e.nip: e for e in session.scalars(
        select(Employee).join(OrgUnit, Employee.unit_id == OrgUnit.id).where(
            Employee.nip.in_({r.nip for r in rows}), or_(*[OrgUnit.path.like(f"{p}%") for p in paths])))}
    zones = {}
    now = utcnow()
    candidates = []
    for row in rows:
        employee = employees.get(row.nip)
        if employee is None:
            result.rejected.append({"line": row.line, "problem": f"NIP {row.nip} tidak ditemukan di unit Anda"})
            continue
        zone = zones.setdefault(employee.agency_id, session.get(Agency, employee.agency_id).zone)
        at = row.at.replace(tzinfo=zone).astimezone(clock.UTC)
        if at > now + timedelta(minutes=5):
            result.rejected.append({"line": row.line, "problem": f"waktu {row.at:%d-%m-%Y %H:%M} belum terjadi"})
            continue
        candidates.append((employee.id, at, row.device))
    result.rejected.sort(key=lambda r: r["line"])
    if result.rejected and not skip_invalid:
        return result
    existing = set()
    if candidates:
        ids = {c[0] for c in candidates}
        lo, hi = min(c[1] for c in candidates), max(c[1] for c in candidates)
        existing = {(e, a, d) for e, a, d in session.execute(
            select(AttendancePunch.employee_id, AttendancePunch.at, AttendancePunch.device).where(
                AttendancePunch.employee_id.in_(ids), AttendancePunch.at >= lo, AttendancePunch.at <= hi))}
    new = []
    for key in candidates:
        if key in existing:
            result.duplicate += 1
        else:
            existing.add(key)
            new.append(key)
    record = AttendanceImport(agency_id=units[0].agency_id, filename=(filename or "presensi.csv")[:255],
                              sha256=hashlib.sha256(content).hexdigest(), imported_by_id=user.id, imported_at=now,
                              rows_total=result.total, rows_added=len(new), rows_duplicate=result.duplicate,
                              rows_rejected=len(result.rejected), rejected=result.rejected)
    session.add(record)
    session.flush()
    if new:
        session.execute(insert(AttendancePunch), [
            {"employee_id": e, "at": a, "kind": None, "source": "device", "device": d, "import_id": record.id,
             "created_at": now} for e, a, d in new])
    result.added = len(new)
    result.saved = True
    audit.record(session, user.id, "attendance_import", f"Impor presensi {record.filename}: {len(new)} baru, "
                 f"{result.duplicate} sudah ada, {len(result.rejected)} ditolak", detail={"import_id": record.id})
    return result


# -- leave and travel recorded by HR -------------------------------------------------------------

def record_absence(session: Session, user: User, employee_id: int, kind: str, starts: date, ends: date,
                   reason: str) -> Absence:
    employee = session.get(Employee, employee_id)
    if employee is None:
        raise NotFound(_("Pegawai tidak ditemukan."))
    if not scope.is_hr_for(user, employee.unit.path):
        raise Forbidden(_("Pegawai ini di luar wewenang Anda."))
    return _add_absence(session, user, employee, kind, starts, ends, reason, AbsenceStatus.APPROVED)


def _add_absence(session, user, employee, kind, starts, ends, reason, status) -> Absence:
    if kind not in ABSENCE_KINDS:
        raise ServiceError(_("Pilih jenis cuti atau dinas luar."))
    if starts is None or ends is None or ends < starts:
        raise ServiceError(_("Tanggal selesai harus sama dengan atau setelah tanggal mulai."))
    if (ends - starts).days > 366:
        raise ServiceError(_("Rentang tanggal terlalu panjang (lebih dari setahun)."))
    clash = session.scalars(select(Absence).where(
        Absence.employee_id == employee.id, Absence.status.in_((AbsenceStatus.APPROVED, AbsenceStatus.REQUESTED)),
        Absence.starts_on <= ends, Absence.ends_on >= starts)).first()
    if clash is not None:
        raise ServiceError(_("Bertumpang tindih dengan %(kind)s %(starts)s s.d. %(ends)s.",
                             kind=str(ABSENCE_KINDS.get(clash.kind, clash.kind)).lower(),
                             starts=clash.starts_on.strftime("%d-%m-%Y"), ends=clash.ends_on.strftime("%d-%m-%Y")))
    absence = Absence(employee_id=employee.id, kind=kind, starts_on=starts, ends_on=ends, status=status,
                      reason=(reason or "").strip(), recorded_by_id=user.id, created_at=utcnow())
    if status == AbsenceStatus.APPROVED:
        absence.decided_by_id = user.id
        absence.decided_at = utcnow()
    session.add(absence)
    session.flush()
    with stored_language():
        summary = f"{ABSENCE_KINDS[kind]} {employee.name} {starts:%d-%m-%Y} s.d. {ends:%d-%m-%Y} ({status})"
    audit.record(session, user.id, "absence_recorded", summary, detail={"absence_id": absence.id})
    return absence


def cancel_absence(session: Session, user: User, absence_id: int) -> None:
    absence = session.get(Absence, absence_id)
    if absence is None:
        raise NotFound(_("Data cuti tidak ditemukan."))
    if not scope.is_hr_for(user, absence.employee.unit.path):
        raise Forbidden(_("Pegawai ini di luar wewenang Anda."))
    absence.status = AbsenceStatus.CANCELLED
    with stored_language():
        summary = f"{ABSENCE_KINDS.get(absence.kind)} {absence.employee.name} {absence.starts_on:%d-%m-%Y} dibatalkan"
    audit.record(session, user.id, "absence_cancelled", summary)


# -- calendar, hours, office locations, numbers ---------------------------------------------------

def add_holiday(session: Session, user: User, day: date, name: str, kind: str, national: bool) -> Holiday:
    agency = scope.hr_agency(session, user)
    if day is None or not (name or "").strip():
        raise ServiceError(_("Isi tanggal dan nama hari libur."))
    agency_id = None if national else agency.id
    if session.scalar(select(Holiday.id).where(Holiday.day == day, or_(
            Holiday.agency_id.is_(None), Holiday.agency_id == agency.id))) is not None:
        raise ServiceError(_("Tanggal %(day)s sudah ada di kalender.", day=day.strftime("%d-%m-%Y")))
    holiday = Holiday(agency_id=agency_id, day=day, name=name.strip()[:200],
                      kind=kind if kind in ("libur_nasional", "cuti_bersama") else "libur_nasional")
    session.add(holiday)
    audit.record(session, user.id, "holiday_added", f"Hari libur {day:%d-%m-%Y}: {holiday.name}")
    calendar_model.forget(agency.id if not national else None)
    return holiday


def delete_holiday(session: Session, user: User, holiday_id: int) -> None:
    agency = scope.hr_agency(session, user)
    holiday = session.get(Holiday, holiday_id)
    if holiday is None or holiday.agency_id not in (None, agency.id):
        raise NotFound(_("Hari libur tidak ditemukan."))
    session.delete(holiday)
    audit.record(session, user.id, "holiday_deleted", f"Hari libur {holiday.day:%d-%m-%Y} dihapus: {holiday.name}")
    calendar_model.forget(holiday.agency_id)


def parse_hours(pairs: dict) -> dict:
    """{"0": ("07:30", "16:00"), ...} as typed -> stored form; blank pairs are days off."""
    hours = {}
    for weekday, (start, end) in pairs.items():
        if not (start or "").strip() and not (end or "").strip():
            continue
        try:
            a, b = parse_hhmm(start), parse_hhmm(end)
        except (ValueError, AttributeError) as err:
            raise ServiceError(_("Jam kerja hari ke-%(number)s tidak valid; tulis seperti 07:30.",
                                 number=int(weekday) + 1)) from err
        if b <= a:
            raise ServiceError(_("Jam pulang hari ke-%(number)s harus setelah jam masuk.", number=int(weekday) + 1))
        hours[str(weekday)] = [a.strftime("%H:%M"), b.strftime("%H:%M")]
    if not hours:
        raise ServiceError(_("Isi jam kerja paling sedikit satu hari."))
    return hours


def save_schedule(session: Session, user: User, name: str, starts: date | None, ends: date | None,
                  pairs: dict, schedule_id: int | None = None) -> WorkSchedule:
    agency = scope.hr_agency(session, user)
    hours = parse_hours(pairs)
    if (starts is None) != (ends is None) or (starts and ends < starts):
        raise ServiceError(_("Jadwal khusus perlu tanggal mulai dan selesai (selesai tidak sebelum mulai)."))
    if schedule_id is not None:
        row = session.get(WorkSchedule, schedule_id)
        if row is None or row.agency_id != agency.id:
            raise NotFound(_("Jadwal tidak ditemukan."))
    elif starts is None:
        row = session.scalars(select(WorkSchedule).where(
            WorkSchedule.agency_id == agency.id, WorkSchedule.starts_on.is_(None))).first()
    else:
        row = None
    if row is None:
        row = WorkSchedule(agency_id=agency.id)
        session.add(row)
    row.name = (name or ("Jam kerja reguler" if starts is None else "Jadwal khusus")).strip()[:100]
    row.starts_on, row.ends_on, row.hours = starts, ends, hours
    days.forget_schedules(agency.id)
    audit.record(session, user.id, "schedule_saved", f"Jam kerja '{row.name}' disimpan", detail={"hours": hours})
    return row


def delete_schedule(session: Session, user: User, schedule_id: int) -> None:
    agency = scope.hr_agency(session, user)
    row = session.get(WorkSchedule, schedule_id)
    if row is None or row.agency_id != agency.id or row.starts_on is None:
        raise NotFound(_("Jadwal khusus tidak ditemukan."))
    session.delete(row)
    days.forget_schedules(agency.id)
    audit.record(session, user.id, "schedule_deleted", f"Jadwal '{row.name}' dihapus")


def save_office(session: Session, user: User, unit_id: int, name: str, latitude, longitude, radius) -> OfficeLocation:
    unit = session.get(OrgUnit, unit_id)
    if unit is None or not scope.is_hr_for(user, unit.path):
        raise Forbidden(_("Unit ini di luar wewenang Anda."))
    if not geo.valid_coordinates(latitude, longitude):
        raise ServiceError(_("Koordinat tidak valid: lintang -90..90, bujur -180..180."))
    if radius is None or not 10 <= radius <= 5000:
        raise ServiceError(_("Radius harus antara 10 dan 5.000 meter."))
    office = session.scalars(select(OfficeLocation).where(OfficeLocation.unit_id == unit.id)).first()
    if office is None:
        office = OfficeLocation(unit_id=unit.id)
        session.add(office)
    office.name, office.latitude, office.longitude, office.radius_m = (name or unit.name)[:200], latitude, longitude, radius
    audit.record(session, user.id, "office_saved", f"Lokasi kantor {unit.name}: {latitude}, {longitude}, r={radius} m")
    return office


# -- leave and travel requested by the employee, approved through the leave_request diagram ------

LEAVE_PROCESS = "leave_request"


def request_absence(session: Session, user: User, kind: str, starts: date, ends: date, reason: str) -> Absence:
    """Record the request and start its case; the supervisor's decision comes from the diagram."""

    if user.employee is None:
        raise Forbidden(_("Hanya pegawai yang dapat mengajukan cuti."))
    version = specs.active_version(session, LEAVE_PROCESS)
    if version is None:
        raise ServiceError(_("Proses permohonan cuti belum dideploy; hubungi pengelola kinerja."))
    absence = _add_absence(session, user, user.employee, kind, starts, ends, reason, AbsenceStatus.REQUESTED)
    case = CaseRunner(session).start(version, user.employee, f"cuti-{absence.id}", {"absence_id": absence.id}, user.id)
    absence.case_id = case.id
    return absence


def absence_of_case(session: Session, case_id: int) -> Absence:
    absence = session.scalars(select(Absence).where(Absence.case_id == case_id)).first()
    if absence is None:
        raise NotFound(_("Permohonan cuti untuk kasus ini tidak ditemukan."))
    return absence


def record_leave_decision(session: Session, case_id: int, user: User, decision: str, note: str) -> dict:
    """What the supervisor decided (the leave_review form); the diagram applies it."""
    if decision not in ("approve", "reject"):
        raise ServiceError(_("Pilih setujui atau tolak."))
    if decision == "reject" and not (note or "").strip():
        raise ServiceError(_("Tulis alasan penolakan untuk pegawai."))
    absence = absence_of_case(session, case_id)
    absence.decision_note = (note or "").strip()
    absence.decided_by_id = user.id
    absence.decided_at = utcnow()
    return {"leave_decision": decision}


def apply_leave_decision(session: Session, case_id: int, status: str) -> str:

    absence = absence_of_case(session, case_id)
    absence.status = status
    owner = session.scalar(select(User.id).where(User.employee_id == absence.employee_id))
    if owner is not None:
        verdict = "disetujui" if status == AbsenceStatus.APPROVED else "ditolak"
        note = f": {absence.decision_note}" if absence.decision_note else ""
        with stored_language():
            kind = str(ABSENCE_KINDS[absence.kind]).lower()
        notify(session, owner, f"Permohonan {kind} {absence.starts_on:%d-%m-%Y} s.d. "
               f"{absence.ends_on:%d-%m-%Y} {verdict}{note}.", "/leave")
    return status


def own_absences(session: Session, user: User) -> list[Absence]:
    return list(session.scalars(select(Absence).where(Absence.employee_id == user.employee_id)
                                .order_by(Absence.starts_on.desc()).limit(50)))
