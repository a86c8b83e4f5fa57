"""Time as the agency lives it: its own date (not the server's UTC one), months that open and
close with its calendar, and a cycle started late that opens nothing already overdue."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, select

from app.core import clock
from app.core.errors import ServiceError
from app.engine import expressions
from app.engine.runner import CaseRunner
from app.extensions import db
from app.models import AuditEvent, Holiday, HumanTask, WorkMonth
from app.models import calendar as calendar_model
from app.rules.working_days import CalendarYearMissing, WorkCalendar
from app.services.monitoring import work_logs
from tests.conftest import user
from tests.helpers import approve_plan, case_of, complete, open_validations, start_cycle


def test_half_past_midnight_in_jakarta_is_already_the_next_day():
    at = datetime(2026, 12, 6, 17, 30, tzinfo=UTC)  # 00:30 WIB on 7 December
    assert at.date() == date(2026, 12, 6)
    assert clock.today("Asia/Jakarta", at) == date(2026, 12, 7)


@pytest.mark.parametrize("zone, utc_hour, local_day", [
    ("Asia/Jakarta", 16, 6), ("Asia/Jakarta", 17, 7),     # WIB, UTC+7
    ("Asia/Makassar", 15, 6), ("Asia/Makassar", 16, 7),   # WITA, UTC+8
    ("Asia/Jayapura", 14, 6), ("Asia/Jayapura", 15, 7),   # WIT, UTC+9
])
def test_each_zone_turns_the_day_at_its_own_midnight(zone, utc_hour, local_day):
    at = datetime(2026, 12, 6, utc_hour, 0, tzinfo=UTC)
    assert clock.today(zone, at) == date(2026, 12, local_day)


def test_today_in_a_diagram_is_the_steps_date_in_the_agencys_zone(session, frozen_clock):
    start_cycle()
    case = case_of("staf02")
    frozen_clock.move_to(datetime(2026, 12, 6, 17, 30, tzinfo=UTC))  # 00:30 WIB, 7 December
    engine = CaseRunner(session).load(case, None).script_engine
    assert engine.evaluate(type("T", (), {"data": {}})(), "today()") == date(2026, 12, 7)
    case.employee.unit.agency.timezone = "Asia/Jayapura"
    frozen_clock.move_to(datetime(2026, 12, 6, 14, 30, tzinfo=UTC))  # 23:30 WIT, 6 December
    engine = CaseRunner(session).load(case, None).script_engine
    assert engine.evaluate(type("T", (), {"data": {}})(), "today()") == date(2026, 12, 6)
    assert expressions.evaluate("today()", {}) == date(2026, 12, 6)  # outside a step: WIB


def test_months_opened_by_a_late_approval_are_not_born_overdue(session):
    start_cycle()  # 5 January
    for username in ("kadis", "kabid.yankes", "kasi.rujukan", "staf02"):
        approve_plan(username)  # 20 November
    tasks = open_validations("staf02")
    assert sorted(tasks) == [f"2026-{m:02d}" for m in range(1, 12)]
    now = clock.utcnow()
    assert all(task.due_at > now for task in tasks.values())


def test_a_month_is_finished_only_after_its_last_working_day(session, frozen_clock):
    start_cycle()
    for username in ("kadis", "kabid.yankes", "kasi.rujukan", "staf02"):
        approve_plan(username)
    november = open_validations("staf02")["2026-11"]
    with pytest.raises(ServiceError, match="mulai 01-12-2026"):
        complete("kasi.rujukan", november, {})
    db.session.rollback()
    frozen_clock.move_to(datetime(2026, 11, 30, 10, 0, tzinfo=UTC))  # 17:00 WIB on the last day
    with pytest.raises(ServiceError):
        complete("kasi.rujukan", db.session.get(HumanTask, november.id), {})
    db.session.rollback()
    frozen_clock.move_to(datetime(2026, 11, 30, 17, 0, tzinfo=UTC))  # 00:00 WIB, 1 December
    complete("kasi.rujukan", db.session.get(HumanTask, november.id), {})
    assert db.session.get(HumanTask, november.id).status == "completed"


def test_a_month_ending_on_a_weekend_finishes_from_the_day_after_its_last_working_day(session):
    agency = user("staf02").employee.unit.agency
    # January 2027 ends on a Sunday; its last working day is Friday the 29th.
    assert work_logs.finish_from(session, agency, "2027-01") == date(2027, 1, 30)


def test_hr_closes_a_month_never_validated_with_a_reason(session, frozen_clock):
    start_cycle()
    for username in ("kadis", "kabid.yankes", "kasi.rujukan", "staf02"):
        approve_plan(username)
    october = open_validations("staf02")["2026-10"]
    with pytest.raises(ServiceError, match="alasan"):
        work_logs.force_close_month(session, user("hr.admin"), october.id, "  ")
    with pytest.raises(Exception, match="pengelola kinerja"):
        work_logs.force_close_month(session, user("kasi.rujukan"), october.id, "Atasan cuti panjang")
    work_logs.force_close_month(session, user("hr.admin"), october.id, "Atasan cuti panjang, TPP harus dibayar")
    session.commit()
    assert db.session.get(HumanTask, october.id).status == "completed"
    row = session.scalars(select(WorkMonth).where(WorkMonth.employee_id == user("staf02").employee_id,
                                                  WorkMonth.month == date(2026, 10, 1))).one()
    assert row.closed_by_id == user("hr.admin").id
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "month_force_closed")).one()
    assert "Atasan cuti panjang" in event.summary


def test_a_calendar_without_the_years_list_names_the_missing_year():
    calendar = WorkCalendar(holidays={date(2026, 12, 25)}, years={2026})
    assert calendar.is_working_day(date(2026, 12, 24))
    with pytest.raises(CalendarYearMissing, match="tahun 2031"):
        calendar.is_working_day(date(2031, 1, 2))


def test_a_cycle_started_late_opens_only_the_months_still_running(session):
    start_cycle(at=None)  # 20 November 2026
    for username in ("kadis", "kabid.yankes", "kasi.rujukan", "staf02"):
        approve_plan(username)
    assert case_of("staf02").status == "running"
    assert set(open_validations("staf02")) == {"2026-11"}
    assert session.scalar(select(WorkMonth.id).where(WorkMonth.month == date(2026, 10, 1))) is None


def test_a_step_that_needs_a_missing_years_calendar_says_which_year(session):
    start_cycle()
    for username in ("kadis", "kabid.yankes", "kasi.rujukan"):
        approve_plan(username)
    session.execute(delete(Holiday).where(Holiday.day >= date(2026, 1, 1), Holiday.day <= date(2026, 12, 31)))
    session.commit()
    calendar_model.forget(None)
    task = open_validations("kasi.rujukan")["2026-10"]
    with pytest.raises(ServiceError, match="tahun 2026 belum dimuat"):
        complete("kabid.yankes", task, {})
    assert db.session.get(HumanTask, task.id).status == "open"
