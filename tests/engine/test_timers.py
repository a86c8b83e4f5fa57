"""Timers: deadlines in working days of the agency calendar, fired by the runner's clock.

The wall clock is frozen (time-machine) because Spiff also checks timers against it on every
step; the runner and the sweeper are given the same instants."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.engine.runner import CaseRunner
from app.models import AuditEvent, Case, HumanTask
from app.services.designer.deployment import deploy_xml
from app.services.tasks import completion as task_service
from tests.conftest import employee, user
from tests.engine.diagrams import timer_process
from tests.timers import fire_due

WIB = ZoneInfo("Asia/Jakarta")
# Tuesday 17 March 2026, 09:00 WIB. In the demo calendar Thursday 19 (Nyepi), Friday 20
# (Idulfitri) and Monday 23 March (joint leave) are holidays.
START = datetime(2026, 3, 17, 9, 0, tzinfo=WIB)


def _at(*args):
    return datetime(*args, tzinfo=WIB)


def _start(session, boundary='"P3D"', wait='"2026-03-27T08:00:00"', username="staf02"):
    version = deploy_xml(session, timer_process(boundary, wait))
    session.commit()
    with time_machine.travel(START, tick=False):
        case = CaseRunner(session, START).start(version, employee(username), "2026", {}, None)
        session.commit()
    return case


def _open(session, case):
    return session.scalars(select(HumanTask.bpmn_id).where(HumanTask.case_id == case.id,
                                                           HumanTask.status == "open")).all()


def test_duration_counts_working_days_and_skips_holidays(session):
    case = _start(session)
    # Wed 18 is the first working day, Tue 24 the second, Wed 25 the third.
    assert case.next_timer_at == _at(2026, 3, 25, 9, 0)


@pytest.mark.parametrize("now, fired", [
    (_at(2026, 3, 25, 8, 59), False),
    (_at(2026, 3, 25, 9, 0), True),
])
def test_boundary_timer_fires_at_its_deadline_and_not_before(session, now, fired):
    case = _start(session)
    with time_machine.travel(now, tick=False):
        result = fire_due(session, now)
    assert result.fired == int(fired)
    assert _open(session, case) == (["late"] if fired else ["first"])
    if fired:
        event = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id,
                                                         AuditEvent.action == "timer_fired")).one()
        assert "Lewat tenggat" in event.summary
        assert case.next_timer_at is None


def test_firing_twice_advances_once(session):
    case = _start(session)
    now = _at(2026, 3, 25, 10, 0)
    with time_machine.travel(now, tick=False):
        assert fire_due(session, now).fired == 1
        assert fire_due(session, now).fired == 0
    assert session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id,
                                                    AuditEvent.action == "timer_fired")).all()


def test_a_bare_date_time_is_read_in_the_agency_zone(session):
    case = _start(session)
    task = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)).one()
    with time_machine.travel(_at(2026, 3, 18, 10, 0), tick=False):
        task_service.complete(session, user("staf02"), task.id, {})
    session.refresh(case)
    assert case.next_timer_at == _at(2026, 3, 27, 8, 0)
    assert "Menunggu: Jeda" in case.current_step
    with time_machine.travel(_at(2026, 3, 27, 7, 59), tick=False):
        assert fire_due(session, _at(2026, 3, 27, 7, 59)).fired == 0
    with time_machine.travel(_at(2026, 3, 27, 8, 0), tick=False):
        assert fire_due(session, _at(2026, 3, 27, 8, 0)).fired == 1
    assert _open(session, case) == ["second"]


def test_only_due_cases_are_touched(session):
    early = _start(session)
    late = _start(session, boundary='"P10D"', username="staf05")
    versions_before = (early.lock_version, late.lock_version)
    now = _at(2026, 3, 25, 12, 0)
    with time_machine.travel(now, tick=False):
        fire_due(session, now)
    session.refresh(early)
    session.refresh(late)
    assert early.lock_version == versions_before[0] + 1
    assert late.lock_version == versions_before[1]
    assert session.get(Case, late.id).next_timer_at > now
