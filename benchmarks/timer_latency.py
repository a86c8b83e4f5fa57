"""Timer latency: how long after its due time a timer fires, through the scheduling after commit,
Redis, the RQ scheduler and `rq worker --with-scheduler` processes (target: within 10 s).

N cases each wait on a timer due 20-40 s after it starts; the deadlines are spread over N/10
seconds, several cases sharing each second. W workers (default 2) run with the scheduler. For
every case the latency is the time of its `timer_fired` audit event minus its deadline.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_timers \\
    REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python benchmarks/timer_latency.py --cases 300 --workers 2

The database in DATABASE_URL is wiped and the Redis database in REDIS_URL flushed.
"""
import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fresh_db import fresh_database  # noqa: E402
from redis import Redis  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app import (
    create_app,  # noqa: E402
    demo_data,  # noqa: E402
)
from app.core.clock import utcnow  # noqa: E402
from app.core.jobs.queue import WORKER_CLASS  # noqa: E402
from app.engine.runner import CaseRunner  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import AuditEvent, Case, Employee, ProcessVersion  # noqa: E402
from app.services.designer.deployment import deploy_xml  # noqa: E402

DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="t">
  <bpmn:process id="timer_latency" name="Uji ketepatan pengatur waktu" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="employee"><bpmn:flowNodeRef>after</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait" name="Tunggu">
      <bpmn:timerEventDefinition><bpmn:timeDate>due</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="after" />
    <bpmn:userTask id="after" name="Sesudah"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="form" value="acknowledge" /></spiffworkflow:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url or not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL and REDIS_URL")
    print(f"machine: {platform.node()} {platform.machine()} cores={os.cpu_count()} python={platform.python_version()}")
    Redis.from_url(redis_url).flushdb()
    app = create_app({"REDIS_URL": redis_url})
    with app.app_context():
        fresh_database()
        demo_data.load(db.session)
        version_id = deploy_xml(db.session, DIAGRAM).id
        db.session.commit()
        employee_ids = db.session.scalars(select(Employee.id).order_by(Employee.id)).all()

    env = dict(os.environ, REDIS_URL=redis_url, PYTHONPATH=str(ROOT))
    rq = str(Path(sys.executable).parent / "rq")
    workers = [subprocess.Popen([rq, "worker", "--with-scheduler", "-w", WORKER_CLASS, "--url", redis_url, "default"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
               for _ in range(args.workers)]
    try:
        time.sleep(3)
        with app.app_context():
            version = db.session.get(ProcessVersion, version_id)
            first_due = utcnow() + timedelta(seconds=20)
            dues = {}
            for i in range(args.cases):
                due = (first_due + timedelta(seconds=i // 10)).replace(microsecond=0)
                employee = db.session.get(Employee, employee_ids[i % len(employee_ids)])
                case = CaseRunner(db.session).start(version, employee, f"t{i}", {"due": due.isoformat()}, None)
                db.session.commit()  # the step commits, then its timer is scheduled in Redis
                dues[case.id] = due
            deadline = time.monotonic() + (max(dues.values()) - utcnow()).total_seconds() + 120
            while time.monotonic() < deadline:
                fired = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
                    AuditEvent.action == "timer_fired"))
                db.session.commit()
                if fired >= args.cases:
                    break
                time.sleep(1)
            events = dict(db.session.execute(select(AuditEvent.case_id, AuditEvent.at).where(
                AuditEvent.action == "timer_fired")).all())
            waiting = db.session.scalar(select(func.count()).select_from(Case).where(Case.next_timer_at.is_not(None)))
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
    latencies = sorted((events[case_id] - due).total_seconds() for case_id, due in dues.items() if case_id in events)
    print(f"\ncases={args.cases} workers={args.workers} fired={len(latencies)} still waiting={waiting}")
    if latencies:
        p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
        print(f"latency after the deadline: min {latencies[0]:.2f} s  p50 {statistics.median(latencies):.2f} s  "
              f"p95 {p95:.2f} s  max {latencies[-1]:.2f} s")
        print(f"target: every timer within 10 s {'MET' if len(latencies) == args.cases and latencies[-1] <= 10 else 'NOT MET'}")


if __name__ == "__main__":
    main()
