"""Month-end benchmark (issue: "Monitoring: ... daily work logs ... validation").

5,000 employees on the last working day of a month: every employee submits 5 work logs through
the web form (one with a PDF as evidence) and then every supervisor validates the month of each
subordinate (opens the task page, accepts all remaining entries, completes the BPMN task).
A load generator on loopback keeps N users busy against gunicorn on PostgreSQL and prints
requests per second, p50, p95, p99 and errors, per phase and overall.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_monitoring \\
        .venv/bin/python benchmarks/month_end.py --employees 5000 --users 100

The database named in DATABASE_URL is wiped, and the Redis database in REDIS_URL (default
redis://127.0.0.1:6379/7), to which the server sends its jobs, flushed. Users are signed in before the clock starts (their
session cookies are made with the server's secret key): month-end load is submissions and
validations, and argon2 logins would only measure password hashing.

Setup runs one real case through the engine to the point where the monthly validation tasks
exist, validating the months before the measured one as a supervisor would have during the year,
then copies its workflow state (which holds no employee data) to every other employee and mirrors
its open tasks with each employee's own supervisor as assignee, as the runner would.
"""
import argparse
import asyncio
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine_step import _bulk_org, payload_for  # noqa: E402
from fresh_db import fresh_database  # noqa: E402
from redis import Redis  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.core.clock import utcnow  # noqa: E402
from app.engine import specs  # noqa: E402
from app.engine.runner import CaseRunner  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Case, Employee, HumanTask, Plan, SupervisorAssignment, User  # noqa: E402
from app.models.calendar import calendar_for  # noqa: E402
from app.rules.periods import month_key, month_label  # noqa: E402
from app.services.cycle import start as cycle  # noqa: E402
from app.services.tasks import types as task_types  # noqa: E402

PDF = b"%PDF-1.4\n% benchmark evidence\n" + b"0" * 40_000 + b"\n%%EOF\n"
SLOTS = [("07:30", "09:00"), ("09:00", "10:30"), ("10:30", "12:00"), ("13:00", "14:30"), ("14:30", "15:45")]


# -- setup -------------------------------------------------------------------------------------

def target_month(app) -> tuple[str, date]:
    """The month before this one, and its last working day: a date the log form accepts."""
    with app.app_context():
        calendar = calendar_for(db.session, db.session.scalar(select(Employee.agency_id).limit(1)))
    day = date.today().replace(day=1) - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return month_key(day), day


def setup(app, n: int) -> None:
    with app.app_context():
        fresh_database()
        session = db.session
        root = _bulk_org(n)
        version = specs.active_version(session, cycle.PROCESS_ID)
        agency = root.agency
        year = date.today().year if date.today().month > 1 else date.today().year - 1
        periods = cycle.ensure_periods(session, agency, year)
        data = {"cycle": str(year), "period_keys": [p.key for p in periods],
                "months": cycle.cycle_months(agency, year)}
        template_employee = session.get(Employee, session.scalar(select(Employee.id).order_by(Employee.id)))
        template_user = session.scalar(select(User).where(User.employee_id == template_employee.id))
        runner = CaseRunner(session)
        case = runner.start(version, template_employee, str(year), dict(data), template_user.id)
        session.commit()
        for _ in range(2):  # draft the plan, then approve it
            task = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id,
                                                           HumanTask.status == "open")).one()
            handler = task_types.get(task.form_key).handler
            handled = handler(session, case, task, template_user, payload_for(session, task))
            CaseRunner(session).complete(task, template_user.id, handled)
            session.commit()
        # As in a normal year, the months before the measured one have been validated (their
        # instances are finished and pruned); the measured month and any later one are open.
        measured = month_key(date.today().replace(day=1) - timedelta(days=1))
        for task in session.scalars(select(HumanTask).where(
                HumanTask.case_id == case.id, HumanTask.status == "open", HumanTask.form_key == "month_validation",
                HumanTask.period_key < measured).order_by(HumanTask.period_key)).all():
            handled = task_types.get(task.form_key).handler(session, case, task, template_user, {})
            CaseRunner(session).complete(task, template_user.id, handled)
            session.commit()
        tasks = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id,
                                                        HumanTask.status == "open")).all()
        print(f"setup: template case of {len(case.state) // 1024} KB has {len(tasks)} open tasks "
              f"({', '.join(sorted({t.period_key or t.bpmn_id for t in tasks}))})")
        supervisors = dict(session.execute(
            select(SupervisorAssignment.employee_id, User.id)
            .join(User, User.employee_id == SupervisorAssignment.supervisor_id)).all())
        others = session.execute(select(Employee.id, Employee.unit_id).where(Employee.id != template_employee.id)
                                 .order_by(Employee.id)).all()
        now = utcnow()
        cases = [{"process_version_id": version.id, "process_id": version.process_id, "cycle_key": str(year),
                  "employee_id": emp, "unit_id": unit_id, "unit_path": root.path, "status": "running",
                  "current_step": case.current_step, "state": case.state, "lock_version": 1,
                  "waiting_message": case.waiting_message, "next_timer_at": case.next_timer_at,
                  "created_at": now, "updated_at": now} for emp, unit_id in others]
        session.execute(insert(Case), cases)
        case_ids = dict(session.execute(select(Case.employee_id, Case.id)).all())
        session.execute(insert(Plan), [{"case_id": case_ids[emp], "employee_id": emp, "cycle_key": str(year),
                                        "status": "approved", "updated_at": now} for emp, _ in others])
        mirrored = []
        for emp, _unit in others:
            assignee = supervisors.get(emp)
            for t in tasks:
                mirrored.append({
                    "case_id": case_ids[emp], "task_guid": t.task_guid, "bpmn_id": t.bpmn_id, "name": t.name,
                    "form_key": t.form_key, "lane": t.lane, "period_key": t.period_key, "subject_employee_id": emp,
                    "assignee_user_id": assignee, "candidate_role": None if assignee else "hr",
                    "candidate_unit_path": None if assignee else root.path, "status": "open", "due_at": t.due_at,
                    "created_at": now})
        for i in range(0, len(mirrored), 5000):
            session.execute(insert(HumanTask), mirrored[i:i + 5000])
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()
        print(f"setup: {len(cases) + 1} cases, {len(mirrored) + len(tasks)} open tasks")


def sessions(app) -> tuple[list[dict], list[dict]]:
    """Signed-in cookies and CSRF tokens for every employee (and which are supervisors)."""
    from flask import session as flask_session
    from flask_wtf.csrf import generate_csrf

    with app.app_context():
        rows = db.session.execute(select(User.id, User.employee_id)).all()
        heads = set(db.session.scalars(select(SupervisorAssignment.supervisor_id)))
    serializer = app.session_interface.get_signing_serializer(app)
    people = []
    for user_id, employee_id in rows:
        # A request context of its own each time: Flask-WTF caches the token in `g`.
        with app.test_request_context():
            flask_session["_user_id"] = str(user_id)
            flask_session["_fresh"] = True
            token = generate_csrf()
            cookie = serializer.dumps(dict(flask_session))
        people.append({"user_id": user_id, "cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}",
                       "csrf": token, "supervisor": employee_id in heads})
    return people, [p for p in people if p["supervisor"]]


# -- a small HTTP/1.1 client on asyncio streams (keep-alive, no dependencies) ------------------

class Client:
    def __init__(self, host: str, port: int, cookie: str):
        self.host, self.port, self.cookie = host, port, cookie
        self.reader = self.writer = None

    async def _connect(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, method: str, path: str, body: bytes = b"", content_type: str | None = None):
        for attempt in (1, 2):
            if self.writer is None:
                await self._connect()
            head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Cookie: {self.cookie}",
                    "Connection: keep-alive", f"Content-Length: {len(body)}"]
            if content_type:
                head.append(f"Content-Type: {content_type}")
            try:
                self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
                await self.writer.drain()
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise ConnectionError("unreachable")

    async def _response(self):
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                body += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def multipart(fields: dict, files: list) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Stats:
    def __init__(self, think: float = 0.0):
        self.latencies, self.errors, self.started = [], [], time.perf_counter()
        self.think = think
        self.jobs_done = 0

    async def timed(self, client, method, path, expect, body=b"", content_type=None):
        started = time.perf_counter()
        try:
            status, payload = await client.request(method, path, body, content_type)
        except (ConnectionError, OSError, asyncio.IncompleteReadError) as err:
            self.errors.append(f"{method} {path}: {err!r}")
            return None
        self.latencies.append(time.perf_counter() - started)
        if status not in expect:
            self.errors.append(f"{method} {path}: HTTP {status}")
        if self.think:
            # A person reads the page and types before the next request (not counted as latency).
            await asyncio.sleep(random.uniform(0.5, 1.5) * self.think)
        return payload


async def employee_day(person, host, port, day, stats):
    client = Client(host, port, person["cookie"])
    page = await stats.timed(client, "GET", f"/logs/new?day={day.isoformat()}", {200})
    if page is None:
        return
    for i, (start, end) in enumerate(SLOTS):
        fields = {"csrf_token": person["csrf"], "client_token": secrets.token_hex(16), "day": day.isoformat(),
                  "start_time": start, "end_time": end, "action_plan_id": "0",
                  "description": f"Menyusun laporan kegiatan bagian {i + 1}", "quantity": "1", "unit": "laporan",
                  "link": ""}
        body, ctype = multipart(fields, [("files", "bukti.pdf", PDF)] if i == 0 else [])
        await stats.timed(client, "POST", "/logs/new", {302}, body, ctype)
    await stats.timed(client, "GET", f"/logs?month={day:%Y-%m}", {200})
    client.close()


async def supervisor_validation(person, host, port, month, stats):
    client = Client(host, port, person["cookie"])
    inbox = await stats.timed(client, "GET", "/inbox?" + urlencode({"form": "month_validation",
                                                                      "q": month_label(month)}), {200})
    if inbox is None:
        return
    own_month_tasks = re.findall(r'href="/tasks/(\d+)">', inbox.decode())
    form = urlencode({"csrf_token": person["csrf"]}).encode()
    ctype = "application/x-www-form-urlencoded"
    for task_id in own_month_tasks:
        await stats.timed(client, "GET", f"/tasks/{task_id}", {200})
        await stats.timed(client, "POST", f"/validation/{task_id}/accept-all", {302}, form, ctype)
        await stats.timed(client, "POST", f"/tasks/{task_id}", {302}, form, ctype)
    client.close()


async def run_phase(name, jobs, users, think, seconds):
    """Each of `users` takes the next person's work from the queue until it is empty or, with
    `seconds`, until that much time has passed (work already started is finished)."""
    stats = Stats(think)
    queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    deadline = time.perf_counter() + seconds if seconds else None

    async def worker():
        while not queue.empty() and (deadline is None or time.perf_counter() < deadline):
            job = queue.get_nowait()
            await job(stats)
            stats.jobs_done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(users)))
    stats.elapsed = time.perf_counter() - started
    report(name, stats)
    return stats


def report(name, stats):
    lat = sorted(stats.latencies)
    if not lat:
        print(f"{name}: no requests")
        return

    def pct(p):
        return lat[min(len(lat) - 1, int(len(lat) * p))] * 1000

    print(f"{name:<12} people {stats.jobs_done:5d}  requests {len(lat):6d}  {len(lat) / stats.elapsed:7.1f} req/s  p50 {statistics.median(lat) * 1000:6.1f} ms"
          f"  p95 {pct(0.95):6.1f} ms  p99 {pct(0.99):7.1f} ms  errors {len(stats.errors)}  ({stats.elapsed:.0f} s)")
    for error in stats.errors[:5]:
        print("   ", error)


# -- main ----------------------------------------------------------------------------------------

def start_server(port, workers, threads, env):
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--worker-class", "gthread", "--threads", str(threads), "--backlog", "2048",
               "--log-level", "warning", "app:create_app()"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--users", type=int, default=100, help="concurrent users of the load generator")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds a user waits between requests (0: back to back)")
    parser.add_argument("--seconds", type=float, default=0,
                        help="stop taking new people after this many seconds per phase (0: everyone)")
    parser.add_argument("--skip-setup", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (it is wiped).")
    app = create_app({"JOBS_SYNC": True})
    # The server must sign sessions with the key the cookies below are made with. Like production,
    # it sends its jobs to Redis (no worker takes them here) instead of running an embedded job
    # runner in every gunicorn worker.
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
    Redis.from_url(redis_url).flushdb()
    env = dict(os.environ, SECRET_KEY=app.config["SECRET_KEY"], UPLOAD_DIR=tempfile.mkdtemp(prefix="bench-uploads-"),
               REDIS_URL=redis_url)
    print(f"machine: {platform.node()} {platform.machine()} cores={os.cpu_count()} python={platform.python_version()}")
    print(f"database: {url.split('@')[-1]}  gunicorn: {args.workers} workers x {args.threads} threads, "
          f"load: {args.users} concurrent users, think time {args.think} s")
    if not args.skip_setup:
        started = time.perf_counter()
        setup(app, args.employees)
        print(f"setup: {time.perf_counter() - started:.0f} s")
    month, day = target_month(app)
    everyone, supervisors = sessions(app)
    print(f"month {month}, last working day {day}: {len(everyone)} employees log 5 entries each, "
          f"{len(supervisors)} supervisors validate")
    server = start_server(args.port, args.workers, args.threads, env)
    try:
        host, port = "127.0.0.1", args.port

        async def scenario():
            logs = await run_phase("submit logs", [
                (lambda stats, p=p: employee_day(p, host, port, day, stats)) for p in everyone],
                args.users, args.think, args.seconds)
            validate = await run_phase("validate", [
                (lambda stats, p=p: supervisor_validation(p, host, port, month, stats)) for p in supervisors],
                args.users, args.think, args.seconds)
            overall = Stats()
            overall.jobs_done = logs.jobs_done + validate.jobs_done
            overall.latencies = logs.latencies + validate.latencies
            overall.errors = logs.errors + validate.errors
            overall.elapsed = logs.elapsed + validate.elapsed
            report("overall", overall)
            p95 = sorted(overall.latencies)[int(len(overall.latencies) * 0.95)] * 1000
            print(f"target: zero errors and p95 < 200 ms at {args.users} users (think {args.think} s) -> "
                  f"{'MET' if not overall.errors and p95 < 200 else 'NOT MET'}")

        asyncio.run(scenario())
    finally:
        server.terminate()
        server.wait(timeout=30)
    with app.app_context():
        counts = db.session.execute(text(
            "SELECT status, count(*), sum(minutes) FROM work_log GROUP BY status ORDER BY status")).all()
        closed = db.session.scalar(text("SELECT count(*) FROM work_month WHERE closed_at IS NOT NULL"))
    print("work_log by status:", {s: (c, m) for s, c, m in counts}, " months closed:", closed)


if __name__ == "__main__":
    main()
