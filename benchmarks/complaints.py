"""Complaint benchmark (issue: "Technical complaints: PIC desk with SLAs and escalation").

Measures, on the database in DATABASE_URL (wiped first):
1. the SLA deadline in working hours (pure function), with and without pauses;
2. filing a complaint through the service (row, case start with the SLA operation, task mirror,
   notifications, commit) and a PIC's reply through `services.tasks.complete`;
3. the desk (first page, holders, the six view counts) for a PIC and for the IT team, and the
   report (summary and CSV) for HR, over N complaints loaded in bulk across a year.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \
        .venv/bin/python benchmarks/complaints.py --filed 200 --complaints 20000
"""
import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fresh_db import fresh_database  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from app import (
    create_app,  # noqa: E402
    demo_data,  # noqa: E402
)
from app.engine.lanes import group_members  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Complaint, ComplaintBreach, Employee, User  # noqa: E402
from app.models.calendar import calendar_for  # noqa: E402
from app.rules import sla  # noqa: E402
from app.services.complaints import desk as complaint_desk
from app.services.complaints import filing as complaints
from app.services.complaints import report as complaint_report
from app.services.tasks import completion as task_service  # noqa: E402

WIB = ZoneInfo("Asia/Jakarta")


def _ms(samples):
    samples = sorted(samples)
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.95) - 1] * 1000


def _timed(func, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return _ms(samples)


def _user(name):
    return db.session.scalars(select(User).where(User.username == name)).one()


def bench_rules(calendar):
    clock = sla.Clock(WIB, calendar)
    opened = datetime(2026, 3, 18, 15, 0, tzinfo=WIB)  # before Nyepi, Idulfitri and the joint leave day
    pauses = [sla.Pause(opened + timedelta(hours=2), opened + timedelta(days=1)),
              sla.Pause(opened + timedelta(days=2), opened + timedelta(days=6))]
    rows = []
    for label, target, given in (("8 working hours, no pause", 8, []), ("40 working hours, two pauses", 40, pauses)):
        count = 10_000
        start = time.perf_counter()
        for _ in range(count):
            sla.deadline(clock, opened, timedelta(hours=target), given)
        rows.append((label, (time.perf_counter() - start) / count * 1e6))
    return rows


def bench_service(filed):
    staff = db.session.scalars(select(User).join(Employee, Employee.id == User.employee_id)
                               .where(User.username.like("staf%")).order_by(User.id)).all()
    file_samples, reply_samples = [], []
    filed_rows = []
    for i in range(filed):
        reporter = staff[i % len(staff)]
        start = time.perf_counter()
        complaint = complaints.file_complaint(db.session, reporter, complaints.NewComplaint(
            category=random.choice(sla.CATEGORIES), description=f"Kendala nomor {i}"))
        db.session.commit()
        file_samples.append(time.perf_counter() - start)
        filed_rows.append(complaint.id)
    for complaint_id in filed_rows:
        complaint = db.session.get(Complaint, complaint_id)
        task = complaints.open_task(db.session, complaint)
        actor = group_members(db.session, task.candidate_role, task.candidate_unit_path)[0]
        start = time.perf_counter()
        task_service.claim(db.session, actor, task)
        db.session.commit()
        task_service.complete(db.session, actor, task.id, {"decision": "reply", "message": "Sedang diperiksa."})
        db.session.commit()
        reply_samples.append(time.perf_counter() - start)
    return _ms(file_samples), _ms(reply_samples)


def bulk_complaints(count):
    """Rows only (no cases): the desk and the report read the complaint table and its breaches."""
    employees = db.session.execute(select(Employee.id, Employee.unit_id, Employee.agency_id)).all()
    paths = dict(db.session.execute(text("SELECT id, path FROM org_unit")).all())
    reporters = dict(db.session.execute(select(User.employee_id, User.id).where(User.employee_id.is_not(None))).all())
    now = datetime.now(WIB)
    rows, breaches = [], []
    first_id = (db.session.scalar(text("SELECT max(id) FROM complaint")) or 0) + 1
    for i in range(count):
        emp, unit, agency = random.choice(employees)
        created = now - timedelta(days=random.uniform(0, 365))
        status = random.choices(["closed", "in_progress", "waiting_employee", "escalated", "new"],
                                [70, 10, 8, 7, 5])[0]
        responded = status != "new"
        due = created + timedelta(hours=random.uniform(1, 60))
        rows.append({
            "id": first_id + i, "number": f"BLK-{first_id + i:010d}", "agency_id": agency, "employee_id": emp,
            "reporter_user_id": reporters[emp], "unit_id": unit, "unit_path": paths[unit],
            "category": random.choice(sla.CATEGORIES), "description": "Kendala massal", "source_url": "",
            "status": status, "level": "it" if status == "escalated" else "pic",
            "response_hours": 4, "resolution_hours": 24, "sla_target": None if status == "closed" else "resolution",
            "sla_due_at": None if status == "closed" else due, "sla_remind_at": None if status == "closed" else due,
            "created_at": created, "updated_at": created,
            "week_start": (created - timedelta(days=created.weekday())).date(),
            "first_response_at": created + timedelta(hours=1) if responded else None,
            "response_minutes": random.randint(5, 600) if responded else None,
            "resolution_minutes": random.randint(60, 3000) if status == "closed" else None,
            "resolved_at": created + timedelta(hours=5) if status == "closed" else None,
            "closed_at": created + timedelta(days=3) if status == "closed" else None,
            "close_reason": "confirmed" if status == "closed" else None, "reopen_count": 0,
        })
        if random.random() < 0.15:
            breaches.append({"complaint_id": first_id + i, "target": random.choice(sla.TARGETS), "level": "pic",
                             "due_at": due, "recorded_at": due})
    for start in range(0, len(rows), 2000):
        db.session.execute(insert(Complaint), rows[start:start + 2000])
    if breaches:
        db.session.execute(insert(ComplaintBreach), breaches)
    db.session.commit()


def bench_pages(repeat):
    pic, it, hr = _user("staf26"), _user("tim.it"), _user("hr.admin")
    results = []
    for label, user in (("desk, PIC of one unit", pic), ("desk, IT team (whole agency)", it)):
        def desk_page(user=user):
            stmt = complaint_desk.desk_query(user, complaint_desk.DeskFilter(view="all"))
            items = db.session.scalars(stmt.limit(20)).all()
            complaint_desk.holder_names(db.session, complaint_desk.open_tasks_by_case(db.session, items))
            complaint_desk.view_counts(db.session, user)
        results.append((label, *_timed(desk_page, repeat)))
    today = date.today()
    year = complaint_report.ReportFilter(start=today - timedelta(days=364), end=today)
    results.append(("report summary, one year, HR", *_timed(
        lambda: complaint_report.summary(db.session, hr, year), repeat)))
    results.append(("report CSV, one year, HR", *_timed(
        lambda: complaint_report.csv_text(db.session, hr, year), repeat)))
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--filed", type=int, default=200)
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    random.seed(6)
    url = os.environ.get("DATABASE_URL") or "sqlite:////tmp/siklus-complaints-bench.db"
    if url.startswith("sqlite:////"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": "/tmp/siklus-complaints-bench-uploads"})
    with app.app_context():
        fresh_database()
        demo_data.load(db.session)
        db.session.commit()
        agency_id = db.session.scalar(text("SELECT id FROM agency"))
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}, "
              f"{db.engine.dialect.name}")
        print("\nSLA deadline (pure function), per call:")
        for label, micros in bench_rules(calendar_for(db.session, agency_id)):
            print(f"  {label:<40} {micros:8.1f} µs")
        (file_p50, file_p95), (reply_p50, reply_p95) = bench_service(args.filed)
        print(f"\nThrough the services, {args.filed} complaints (p50 / p95):")
        print(f"  file a complaint (row, case start, SLA, mirror, notify)  {file_p50:7.1f} / {file_p95:7.1f} ms")
        print(f"  PIC claims and replies (step, new SLA, kept claim)       {reply_p50:7.1f} / {reply_p95:7.1f} ms")
        bulk_complaints(args.complaints)
        total = db.session.scalar(text("SELECT count(*) FROM complaint"))
        print(f"\nPages over {total} complaints (p50 / p95 of {args.repeat} runs):")
        for label, p50, p95 in bench_pages(args.repeat):
            print(f"  {label:<40} {p50:8.1f} / {p95:8.1f} ms")


if __name__ == "__main__":
    main()
