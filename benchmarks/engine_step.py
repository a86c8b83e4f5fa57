"""Engine step benchmark (issue: "The performance cycle runs end to end").

Loads N cases (default 10,000) at mixed points of the cycle into a database, then completes
tasks on random cases for D seconds from P processes through the same service the web page
calls (permission check -> load -> form handler -> run -> serialize -> optimistic update ->
task mirror -> audit -> commit). The baseline, measured in the same run on the same cases, only
deserializes, runs the step and serializes in memory. Prints completions per second, p50 and
p95 for both, and the ratio.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \
        .venv/bin/python benchmarks/engine_step.py --cases 10000 --seconds 60 --processes 2

The database named in DATABASE_URL is wiped. As in production, the measured processes send
their jobs (the timers a step schedules) to Redis, REDIS_URL (default redis://127.0.0.1:6379/6,
flushed), where no worker takes them: no embedded job runner sweeps timers in the background
while the steps are timed. Setup runs jobs in the caller.
"""
import argparse
import json
import multiprocessing
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6")
SETUP = {"JOBS_SYNC": True}
MEASURE = {"REDIS_URL": REDIS_URL}

import time_machine  # noqa: E402
from fresh_db import fresh_database  # noqa: E402
from redis import Redis  # noqa: E402
from SpiffWorkflow.task import TaskState  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.core.clock import utcnow  # noqa: E402
from app.core.errors import ServiceError  # noqa: E402
from app.engine import serialization, specs  # noqa: E402
from app.engine.runner import CaseChanged  # noqa: E402
from app.engine.script_engine import SafeScriptEngine  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Agency,
    Case,
    Employee,
    HumanTask,
    OrgUnit,
    Period,
    PlanResult,
    Position,
    ProcessVersion,
    SupervisorAssignment,
    User,
)
from app.services.cycle import start as cycle  # noqa: E402
from app.services.tasks import completion as task_service  # noqa: E402
from app.services.trust.login import hash_password  # noqa: E402

TEAM = 10
BEHAVIOUR = {k: "sesuai" for k in ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal",
                                   "adaptif", "kolaboratif")}


# The first Monday of 2026, 09:00 WIB.
CYCLE_STARTED_AT = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def _bulk_org(n: int):
    """One agency, one unit per team of TEAM staff under a supervisor, all with accounts."""
    session = db.session
    agency = Agency(code="BENCH", name="Instansi Benchmark")
    session.add(agency)
    session.flush()
    root = OrgUnit(agency_id=agency.id, code="ROOT", name="Instansi", path="")
    session.add(root)
    session.flush()
    root.path = f"/{root.id}/"
    head_pos = Position(unit_id=root.id, name="Kepala", position_type="jpt", class_level=15)
    staff_pos = Position(unit_id=root.id, name="Pelaksana", position_type="pelaksana", class_level=7)
    session.add_all([head_pos, staff_pos])
    session.flush()
    password = hash_password("bench12345")
    rows = [{"nip": f"{i:018d}", "name": f"Pegawai {i}", "agency_id": agency.id, "unit_id": root.id,
             "position_id": head_pos.id if i % (TEAM + 1) == 0 else staff_pos.id, "rank_group": "III/a",
             "employment_type": "pns", "is_active": True} for i in range(n)]
    session.execute(insert(Employee), rows)
    ids = list(session.scalars(select(Employee.id).order_by(Employee.id)))
    session.execute(insert(User), [{"username": f"u{e}", "display_name": f"Pegawai {e}", "password_hash": password,
                                    "employee_id": e, "is_active_account": True, "language": "id",
                                    "created_at": utcnow()} for e in ids])
    supervisions = []
    for index, employee_id in enumerate(ids):
        head = ids[index - index % (TEAM + 1)]
        if head != employee_id:
            supervisions.append({"employee_id": employee_id, "supervisor_id": head, "valid_from": date(2025, 1, 1)})
    session.execute(insert(SupervisorAssignment), supervisions)
    session.commit()
    return root


def _advance(session, case, steps):
    """Drive one real case forward `steps` tasks with realistic form data."""
    for _ in range(steps):
        task = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id,
                                                       HumanTask.status == "open")).first()
        if task is None or task.assignee_user_id is None:
            return
        actor = session.get(User, task.assignee_user_id)
        task_service.complete(session, actor, task.id, payload_for(session, task))
        session.commit()


def payload_for(session, task: HumanTask) -> dict:
    if task.form_key == "skp":
        parent = session.scalar(select(PlanResult.id).limit(1))
        return {"results": [{"kind": "utama", "text": "Layanan tercapai", "parent_result_id": parent,
                             "perspective": "penerima_layanan",
                             "indicators": [{"aspect": "kuantitas", "text": "Jumlah", "target": 10, "unit": "dok"}]}]}
    if task.form_key == "skp_review":
        return {"decision": "approve", "note": "", "expectations": {}}
    if task.form_key == "dialog":
        return {"notes": "Dialog", "follow_ups": "", "held_on": date.today()}
    if task.form_key in ("period_rating", "annual_rating"):
        return {"results_rating": "sesuai", "behaviour": BEHAVIOUR, "notes": ""}
    return {"decision": "x", "notes": "Catatan"}


def _advance_share(index: int, processes: int, queue) -> None:
    """Mixed points: each case of this share moves 0-5 steps (plan, review, dialog, rating, next
    period) through the real service, so every state is one a user could have produced."""
    app = create_app(SETUP)
    with app.app_context():
        case_ids = [c for c in db.session.scalars(select(Case.id).order_by(Case.id)) if c % processes == index]
        rng = random.Random(7 + index)
        for case_id in case_ids:
            try:
                _advance(db.session, db.session.get(Case, case_id), rng.choice([0, 1, 2, 3, 4, 5]))
            except ServiceError:
                db.session.rollback()
            db.session.expunge_all()
    queue.put(len(case_ids))


def setup(n: int, processes: int):
    app = create_app(SETUP)
    with app.app_context():
        fresh_database()
        root = _bulk_org(n)
        started = time.perf_counter()
        # Started on the cycle's first Monday, as an agency does: a case started later opens no
        # validation for the months already over (the steps then measured would be other ones).
        with time_machine.travel(CYCLE_STARTED_AT, tick=True):
            cycle.start_cycle(db.session, root, 2026, None)
        db.session.commit()
        print(f"setup: started {n} cases in {time.perf_counter() - started:.1f}s")
        for period in db.session.scalars(select(Period).where(Period.key.in_(["2026-Q1", "2026-Q2"]))):
            period.state = "closed"
        db.session.commit()
    started = time.perf_counter()
    _in_processes(_advance_share, processes)
    print(f"setup: mixed points in {time.perf_counter() - started:.1f}s")
    with app.app_context():
        points = db.session.execute(text(
            "SELECT bpmn_id, count(*) FROM human_task WHERE status='open' GROUP BY bpmn_id")).all()
        print("setup: open tasks by step:", dict(points))


def _in_processes(target, processes: int, *args) -> list:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=target, args=(i, processes, *args, queue)) for i in range(processes)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    return results


def _worker(index, processes, seconds, queue):
    app = create_app(MEASURE)
    latencies, conflicts = [], 0
    with app.app_context():
        session = db.session
        pool = [t for t in session.scalars(select(HumanTask.id).where(
            HumanTask.status == "open", HumanTask.assignee_user_id.is_not(None))) if t % processes == index]
        rng = random.Random(index)
        deadline = time.perf_counter() + seconds
        while pool and time.perf_counter() < deadline:
            task_id = pool.pop(rng.randrange(len(pool)))
            task = session.get(HumanTask, task_id)
            actor = session.get(User, task.assignee_user_id)
            payload = payload_for(session, task)
            case_id = task.case_id
            started = time.perf_counter()
            try:
                task_service.complete(session, actor, task_id, payload)
                session.commit()
            except CaseChanged:
                conflicts += 1
                continue
            except ServiceError:
                session.rollback()
                continue
            latencies.append(time.perf_counter() - started)
            pool += [t for t in session.scalars(select(HumanTask.id).where(
                HumanTask.case_id == case_id, HumanTask.status == "open",
                HumanTask.assignee_user_id.is_not(None))) if t % processes == index]
            session.expire_all()
    queue.put((latencies, conflicts))


class _CannedOperations(SafeScriptEngine):
    """In-memory baseline: service tasks answer without the database."""

    ANSWERS = {"lock_plan": True, "period_status": "closed", "record_grade": "baik"}

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        if operation_name == "open_month":  # answers with the month it was given
            return json.dumps(operation_params["month"]["value"])
        return json.dumps(self.ANSWERS[operation_name])


def baseline(sample: int, seconds: float):
    app = create_app()
    with app.app_context():
        rows = db.session.execute(select(Case.state, Case.process_version_id).where(
            Case.status == "running").limit(sample)).all()
        version = db.session.get(ProcessVersion, rows[0][1])
        parsed = specs.for_version(version)
    data = {"plan_decision": "approve"}
    latencies = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for state, _ in rows:
            started = time.perf_counter()
            workflow = serialization.loads(state, parsed.spec, parsed.subprocess_specs)
            workflow.script_engine = _CannedOperations(None)
            ready = [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.manual]
            if ready:
                ready[0].data.update(data)
                ready[0].run()
                workflow.do_engine_steps()
            serialization.dumps(workflow)
            latencies.append(time.perf_counter() - started)
            if time.perf_counter() >= deadline:
                break
    return latencies


def _summary(name, latencies, seconds):
    latencies = sorted(latencies)
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
    print(f"{name:<22} {len(latencies) / seconds:8.1f}/s   p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   n={len(latencies)}")
    return p50, p95


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--skip-setup", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()} cores={os.cpu_count()} python={platform.python_version()}")
    print(f"database: {create_app().config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    if not args.skip_setup:
        setup(args.cases, args.processes)

    Redis.from_url(REDIS_URL).flushdb()
    base = baseline(500, min(args.seconds, 20))
    started = time.perf_counter()
    results = _in_processes(_worker, args.processes, args.seconds)
    elapsed = time.perf_counter() - started
    full = [lat for lats, _ in results for lat in lats]
    conflicts = sum(c for _, c in results)
    print(f"\ncases={args.cases} processes={args.processes} seconds={args.seconds:.0f}")
    b50, b95 = _summary("baseline (in memory)", base, min(args.seconds, 20))
    f50, f95 = _summary("full step", full, elapsed)
    print(f"conflicts (case changed): {conflicts}")
    print(f"ratio full/baseline: p50 {f50 / b50:.2f}x   p95 {f95 / b95:.2f}x")
    print(f"target: ratio <= 3x and full p95 < 50 ms -> "
          f"{'MET' if f50 / b50 <= 3 and f95 < 50 else 'NOT MET'}")


if __name__ == "__main__":
    main()
