"""Day classification against a table of check-in/out times, holidays, absences and Ramadan hours."""
from datetime import date, datetime

import pytest

from app.rules.attendance import (
    RAMADAN_HOURS,
    REGULAR_HOURS,
    Hours,
    Punch,
    band,
    classify,
    hours_on,
    parse_hhmm,
    split_punches,
)

MONDAY = date(2026, 4, 6)
FRIDAY = date(2026, 4, 10)
RAMADAN = [(date(2026, 2, 18), date(2026, 3, 19), RAMADAN_HOURS)]
REGULAR = Hours(parse_hhmm("07:30"), parse_hhmm("16:00"))


def at(day, hhmm, kind=None, second=0):
    h, m = hhmm.split(":")
    return Punch(datetime(day.year, day.month, day.day, int(h), int(m), second), kind)


@pytest.mark.parametrize("minutes, prefix, expected", [
    (0, "TL", None), (-5, "TL", None), (1, "TL", "TL1"), (30, "TL", "TL1"), (31, "TL", "TL2"),
    (60, "TL", "TL2"), (61, "TL", "TL3"), (90, "TL", "TL3"), (91, "TL", "TL4"), (300, "PSW", "PSW4"),
    (15, "PSW", "PSW1"), (45, "PSW", "PSW2"),
])
def test_bands(minutes, prefix, expected):
    assert band(minutes, prefix) == expected


@pytest.mark.parametrize("check_in, check_out, arrival, departure, late, early", [
    ("07:30", "16:00", None, None, 0, 0),           # on time
    ("07:10", "17:30", None, None, 0, 0),           # early and late stay are fine
    ("07:31", "16:00", "TL1", None, 1, 0),
    ("08:00", "16:00", "TL1", None, 30, 0),
    ("08:01", "16:00", "TL2", None, 31, 0),
    ("08:30", "16:00", "TL2", None, 60, 0),
    ("08:31", "16:00", "TL3", None, 61, 0),
    ("09:00", "16:00", "TL3", None, 90, 0),
    ("09:01", "16:00", "TL4", None, 91, 0),
    ("07:30", "15:59", None, "PSW1", 0, 1),
    ("07:30", "15:30", None, "PSW1", 0, 30),
    ("07:30", "15:29", None, "PSW2", 0, 31),
    ("07:30", "15:00", None, "PSW2", 0, 60),
    ("07:30", "14:59", None, "PSW3", 0, 61),
    ("07:30", "14:30", None, "PSW3", 0, 90),
    ("07:30", "14:29", None, "PSW4", 0, 91),
    ("08:45", "15:10", "TL3", "PSW2", 75, 50),
])
def test_present_days_on_a_monday(check_in, check_out, arrival, departure, late, early):
    result = classify(MONDAY, True, REGULAR, [at(MONDAY, check_in, "in"), at(MONDAY, check_out, "out")])
    assert (result.status, result.arrival_code, result.departure_code) == ("present", arrival, departure)
    assert (result.late_minutes, result.early_minutes) == (late, early)


def test_seconds_within_the_minute_are_on_time():
    result = classify(MONDAY, True, REGULAR, [at(MONDAY, "07:30", "in", second=59), at(MONDAY, "16:00", "out")])
    assert result.arrival_code is None


@pytest.mark.parametrize("punches, arrival, departure", [
    ([("07:25", "in")], None, "PSW4"),                     # no check-out
    ([("16:05", "out")], "TL4", None),                     # no check-in
    ([("07:20", None)], None, "PSW4"),                     # one device punch in the morning
    ([("16:10", None)], "TL4", None),                      # one device punch in the afternoon
    ([("07:40", None), ("12:00", None), ("16:01", None)], "TL1", None),  # first and last device punches
    ([("07:29", "in"), ("07:50", "in"), ("15:55", "out")], None, "PSW1"),  # the earliest check-in counts
])
def test_missing_and_device_punches(punches, arrival, departure):
    result = classify(MONDAY, True, REGULAR, [at(MONDAY, t, k) for t, k in punches])
    assert (result.status, result.arrival_code, result.departure_code) == ("present", arrival, departure)


@pytest.mark.parametrize("working, absence, punches, status, leave_type", [
    (True, None, [], "no_record", None),
    (True, "cuti_tahunan", [], "leave", "cuti_tahunan"),
    (True, "cuti_sakit", [("07:30", "in")], "leave", "cuti_sakit"),
    (True, "dinas_luar", [], "travel", "dinas_luar"),
    (False, None, [("09:00", "in")], "holiday", None),     # national holiday or weekend
    (False, "cuti_tahunan", [], "holiday", None),          # leave does not use up a holiday
])
def test_absences_and_holidays(working, absence, punches, status, leave_type):
    result = classify(MONDAY, working, REGULAR, [at(MONDAY, t, k) for t, k in punches], absence)
    assert (result.status, result.leave_type, result.arrival_code, result.departure_code) == (
        status, leave_type, None, None)


@pytest.mark.parametrize("day, hhmm_in, hhmm_out, arrival, departure", [
    (date(2026, 3, 2), "08:00", "15:00", None, None),      # Ramadan Monday: 08:00-15:00
    (date(2026, 3, 2), "07:45", "15:00", None, None),
    (date(2026, 3, 2), "08:31", "15:00", "TL2", None),
    (date(2026, 3, 2), "08:00", "14:00", None, "PSW2"),
    (date(2026, 3, 6), "08:00", "15:30", None, None),      # Ramadan Friday ends at 15:30
    (date(2026, 3, 6), "08:00", "15:00", None, "PSW1"),
    (date(2026, 3, 30), "08:00", "16:00", "TL1", None),    # after Ramadan: back to 07:30
    (FRIDAY, "07:30", "16:00", None, "PSW1"),              # a regular Friday ends at 16:30
])
def test_ramadan_and_friday_hours(day, hhmm_in, hhmm_out, arrival, departure):
    hours = hours_on(day, REGULAR_HOURS, RAMADAN)
    result = classify(day, True, hours, [at(day, hhmm_in, "in"), at(day, hhmm_out, "out")])
    assert (result.arrival_code, result.departure_code) == (arrival, departure)


def test_a_day_without_hours_is_not_a_working_day():
    saturday = date(2026, 4, 11)
    assert hours_on(saturday, REGULAR_HOURS, RAMADAN) is None
    assert classify(saturday, True, None, []).status == "holiday"


def test_split_punches_orders_device_punches():
    arrival, departure = split_punches([at(MONDAY, "16:02"), at(MONDAY, "07:28")], REGULAR)
    assert (arrival.hour, departure.hour) == (7, 16)
