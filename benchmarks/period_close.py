"""Period close benchmark (issue: "RQ workers: period close, timers and escalation, the allowance").

A province of N employees (default 50,000) in PostgreSQL, every one with a case waiting for the
close of January and a month of attendance and work logs. HR closes January through the same
service as the web page; W real `rq worker` processes (default 2) do the work. Prints the total
seconds, cases per second, the allowance step alone, and the in-memory engine baseline for the
same cases (deserialize, deliver the message, run, serialize; no database).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_workers \\
    REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python benchmarks/period_close.py --employees 50000 --workers 2

The database in DATABASE_URL is wiped and the Redis database in REDIS_URL flushed.

The cycle is 2027 (the agency appraises monthly) so that no timer of the cycle is due by the wall
clock while the close runs; the one case driven through the real services, whose state every
other case copies, is taken as of the end of January (its January validation task open).
"""
import argparse
import os
import platform
import random
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fresh_db import fresh_database  # noqa: E402
from redis import Redis  # noqa: E402
from SpiffWorkflow.bpmn.util.event import BpmnEvent  # noqa: E402
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.core.clock import utcnow  # noqa: E402
from app.core.jobs.queue import WORKER_CLASS  # noqa: E402
from app.engine import serialization, specs  # noqa: E402
from app.engine.runner import CaseRunner  # noqa: E402
from app.engine.script_engine import SafeScriptEngine  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Agency,
    AllowanceRun,
    Case,
    DisciplinarySanction,
    Employee,
    Holiday,
    HumanTask,
    OrgUnit,
    Period,
    Position,
    ProcessVersion,
    SupervisorAssignment,
    User,
)
from app.models.calendar import calendar_for  # noqa: E402
from app.rules.allowance import default_rules  # noqa: E402
from app.services.allowance import rules as allowance_rules
from app.services.cycle import periods  # noqa: E402
from app.services.cycle import start as cycle
from app.services.tasks import completion as task_service  # noqa: E402
from app.services.trust.login import hash_password  # noqa: E402

YEAR = 2027
MONTH = f"{YEAR}-01"
TEAM = 10
UNIT_SIZE = 100
WIB = ZoneInfo("Asia/Jakarta")
HOLIDAYS = [(date(2027, 1, 1), "Tahun Baru Masehi")]
BASES = {level: 1_500_000 + 350_000 * level for level in range(1, 18)}


def _org(n: int) -> OrgUnit:
    """One agency, a unit per UNIT_SIZE employees, a supervisor per TEAM; everyone has an account."""
    session = db.session
    agency = Agency(code="PROV", name="Pemerintah Provinsi Benchmark", appraisal_scheme="monthly")
    session.add(agency)
    session.flush()
    root = OrgUnit(agency_id=agency.id, code="ROOT", name="Provinsi", path="")
    session.add(root)
    session.flush()
    root.path = f"/{root.id}/"
    units = []
    for u in range((n + UNIT_SIZE - 1) // UNIT_SIZE):
        unit = OrgUnit(agency_id=agency.id, parent_id=root.id, code=f"U{u:05d}", name=f"Unit {u}", path="")
        session.add(unit)
        units.append(unit)
    session.flush()
    for unit in units:
        unit.path = f"{root.path}{unit.id}/"
    positions = {}
    for unit in units:
        for level in (5, 6, 7, 8, 9):
            positions[(unit.id, level)] = Position(unit_id=unit.id, name=f"Jabatan kelas {level}",
                                                   position_type="pelaksana" if level < 9 else "pengawas",
                                                   class_level=level)
    session.add_all(positions.values())
    session.add_all([Holiday(agency_id=None, day=day, name=name) for day, name in HOLIDAYS])
    session.flush()
    rng = random.Random(4)
    rows = []
    for i in range(n):
        unit = units[i // UNIT_SIZE]
        head = i % TEAM == 0
        level = 9 if head else rng.choice((5, 6, 7, 8))
        rows.append({"nip": f"{i:018d}", "name": f"Pegawai {i}", "agency_id": agency.id, "unit_id": unit.id,
                     "position_id": positions[(unit.id, level)].id,
                     "rank_group": rng.choice(("II/c", "III/a", "III/b", "III/c", "IV/a")),
                     "employment_type": "pns", "is_active": True})
    session.execute(insert(Employee), rows)
    ids = list(session.scalars(select(Employee.id).order_by(Employee.id)))
    password = hash_password("bench12345")
    session.execute(insert(User), [{"username": f"u{e}", "display_name": f"Pegawai {e}", "password_hash": password,
                                    "employee_id": e, "is_active_account": True, "language": "id",
                                    "created_at": utcnow()} for e in ids])
    session.execute(insert(SupervisorAssignment), [
        {"employee_id": e, "supervisor_id": ids[i - i % TEAM], "valid_from": date(2025, 1, 1)}
        for i, e in enumerate(ids) if i % TEAM])
    session.commit()
    return root


def _template_case(root: OrgUnit) -> Case:
    """One case through the real services: plan drafted and approved, January begun."""
    session = db.session
    agency = root.agency
    employee = session.scalars(select(Employee).order_by(Employee.id).offset(1).limit(1)).one()
    # A JPT plan needs no supervisor's result to cascade from; the state is the same afterwards.
    jpt = Position(unit_id=employee.unit_id, name="Jabatan pimpinan", position_type="jpt", class_level=employee.position.class_level)
    session.add(jpt)
    session.flush()
    employee.position_id = jpt.id
    session.commit()
    cycle.ensure_periods(session, agency, YEAR)
    version = specs.active_version(session, cycle.PROCESS_ID)
    periods_ = [p.key for p in session.scalars(select(Period).where(Period.kind == "month").order_by(Period.key))]
    data = {"cycle": str(YEAR), "period_keys": periods_, "months": cycle.cycle_months(agency, YEAR)}
    start = datetime(YEAR, 1, 4, 9, 0, tzinfo=WIB)
    case = CaseRunner(session, start).start(version, employee, str(YEAR), data, None)
    session.commit()
    for form_key in ("skp", "skp_review"):
        task = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.status == "open",
                                                       HumanTask.form_key == form_key)).one()
        actor = session.get(User, task.assignee_user_id)
        payload = ({"results": [{"kind": "utama", "text": "Layanan tercapai", "parent_result_id": None,
                                 "perspective": "penerima_layanan", "indicators": [{"aspect": "kuantitas", "text": "Jumlah",
                                                                      "target": 10, "unit": "dok"}]}]}
                   if form_key == "skp" else {"decision": "approve", "note": "", "expectations": {}})
        task_service.complete(session, actor, task.id, payload)
        session.commit()
    CaseRunner(session, datetime(YEAR, 1, 31, 23, 0, tzinfo=WIB)).fire_timers(case)
    session.commit()
    assert case.waiting_message == f"period_closed:{MONTH}", case.waiting_message
    return case


def _clone(template: Case):
    """Every other employee gets a copy of the template's state and its open tasks."""
    session = db.session
    employees = session.execute(select(Employee.id, Employee.unit_id, OrgUnit.path).join(
        OrgUnit, OrgUnit.id == Employee.unit_id).where(Employee.id != template.employee_id)
        .order_by(Employee.id)).all()
    supervisor_user = dict(session.execute(select(SupervisorAssignment.employee_id, User.id).join(
        User, User.employee_id == SupervisorAssignment.supervisor_id)).all())
    open_tasks = session.scalars(select(HumanTask).where(HumanTask.case_id == template.id,
                                                         HumanTask.status == "open")).all()
    for start in range(0, len(employees), 5000):
        chunk = employees[start:start + 5000]
        session.execute(insert(Case), [{
            "process_version_id": template.process_version_id, "process_id": template.process_id,
            "cycle_key": template.cycle_key, "employee_id": e, "unit_id": unit_id, "unit_path": path,
            "status": "running", "current_step": template.current_step, "state": template.state, "lock_version": 1,
            "waiting_message": template.waiting_message, "next_timer_at": template.next_timer_at,
            "created_at": template.created_at, "updated_at": template.updated_at} for e, unit_id, path in chunk])
        case_ids = dict(session.execute(select(Case.employee_id, Case.id).where(
            Case.employee_id.in_([e for e, _u, _p in chunk]))).all())
        rows = []
        for e, _unit_id, path in chunk:
            for task in open_tasks:
                assignee = supervisor_user.get(e)
                rows.append({"case_id": case_ids[e], "task_guid": task.task_guid, "bpmn_id": task.bpmn_id,
                             "name": task.name, "form_key": task.form_key, "lane": task.lane,
                             "period_key": task.period_key, "subject_employee_id": e, "assignee_user_id": assignee,
                             "candidate_role": None if assignee else "hr",
                             "candidate_unit_path": None if assignee else path, "status": "open",
                             "due_at": task.due_at, "created_at": task.created_at})
        if rows:
            session.execute(insert(HumanTask), rows)
        session.commit()


def _copy(table: str, columns: list[str], rows):
    raw = db.engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cursor, \
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.driver_connection.commit()
    finally:
        raw.close()


def _month_of_data(n_sanctions: float = 0.005):
    """January for everyone: attendance classes (mostly on time, some late, early, absent, on
    leave) and one work log per working day, a few still unvalidated; some sanctions."""
    session = db.session
    agency = session.scalars(select(Agency)).one()
    calendar = calendar_for(session, agency.id)
    days = [date(YEAR, 1, 1) + timedelta(days=i) for i in range(31)]
    working = [d for d in days if calendar.is_working_day(d)]
    ids = list(session.scalars(select(Employee.id).order_by(Employee.id)))
    rng = random.Random(11)
    now = utcnow()

    def attendance():
        for e in ids:
            for day in days:
                if day not in working:
                    yield (e, day, "holiday", None, None, None, 0, 0, now)
                    continue
                roll = rng.random()
                if roll < 0.02:
                    yield (e, day, "no_record", None, None, None, 0, 0, now)
                elif roll < 0.03:
                    kind = rng.choice(("cuti_tahunan", "cuti_sakit", "dinas_luar"))
                    yield (e, day, "travel" if kind == "dinas_luar" else "leave", None, None, kind, 0, 0, now)
                else:
                    late = rng.choice(("TL1", "TL2", "TL3", "TL4")) if roll > 0.92 else None
                    early = rng.choice(("PSW1", "PSW2", "PSW4")) if 0.88 < roll < 0.92 else None
                    yield (e, day, "present", late, early, None, 0, 0, now)

    _copy("attendance_day", ["employee_id", "day", "status", "arrival_code", "departure_code", "leave_type",
                             "late_minutes", "early_minutes", "classified_at"], attendance())

    def logs():
        for e in ids:
            for day in working:
                status = "submitted" if rng.random() < 0.03 else "validated"
                yield (e, day, "07:30", "13:00", rng.randint(240, 360), "Pelayanan", 1, "kegiatan", "utama", "",
                       status, "[]", "", f"b-{e}-{day}", now, now)

    _copy("work_log", ["employee_id", "day", "start_time", "end_time", "minutes", "description", "quantity", "unit",
                       "kind", "link", "status", "flags", "reject_reason", "client_token", "created_at", "updated_at"],
          logs())
    sanctioned = rng.sample(ids, max(1, int(len(ids) * n_sanctions)))
    session.execute(insert(DisciplinarySanction), [
        {"employee_id": e, "level": "sedang", "kind": "Pemotongan TPP", "decree_number": f"800/{e}",
         "starts_on": date(2026, 11, 1), "months": 6, "ends_on": date(2027, 4, 30), "note": "",
         "recorded_at": now, "revoke_reason": ""} for e in sanctioned])
    session.commit()
    allowance_rules.save(session, agency.id, YEAR, default_rules(BASES), None)
    session.commit()


def setup(n: int, redis_url: str):
    app = create_app({"JOBS_SYNC": True})  # jobs run in the caller, no runner thread
    Redis.from_url(redis_url).flushdb()
    with app.app_context():
        fresh_database()
    started = time.perf_counter()
    with app.app_context():
        root = _org(n)
        template = _template_case(root)
        _clone(template)
        _month_of_data()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"setup: {n} employees, cases, attendance and logs in {time.perf_counter() - started:.1f}s")


def close(workers: int, redis_url: str) -> dict:
    app = create_app({"REDIS_URL": redis_url})
    env = dict(os.environ, REDIS_URL=redis_url, PYTHONPATH=str(ROOT))
    rq = str(Path(sys.executable).parent / "rq")
    with app.app_context():
        period = db.session.scalars(select(Period).where(Period.key == MONTH)).one()
        waiting = periods.waiting_count(db.session, period)
        hr = None
        procs = [subprocess.Popen([rq, "worker", "-w", WORKER_CLASS, "--url", redis_url, "default"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                 for _ in range(workers)]
        time.sleep(2)  # the workers import the app before the clock starts
        started = time.perf_counter()
        periods.request_close(db.session, period, hr, confirmed=True)
        cases_done = allowance_done = None
        try:
            while allowance_done is None:
                time.sleep(0.5)
                db.session.expire_all()
                state = db.session.scalar(select(Period.state).where(Period.id == period.id))
                if cases_done is None and state == "closed":
                    cases_done = time.perf_counter() - started
                run = db.session.scalars(select(AllowanceRun).order_by(AllowanceRun.id.desc())).first()
                if run is not None and run.status in ("finished", "failed"):
                    allowance_done = time.perf_counter() - started
                db.session.commit()
        finally:
            for proc in procs:
                os.killpg(proc.pid, signal.SIGTERM)
            for proc in procs:
                proc.wait(timeout=120)
        run = db.session.scalars(select(AllowanceRun).order_by(AllowanceRun.id.desc())).first()
        items = dict(db.session.execute(text(
            "SELECT status, count(*) FROM period_close_item GROUP BY status")).all())
        rows = db.session.scalar(text("SELECT count(*) FROM allowance"))
        return {"waiting": waiting, "cases_seconds": cases_done, "total_seconds": allowance_done,
                "allowance_seconds": (run.finished_at - run.requested_at).total_seconds(), "allowance_status": run.status,
                "allowance_error": run.error, "items": items, "allowance_rows": rows}


def allowance_again(workers: int, redis_url: str) -> float:
    """The allowance step alone on the closed month, its rows deleted first (--allowance-only)."""
    app = create_app({"REDIS_URL": redis_url})
    env = dict(os.environ, REDIS_URL=redis_url, PYTHONPATH=str(ROOT))
    rq = str(Path(sys.executable).parent / "rq")
    with app.app_context():
        db.session.execute(text("DELETE FROM allowance"))
        db.session.commit()
        period = db.session.scalars(select(Period).where(Period.key == MONTH)).one()
        procs = [subprocess.Popen([rq, "worker", "-w", WORKER_CLASS, "--url", redis_url, "default"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                 for _ in range(workers)]
        time.sleep(2)
        try:
            run = periods.compute_allowance(db.session, period, None)
            while True:
                time.sleep(0.5)
                db.session.expire_all()
                run = db.session.get(AllowanceRun, run.id)
                if run.status != "running":
                    break
                db.session.commit()
        finally:
            for proc in procs:
                os.killpg(proc.pid, signal.SIGTERM)
            for proc in procs:
                proc.wait(timeout=120)
        return (run.finished_at - run.requested_at).total_seconds()


def baseline(sample: int) -> float:
    """Cases per second in memory, one process: the same states, the same message."""
    app = create_app()
    with app.app_context():
        rows = db.session.execute(select(Case.state, Case.process_version_id).where(
            Case.waiting_message == f"period_closed:{MONTH}").limit(sample)).all()
        parsed = specs.for_version(db.session.get(ProcessVersion, rows[0][1]))
    started = time.perf_counter()
    for state, _ in rows:
        workflow = serialization.loads(state, parsed.spec, parsed.subprocess_specs)
        workflow.script_engine = SafeScriptEngine(None)
        workflow.send_event(BpmnEvent(MessageEventDefinition("period_closed"), {"period": MONTH}))
        workflow.do_engine_steps()
        serialization.dumps(workflow)
    return len(rows) / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-sample", type=int, default=5_000)
    parser.add_argument("--allowance-only", action="store_true",
                        help="on a database set up and closed by an earlier run: compute the allowance again")
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url or not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        parser.error("set DATABASE_URL (PostgreSQL) and REDIS_URL")
    print(f"machine: {platform.node()} {platform.machine()} cores={os.cpu_count()} python={platform.python_version()}")
    if args.allowance_only:
        seconds = allowance_again(args.workers, redis_url)
        print(f"allowance step alone, {args.workers} workers: {seconds:.1f} s "
              f"({'MET' if seconds < 30 else 'NOT MET'}: under 30 s)")
        return
    setup(args.employees, redis_url)
    base = baseline(min(args.baseline_sample, args.employees))
    result = close(args.workers, redis_url)
    rate = result["waiting"] / result["cases_seconds"]
    print(f"\nemployees={args.employees} workers={args.workers} waiting cases={result['waiting']}")
    print(f"items: {result['items']}   allowance rows: {result['allowance_rows']} ({result['allowance_status']}"
          f"{': ' + result['allowance_error'] if result['allowance_error'] else ''})")
    print(f"cases advanced (period closed):  {result['cases_seconds']:8.1f} s   {rate:7.1f} cases/s")
    print(f"allowance step alone:            {result['allowance_seconds']:8.1f} s")
    print(f"whole close (to allowance done): {result['total_seconds']:8.1f} s")
    print(f"in-memory baseline, 1 process:   {base:8.1f} cases/s   close/baseline = {rate / base:.0%}")
    print(f"targets: close < 300 s {'MET' if result['total_seconds'] < 300 else 'NOT MET'}; "
          f"allowance < 30 s {'MET' if result['allowance_seconds'] < 30 else 'NOT MET'}; "
          f">= 40% of baseline {'MET' if rate / base >= 0.4 else 'NOT MET'}")


if __name__ == "__main__":
    main()
