"""Work-log rules: overlap, future date and end-before-start refused; cap, holiday, hours flagged."""
from datetime import date, time

import pytest

from app.rules.work_logs import Slot, check_entry

TODAY = date(2026, 4, 8)
HOURS = Slot(time(7, 30), time(16, 0))


def slot(a, b):
    return Slot(time(*map(int, a.split(":"))), time(*map(int, b.split(":"))))


@pytest.mark.parametrize("day, new, others, working, errors, flags, minutes", [
    (TODAY, ("08:00", "09:30"), [], True, set(), 0, 90),
    (TODAY, ("08:00", "09:30"), [("09:30", "10:00")], True, set(), 0, 90),        # touching is fine
    (TODAY, ("08:00", "09:30"), [("09:00", "10:00")], True, {"start_time"}, 0, 90),  # overlap
    (TODAY, ("08:00", "09:30"), [("07:30", "12:00")], True, {"start_time"}, 0, 90),  # inside another
    (TODAY, ("09:30", "08:00"), [], True, {"end_time"}, 0, 0),                     # end before start
    (TODAY, ("09:30", "09:30"), [], True, {"end_time"}, 0, 0),                     # zero length
    (date(2026, 4, 9), ("08:00", "09:00"), [], True, {"day"}, 0, 60),              # tomorrow
    (date(2026, 4, 4), ("08:00", "09:00"), [], False, set(), 1, 60),               # Saturday: flagged
    (TODAY, ("06:00", "07:30"), [], True, set(), 1, 90),                           # before office hours
    (TODAY, ("15:00", "17:00"), [], True, set(), 1, 120),                          # after office hours
    (TODAY, ("12:00", "16:00"), [("07:30", "11:30")], True, set(), 1, 240),        # 480 > cap 450
    (TODAY, ("12:00", "15:30"), [("07:30", "11:30")], True, set(), 0, 210),        # 450 = cap
])
def test_check_entry(day, new, others, working, errors, flags, minutes):
    result = check_entry(day, slot(*new), TODAY, working, [slot(*o) for o in others], 450, HOURS)
    assert set(result.errors) == errors
    assert len(result.flags) == flags, result.flags
    assert result.minutes == minutes
    assert result.ok == (not errors)


def test_messages_name_the_problem():
    overlap = check_entry(TODAY, slot("08:00", "09:30"), TODAY, True, [slot("09:00", "10:00")], 450, HOURS)
    assert "09:00–10:00" in overlap.errors["start_time"]
    capped = check_entry(TODAY, slot("12:00", "16:00"), TODAY, True, [slot("07:30", "11:30")], 450, HOURS)
    assert "480 menit" in capped.flags[0] and "450" in capped.flags[0]
