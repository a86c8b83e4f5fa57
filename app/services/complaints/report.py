"""Learning from complaints: counts per category, unit and week, time to first response and to
resolution (working hours on the SLA clock), breaches; the same rows as CSV."""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session

from app.core.errors import Forbidden, ServiceError
from app.models import Agency, Complaint, ComplaintBreach, OrgUnit, User
from app.models.roles import COMPLAINT_REPORT_ROLES
from app.models.statuses import COMPLAINT_STATUS_LABELS, ComplaintStatus
from app.rules.sla import CATEGORIES, CATEGORY_LABELS
from app.services.complaints import filing as service

REPORT_ROLES = COMPLAINT_REPORT_ROLES
MAX_DAYS = 731


@dataclass
class ReportFilter:
    start: date
    end: date
    unit_id: int | None = None
    category: str = ""


def report_paths(user: User) -> list[str]:
    return user.scope_paths(*REPORT_ROLES)


def may_see(user: User) -> bool:
    return bool(report_paths(user))


def report_units(session: Session, user: User) -> list[OrgUnit]:
    paths = report_paths(user)
    if not paths:
        return []
    return list(session.scalars(select(OrgUnit).where(or_(*[OrgUnit.path.like(f"{p}%") for p in paths]))
                                .order_by(OrgUnit.path)))


def default_filter(today: date) -> ReportFilter:
    """The last twelve full weeks and this one."""
    monday = today - timedelta(days=today.weekday())
    return ReportFilter(start=monday - timedelta(weeks=12), end=today)


def check_filter(f: ReportFilter) -> None:
    if f.end < f.start:
        raise ServiceError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
    if (f.end - f.start).days > MAX_DAYS:
        raise ServiceError(_("Rentang laporan paling panjang dua tahun."))
    if f.category and f.category not in CATEGORIES:
        raise ServiceError(_("Kategori tidak dikenal."))


def _zone(session: Session, user: User) -> ZoneInfo:
    agency_id = user.grant_agency_ids(*REPORT_ROLES)[0]
    return session.get(Agency, agency_id).zone


def _where(session: Session, user: User, f: ReportFilter) -> list:
    if not may_see(user):
        raise Forbidden(_("Laporan pengaduan khusus pengelola kinerja, Tim TI dan auditor."))
    check_filter(f)
    zone = _zone(session, user)
    clauses = [
        or_(*[Complaint.unit_path.like(f"{path}%") for path in report_paths(user)]),
        Complaint.created_at >= datetime.combine(f.start, time(0), zone),
        Complaint.created_at < datetime.combine(f.end + timedelta(days=1), time(0), zone),
    ]
    if f.category:
        clauses.append(Complaint.category == f.category)
    if f.unit_id:
        unit_path = select(OrgUnit.path).where(OrgUnit.id == f.unit_id).scalar_subquery()
        clauses.append(Complaint.unit_path.like(unit_path + "%"))
    return clauses


def _breached(target: str):
    return exists().where(ComplaintBreach.complaint_id == Complaint.id, ComplaintBreach.target == target)


def _measures():
    return (
        func.count(Complaint.id).label("count"),
        func.sum(case((Complaint.status != ComplaintStatus.CLOSED, 1), else_=0)).label("open"),
        func.avg(Complaint.response_minutes).label("response_minutes"),
        func.avg(Complaint.resolution_minutes).label("resolution_minutes"),
        func.sum(case((_breached("response"), 1), else_=0)).label("response_breaches"),
        func.sum(case((_breached("resolution"), 1), else_=0)).label("resolution_breaches"),
    )


def _hours(minutes) -> float | None:
    return None if minutes is None else round(float(minutes) / 60, 1)


def _row(label: str, r) -> dict:
    return {"label": label, "count": r.count, "open": int(r.open or 0),
            "response_hours": _hours(r.response_minutes), "resolution_hours": _hours(r.resolution_minutes),
            "response_breaches": int(r.response_breaches or 0),
            "resolution_breaches": int(r.resolution_breaches or 0)}


def summary(session: Session, user: User, f: ReportFilter) -> dict:
    where = _where(session, user, f)
    by_category = [
        _row(CATEGORY_LABELS[r.category], r)
        for r in session.execute(select(Complaint.category, *_measures()).where(*where)
                                 .group_by(Complaint.category).order_by(func.count(Complaint.id).desc()))]
    by_unit = [
        _row(r.name, r)
        for r in session.execute(select(OrgUnit.name, *_measures()).join(OrgUnit, OrgUnit.id == Complaint.unit_id)
                                 .where(*where).group_by(OrgUnit.id, OrgUnit.name)
                                 .order_by(func.count(Complaint.id).desc(), OrgUnit.name))]
    total = session.execute(select(*_measures()).where(*where)).one()
    weekly: dict[date, dict[str, int]] = {}
    for week, category, count in session.execute(
            select(Complaint.week_start, Complaint.category, func.count(Complaint.id)).where(*where)
            .group_by(Complaint.week_start, Complaint.category)):
        weekly.setdefault(week, {})[category] = count
    weeks = []
    week = f.start - timedelta(days=f.start.weekday())
    while week <= f.end:
        weeks.append(week)
        week += timedelta(weeks=1)
    chart = {  # JSON for the page's chart: text, not lazy labels
        "labels": [w.strftime("%d-%m") for w in weeks],
        "series": [{"label": str(CATEGORY_LABELS[c]), "data": [weekly.get(w, {}).get(c, 0) for w in weeks]}
                   for c in CATEGORIES],
    }
    return {"by_category": by_category, "by_unit": by_unit, "total": _row(pgettext("total row", "Jumlah"), total), "chart": chart,
            "weeks": [(w, sum(weekly.get(w, {}).values())) for w in weeks]}


# The CSV is HR's report to read in a spreadsheet, so it is in the reader's language.
CSV_HEADER = [_l("Nomor"), _l("Diajukan"), _l("Minggu"), _l("Unit kerja"), _l("Kategori"), _l("Status"),
              _l("Ditangani oleh"), _l("Respons pertama (jam kerja)"), _l("Penyelesaian (jam kerja)"),
              _l("SLA respons terlewati"), _l("SLA penyelesaian terlewati"), _l("Dibuka kembali"),
              _l("Alasan ditutup")]
CLOSE_LABELS = {"confirmed": _l("Dikonfirmasi pegawai"), "auto": _l("Otomatis (tidak dikonfirmasi)"),
                "no_reply": _l("Tidak ada jawaban pegawai")}


def csv_text(session: Session, user: User, f: ReportFilter) -> str:
    """One row per complaint, with a BOM so spreadsheet programs read the text as UTF-8."""
    where = _where(session, user, f)
    zone = _zone(session, user)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([str(column) for column in CSV_HEADER])
    yes, no = _("ya"), _("tidak")
    rows = session.execute(
        select(Complaint.number, Complaint.created_at, Complaint.week_start, OrgUnit.name, Complaint.category,
               Complaint.status, Complaint.level, Complaint.response_minutes, Complaint.resolution_minutes,
               _breached("response"), _breached("resolution"), Complaint.reopen_count, Complaint.close_reason)
        .join(OrgUnit, OrgUnit.id == Complaint.unit_id).where(*where).order_by(Complaint.created_at, Complaint.id))
    for r in rows:
        writer.writerow([
            r[0], r[1].astimezone(zone).strftime("%Y-%m-%d %H:%M"), r[2].isoformat(), r[3],
            str(CATEGORY_LABELS[r[4]]), str(COMPLAINT_STATUS_LABELS[r[5]]), str(service.LEVEL_LABELS[r[6]]),
            "" if r[7] is None else _hours(r[7]), "" if r[8] is None else _hours(r[8]),
            yes if r[9] else no, yes if r[10] else no, r[11], str(CLOSE_LABELS.get(r[12] or "", "")),
        ])
    return out.getvalue()
