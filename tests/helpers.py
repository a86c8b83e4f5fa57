"""Driving a case through the cycle with the same services the web pages call.

Each helper is one user's request: it commits what the services flushed, as the view would."""
from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import select

from app.engine.runner import CaseRunner
from app.extensions import db
from app.models import Case, HumanTask, OrgUnit, Period
from app.services.cycle import periods, plans
from app.services.cycle import start as cycle
from app.services.tasks import completion as task_service
from tests.conftest import employee, user

BEHAVIOUR_KEYS = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif",
                  "kolaboratif")


# When the demo's cycle starts: the first Monday of 2026, 09:00 WIB, so that every month of the
# year is one the cases are in (a month that ended before its case started opens no validation).
CYCLE_STARTED_AT = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def start_cycle(year: int = 2026, hr: str = "hr.admin", at: datetime | None = CYCLE_STARTED_AT):
    """Start the year's cycle for the whole agency, as of `at` (None: the suite's frozen now)."""
    root = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).one()
    if at is None:
        started = cycle.start_cycle(db.session, root, year, user(hr).id)
    else:
        with time_machine.travel(at, tick=False):
            started = cycle.start_cycle(db.session, root, year, user(hr).id)
    db.session.commit()
    return started


def case_of(username: str, year: str = "2026") -> Case:
    return db.session.scalars(
        select(Case).where(Case.employee_id == employee(username).id, Case.cycle_key == year)).one()


def open_task(username: str, bpmn_id: str) -> HumanTask:
    case = case_of(username)
    return db.session.scalars(select(HumanTask).where(
        HumanTask.case_id == case.id, HumanTask.bpmn_id == bpmn_id, HumanTask.status == "open")).one()


MONTHLY_VALIDATION = "validate_month"


def open_bpmn_ids(username: str) -> set[str]:
    """Open steps of the plan and period flow. The monthly validations run beside it and appear
    with the calendar (one per month begun), so they are looked at with open_validations()."""
    case = case_of(username)
    return set(db.session.scalars(select(HumanTask.bpmn_id).where(
        HumanTask.case_id == case.id, HumanTask.status == "open", HumanTask.bpmn_id != MONTHLY_VALIDATION)))


def open_validations(username: str) -> dict[str, HumanTask]:
    """The employee's open "Validasi aktivitas <bulan>" tasks by month key."""
    case = case_of(username)
    return {t.period_key: t for t in db.session.scalars(select(HumanTask).where(
        HumanTask.case_id == case.id, HumanTask.status == "open", HumanTask.bpmn_id == MONTHLY_VALIDATION))}


def validate_all_months(username: str, as_of=datetime(2027, 1, 2, tzinfo=UTC)):
    """Let the calendar reach `as_of` (every month of 2026 begun and ended) and complete each
    validation then, as a supervisor may only once the month is over."""
    with time_machine.travel(as_of, tick=False):
        CaseRunner(db.session).fire_timers(case_of(username))
        db.session.commit()
        tasks = open_validations(username)
        assert len(tasks) == 12, sorted(tasks)
        for task in tasks.values():
            complete(who_acts(task), task, {})


def plan_payload(parent_ids=(), perspective=None, target="12"):
    results = []
    for i, parent in enumerate(parent_ids or [None]):
        results.append({
            "kind": "utama" if i == 0 else "tambahan",
            "text": f"Terlaksananya layanan rujukan {i + 1}",
            "parent_result_id": parent,
            "perspective": perspective,
            "indicators": [{"aspect": "kuantitas", "text": "Jumlah laporan", "target": target, "unit": "laporan"}],
        })
    return {"results": results, "resource_support": "Anggaran DPA", "accountability": "Laporan bulanan",
            "consequences": "Sesuai ketentuan", "expectations": {"akuntabel": "Tepat waktu"}}


def complete(actor: str, task: HumanTask, data: dict):
    result = task_service.complete(db.session, user(actor), task.id, data)
    db.session.commit()
    return result


def who_acts(task: HumanTask) -> str:
    """The username that may complete the task: its assignee, or an HR member who claims it."""
    if task.assignee_user_id is not None:
        return db.session.get(type(user("hr.admin")), task.assignee_user_id).username
    hr = user("hr.admin")
    if task.claimed_by_id is None:
        task_service.claim(db.session, hr, task)
        db.session.commit()
    return "hr.admin"


def approve_plan(username: str):
    emp = employee(username)
    parents = plans.supervisor_results(db.session, emp, "2026", date.today())
    payload = plan_payload([p.id for p in parents[:1]] if not emp.is_jpt else (),
                           perspective="penerima_layanan" if emp.is_jpt else None)
    task = open_task(username, "susun_skp")
    complete(username, task, payload)
    review = open_task(username, "review_skp")
    complete(who_acts(review), review, {"decision": "approve", "note": "", "expectations": {}})


def rate(task, actor, results, behaviour):
    complete(actor, task, {"results_rating": results, "behaviour": {k: behaviour for k in BEHAVIOUR_KEYS},
                           "notes": "Catatan"})


def close_period(key: str):
    period = db.session.scalars(select(Period).where(Period.key == key)).one()
    return periods.close_period(db.session, period.id, user("hr.admin").id)
