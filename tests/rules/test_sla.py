from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.rules.sla import (
    DEFAULT_HOURS,
    Clock,
    Pause,
    WorkingHours,
    deadline,
    remind_at,
    sla_state,
    target_hours,
    working_time,
)
from app.rules.working_days import WorkCalendar

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
# March 2026: Thursday 19 (Nyepi), Friday 20 (Idulfitri) and Monday 23 (joint leave) are holidays.
LEBARAN = WorkCalendar(holidays={date(2026, 3, 19), date(2026, 3, 20), date(2026, 3, 23)})
PLAIN = WorkCalendar()
CLOCK = Clock(WIB, PLAIN)
HOLIDAYS = Clock(WIB, LEBARAN)


def at(day, hour, minute=0, zone=WIB):
    return datetime(2026, 3, day, hour, minute, tzinfo=zone)


def hours(n):
    return timedelta(hours=n)


# 2 March 2026 is a Monday; hours are 07.30-16.00 Monday to Thursday, 07.30-16.30 on Friday.
@pytest.mark.parametrize("clock, opened, target, expected", [
    (CLOCK, at(2, 8), hours(2), at(2, 10)),                       # within one day
    (CLOCK, at(2, 15), hours(2), at(3, 8, 30)),                    # one hour today, one tomorrow
    (CLOCK, at(2, 14), hours(2), at(2, 16)),                       # ends exactly at closing
    (CLOCK, at(6, 16), hours(2), at(9, 9)),                        # Friday's longer day, then Monday
    (CLOCK, at(7, 10), hours(1), at(9, 8, 30)),                    # filed on a Saturday
    (CLOCK, at(2, 6), hours(1), at(2, 8, 30)),                     # before the office opens
    (CLOCK, at(2, 18), hours(1), at(3, 8, 30)),                    # after it closes
    (CLOCK, at(2, 8), hours(0), at(2, 8)),                         # no target: due at once
    (CLOCK, at(7, 8), hours(0), at(9, 7, 30)),                     # ... or when the office opens
    (CLOCK, at(2, 7, 30), hours(8.5 * 4 + 9), at(6, 16, 30)),          # a whole week
    (CLOCK, at(2, 7, 30), hours(8.5 * 4 + 9 + 1), at(9, 8, 30)),
    (HOLIDAYS, at(18, 15), hours(8), at(24, 14, 30)),               # over Nyepi, Idulfitri, joint leave
    (HOLIDAYS, at(19, 9), hours(1), at(24, 8, 30)),                # filed on a holiday
    (HOLIDAYS, at(17, 12), hours(16), at(24, 11, 0)),
    (Clock(WITA, PLAIN), at(2, 15, zone=WITA), hours(2), at(3, 8, 30, zone=WITA)),  # the agency's own zone
    (CLOCK, at(2, 14, zone=WITA), hours(2), at(2, 15)),            # 14.00 WITA is 13.00 WIB
])
def test_deadline_in_working_hours(clock, opened, target, expected):
    assert deadline(clock, opened, target) == expected


@pytest.mark.parametrize("opened, target, pauses, expected", [
    # One hour used, then a day waiting for the employee, then three more hours.
    (at(2, 8), hours(4), [Pause(at(2, 9), at(3, 9))], at(3, 12)),
    # A pause outside office hours changes nothing.
    (at(2, 8), hours(4), [Pause(at(2, 17), at(3, 7))], at(2, 12)),
    # A pause from before the complaint is counted only from the opening.
    (at(2, 8), hours(1), [Pause(at(2, 6), at(2, 8, 30))], at(2, 9, 30)),
    # Overlapping and touching pauses count once.
    (at(2, 8), hours(2), [Pause(at(2, 9), at(2, 10)), Pause(at(2, 9, 30), at(2, 11)),
                          Pause(at(2, 11), at(2, 11, 30))], at(2, 12, 30)),
    # Two separate pauses.
    (at(2, 8), hours(3), [Pause(at(2, 9), at(2, 10)), Pause(at(2, 11), at(2, 12))], at(2, 13)),
    # The pause ends after the target would have been reached without it.
    (at(2, 8), hours(1), [Pause(at(2, 8, 30), at(4, 8))], at(4, 8, 30)),
    # An open pause after the target was reached leaves the deadline where it was.
    (at(2, 8), hours(1), [Pause(at(2, 10))], at(2, 9)),
    # An open pause before it stops the clock: no deadline while waiting.
    (at(2, 8), hours(4), [Pause(at(2, 9))], None),
    (at(6, 16), hours(4), [Pause(at(7, 9))], None),
])
def test_deadline_pauses_while_waiting_for_the_employee(opened, target, pauses, expected):
    assert deadline(CLOCK, opened, target, pauses) == expected


@pytest.mark.parametrize("clock, start, end, pauses, expected", [
    (CLOCK, at(2, 8), at(2, 10), [], hours(2)),
    (CLOCK, at(6, 15), at(9, 9), [], hours(3)),                    # Friday afternoon to Monday
    (CLOCK, at(2, 10), at(2, 8), [], hours(0)),                    # end before start
    (CLOCK, at(7, 8), at(8, 20), [], hours(0)),                    # a weekend only
    (HOLIDAYS, at(18, 15), at(24, 8), [], hours(1.5)),
    (CLOCK, at(2, 8), at(3, 12), [Pause(at(2, 9), at(3, 9))], hours(4)),
    (CLOCK, at(2, 8), at(3, 12), [Pause(at(2, 9))], hours(1)),     # still waiting
])
def test_working_time(clock, start, end, pauses, expected):
    assert working_time(clock, start, end, pauses) == expected


def test_reminder_comes_when_three_quarters_of_the_target_are_used():
    assert remind_at(CLOCK, at(2, 8), hours(4)) == at(2, 11)
    assert remind_at(CLOCK, at(2, 15), hours(4)) == at(3, 9, 30)
    assert remind_at(CLOCK, at(2, 8), hours(4), [Pause(at(2, 9))]) is None


@pytest.mark.parametrize("now, due, remind, paused, expected", [
    (at(2, 8), at(2, 12), at(2, 11), False, "ok"),
    (at(2, 11), at(2, 12), at(2, 11), False, "soon"),
    (at(2, 12), at(2, 12), at(2, 11), False, "breached"),
    (at(2, 13), at(2, 12), None, False, "breached"),
    (at(2, 13), at(2, 12), at(2, 11), True, "paused"),
    (at(2, 13), None, None, False, "paused"),
])
def test_sla_state(now, due, remind, paused, expected):
    assert sla_state(now, due, remind, paused) == expected


def test_custom_hours_and_a_six_day_week():
    six_days = WorkingHours({d: (time(8, 0), time(14, 0)) for d in range(6)})
    clock = Clock(WIB, WorkCalendar(weekend={6}), six_days.span_on)
    assert deadline(clock, at(6, 13), hours(2)) == at(7, 9)          # Saturday is open
    assert deadline(clock, at(7, 13), hours(2)) == at(9, 9)          # Sunday is not


@pytest.mark.parametrize("spans, message", [
    ({}, "paling sedikit satu hari"),
    ({0: (time(16, 0), time(8, 0))}, "jam mulai harus sebelum jam selesai"),
    ({7: (time(8, 0), time(16, 0))}, "tidak valid"),
])
def test_bad_working_hours_are_refused(spans, message):
    with pytest.raises(ValueError, match=message):
        WorkingHours(spans)


def test_hours_may_differ_by_date():
    ramadan = {date(2026, 3, 3): (time(8, 0), time(15, 0))}
    clock = Clock(WIB, PLAIN, lambda day: ramadan.get(day) or DEFAULT_HOURS.span_on(day))
    assert deadline(clock, at(2, 15), hours(2)) == at(3, 9)
    assert deadline(clock, at(3, 14), hours(2)) == at(4, 8, 30)


def test_a_calendar_without_opening_hours_gives_a_clear_error():
    closed = Clock(WIB, WorkCalendar(weekend={5, 6}), WorkingHours({5: (time(8), time(12))}).span_on)
    with pytest.raises(ValueError, match="tidak memiliki jam kerja"):
        deadline(closed, at(2, 8), hours(1))


def test_default_hours_are_the_office_hours_of_a_five_day_week():
    assert working_time(Clock(WIB, PLAIN, DEFAULT_HOURS.span_on), at(2, 0), at(9, 0)) == hours(4 * 8.5 + 9)


@pytest.mark.parametrize("category, overrides, expected", [
    ("login", None, (2, 8)),
    ("allowance", None, (8, 40)),
    ("login", {"login": (1, 4)}, (1, 4)),
    ("plan", {"login": (1, 4)}, (4, 24)),
])
def test_target_hours(category, overrides, expected):
    assert target_hours(category, overrides) == expected


def test_unknown_category_is_refused():
    with pytest.raises(ValueError, match="tidak dikenal"):
        target_hours("printer")
