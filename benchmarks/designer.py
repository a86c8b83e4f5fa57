"""Designer benchmark (issue: "HR designs the process"): generated layout, validation, and the
precheck and migration of running cases per case.

Loads the demo agency, starts the performance cycle for several years (one case per employee and
year), deploys a second version that renames a task, then times a precheck run and a bulk
migration through the same service functions the background jobs call.

    DATABASE_URL=sqlite:////tmp/bench-designer.db .venv/bin/python benchmarks/designer.py --years 5

The database named in DATABASE_URL is wiped.
"""
import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fresh_db import fresh_database  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import (
    create_app,  # noqa: E402
    demo_data,  # noqa: E402
)
from app.engine import layout  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import OrgUnit, ProcessVersion, User  # noqa: E402
from app.services.cycle import start as cycle
from app.services.designer import migration as case_migration
from app.services.designer import processes as designer_service  # noqa: E402
from app.services.designer.deployment import WORKFLOWS_DIR  # noqa: E402


def _ms(samples):
    return f"p50 {statistics.median(samples) * 1000:.1f} ms, max {max(samples) * 1000:.1f} ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    app = create_app({"JOBS_SYNC": True, "REDIS_URL": None})
    with app.app_context():
        fresh_database()
        demo_data.load(db.session)
        db.session.commit()
        hr = db.session.scalars(select(User).where(User.username == "hr.admin")).one()
        root = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).one()
        for year in range(2026, 2026 + args.years):
            cycle.start_cycle(db.session, root, year, hr.id)
            db.session.commit()

        xml = (WORKFLOWS_DIR / "performance_cycle.bpmn").read_text()
        layouts, checks = [], []
        for _ in range(20):
            started = time.perf_counter()
            layout.add_diagram(xml)
            layouts.append(time.perf_counter() - started)
            started = time.perf_counter()
            designer_service.problems_in(xml.replace("Susun SKP", f"Susun SKP {_}"))
            checks.append(time.perf_counter() - started)

        v1 = db.session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == cycle.PROCESS_ID)).one()
        v2 = designer_service.deploy(db.session, hr, "performance_cycle", "Benchmark",
                                     xml.replace('name="Dialog kinerja"', 'name="Dialog kinerja triwulan"'))
        run = case_migration.start_precheck(db.session, hr, v1, v2)
        started = time.perf_counter()
        case_migration.precheck(db.session, run.id)
        precheck = time.perf_counter() - started
        queued = case_migration.queue_all(db.session, hr, run)
        started = time.perf_counter()
        case_migration.migrate_queued(db.session, run.id, hr.id)
        migrate = time.perf_counter() - started
        run = db.session.get(type(run), run.id)
        print(f"machine: {platform.machine()}, {platform.python_version()}, {db.engine.dialect.name}")
        print(f"layout of the shipped cycle (no cache): {_ms(layouts)}")
        print(f"validation of the shipped cycle (changed text each time): {_ms(checks)}")
        print(f"precheck: {run.total} cases in {precheck:.2f} s = {precheck / run.total * 1000:.1f} ms per case")
        print(f"migration: {queued} cases in {migrate:.2f} s = {migrate / max(queued, 1) * 1000:.1f} ms per case "
              f"({run.migrated} migrated, {run.failed} failed)")


if __name__ == "__main__":
    main()
