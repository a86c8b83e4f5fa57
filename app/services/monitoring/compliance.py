"""Compliance of a unit for a month: who has logged, validated minutes, who is late, attendance.

Set-based: a fixed number of queries whatever the unit's size, plus the attendance classes
computed in memory for the days of the month so far.
"""
import csv
import io
from collections import Counter, defaultdict
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.models import Employee, HumanTask, OrgUnit, WorkLog
from app.models.calendar import calendar_for
from app.models.statuses import TaskStatus
from app.rules.periods import month_bounds
from app.services.attendance.days import classify_rows
from app.services.monitoring.reminders import previous_working_day
from app.services.monitoring.work_logs import settings_for

SORT_KEYS = ("name", "days_logged", "validated", "submitted", "rejected", "percent", "late", "tl", "psw", "tk")
CSV_COLUMNS = [("nip", _l("NIP")), ("name", _l("Nama")), ("unit", _l("Unit")), ("days_logged", _l("Hari tercatat")),
               ("submitted", _l("Menit menunggu")), ("validated", _l("Menit tervalidasi")),
               ("rejected", _l("Menit ditolak")), ("target", _l("Target menit")), ("percent", _l("Capaian (%)")),
               ("missing_yesterday", _l("Belum lapor kemarin")), ("validation_overdue", _l("Validasi lewat tenggat")),
               ("present", _l("Hadir")), ("tl", _l("TL")), ("psw", _l("PSW")), ("tk", _l("TK")),
               ("leave", _l("Cuti")), ("travel", _l("Dinas luar"))]


def unit_rows(session: Session, unit: OrgUnit, key: str, today: date, sort: str = "name",
              descending: bool = False) -> list[dict]:
    first, last = month_bounds(key)
    employees = session.execute(
        select(Employee.id, Employee.nip, Employee.name, OrgUnit.name).join(OrgUnit, Employee.unit_id == OrgUnit.id)
        .where(OrgUnit.path.like(f"{unit.path}%"), Employee.is_active.is_(True))).all()
    ids = [e[0] for e in employees]
    if not ids:
        return []
    target, _cap = settings_for(session, unit.agency_id)
    minutes = defaultdict(Counter)
    for emp, status, total in session.execute(
            select(WorkLog.employee_id, WorkLog.status, func.sum(WorkLog.minutes)).where(
                WorkLog.employee_id.in_(ids), WorkLog.day >= first, WorkLog.day <= last)
            .group_by(WorkLog.employee_id, WorkLog.status)):
        minutes[emp][status] = int(total or 0)
    days_logged = dict(session.execute(
        select(WorkLog.employee_id, func.count(func.distinct(WorkLog.day))).where(
            WorkLog.employee_id.in_(ids), WorkLog.day >= first, WorkLog.day <= last)
        .group_by(WorkLog.employee_id)).all())
    yesterday = previous_working_day(calendar_for(session, unit.agency_id), today)
    logged_yesterday = set(session.scalars(select(WorkLog.employee_id).where(
        WorkLog.employee_id.in_(ids), WorkLog.day == yesterday)))
    overdue = set(session.scalars(select(HumanTask.subject_employee_id).where(
        HumanTask.subject_employee_id.in_(ids), HumanTask.form_key == "month_validation",
        HumanTask.status == TaskStatus.OPEN, HumanTask.due_at < utcnow())))
    attendance = defaultdict(Counter)
    until = min(last, today - timedelta(days=1))
    if until >= first:
        for row in classify_rows(session, ids, first, until):
            counts = attendance[row["employee_id"]]
            counts[row["status"]] += 1
            counts["tl"] += row["arrival_code"] is not None
            counts["psw"] += row["departure_code"] is not None
    rows = []
    for emp, nip, name, unit_name in employees:
        m, a = minutes[emp], attendance[emp]
        rows.append({
            "employee_id": emp, "nip": nip, "name": name, "unit": unit_name,
            "days_logged": days_logged.get(emp, 0), "submitted": m["submitted"], "validated": m["validated"],
            "rejected": m["rejected"], "target": target,
            "percent": round(min(m["validated"] / target, 1) * 100, 1) if target else 0,
            "missing_yesterday": yesterday <= last and yesterday >= first and emp not in logged_yesterday,
            "validation_overdue": emp in overdue,
            "late": (emp not in logged_yesterday) + (emp in overdue),
            "present": a["present"], "tl": a["tl"], "psw": a["psw"], "tk": a["no_record"],
            "leave": a["leave"], "travel": a["travel"],
        })
    sort = sort if sort in SORT_KEYS else "name"
    rows.sort(key=lambda r: (r[sort], r["name"]), reverse=descending)
    return rows


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(label) for _key, label in CSV_COLUMNS])
    yes, no = _("ya"), _("tidak")
    for row in rows:
        writer.writerow([(yes if row[k] else no) if isinstance(row[k], bool) else row[k]
                         for k, _label in CSV_COLUMNS])
    return out.getvalue()
