from datetime import date, datetime, timedelta, timezone

import pytest

from app.rules.working_days import (
    Duration,
    WorkCalendar,
    due_date,
    parse_iso_duration,
)

PLAIN = WorkCalendar(holidays=frozenset())
# Christmas, the joint leave day after it, and New Year.
YEAR_END = WorkCalendar(
    holidays=frozenset({date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1)})
)
FRI_SAT = WorkCalendar(frozenset(), weekend=frozenset({4, 5}))
WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    "calendar, day, expected",
    [
        (PLAIN, date(2026, 3, 6), True),  # Friday
        (PLAIN, date(2026, 3, 7), False),  # Saturday
        (PLAIN, date(2026, 3, 8), False),  # Sunday
        (YEAR_END, date(2025, 12, 25), False),
        (YEAR_END, date(2025, 12, 26), False),
        (YEAR_END, date(2025, 12, 29), True),
        (YEAR_END, date(2026, 1, 1), False),
        (FRI_SAT, date(2026, 3, 8), True),
    ],
)
def test_is_working_day(calendar, day, expected):
    assert calendar.is_working_day(day) is expected


@pytest.mark.parametrize(
    "calendar, start, n, expected",
    [
        (PLAIN, date(2026, 5, 15), 5, date(2026, 5, 22)),  # Friday to Friday
        (PLAIN, date(2026, 3, 6), 1, date(2026, 3, 9)),  # over the weekend
        (PLAIN, date(2026, 3, 7), 1, date(2026, 3, 9)),  # from a Saturday
        (PLAIN, date(2026, 3, 9), 0, date(2026, 3, 9)),
        (PLAIN, date(2026, 3, 7), 0, date(2026, 3, 9)),
        (PLAIN, date(2026, 3, 2), 10, date(2026, 3, 16)),
        (YEAR_END, date(2025, 12, 24), 1, date(2025, 12, 29)),
        (YEAR_END, date(2025, 12, 25), 0, date(2025, 12, 29)),
        # Across the year end, skipping New Year.
        (YEAR_END, date(2025, 12, 24), 5, date(2026, 1, 5)),
        (YEAR_END, date(2025, 12, 31), 1, date(2026, 1, 2)),
        # Friday-Saturday weekend: Thursday is followed by Sunday.
        (FRI_SAT, date(2026, 3, 5), 1, date(2026, 3, 8)),
    ],
)
def test_add_working_days(calendar, start, n, expected):
    assert calendar.add_working_days(start, n) == expected


def test_add_working_days_rejects_negative():
    with pytest.raises(ValueError, match="tidak boleh negatif"):
        PLAIN.add_working_days(date(2026, 3, 2), -1)


@pytest.mark.parametrize(
    "calendar, start, end, expected",
    [
        (PLAIN, date(2026, 3, 2), date(2026, 3, 6), 5),
        (PLAIN, date(2026, 3, 2), date(2026, 3, 15), 10),
        (PLAIN, date(2026, 3, 7), date(2026, 3, 8), 0),
        (PLAIN, date(2026, 3, 4), date(2026, 3, 4), 1),
        (PLAIN, date(2026, 3, 6), date(2026, 3, 2), 0),
        (PLAIN, date(2026, 1, 1), date(2026, 12, 31), 261),
        (YEAR_END, date(2025, 12, 22), date(2026, 1, 9), 12),
        (YEAR_END, date(2025, 12, 25), date(2025, 12, 28), 0),
    ],
)
def test_working_days_between(calendar, start, end, expected):
    assert calendar.working_days_between(start, end) == expected


def test_calendar_needs_a_working_day():
    with pytest.raises(ValueError, match="paling sedikit satu hari kerja"):
        WorkCalendar(frozenset(), weekend=frozenset(range(7)))


def test_calendar_accepts_plain_sets_and_stays_hashable():
    calendar = WorkCalendar(holidays={date(2026, 1, 1)})
    assert calendar.holidays == frozenset({date(2026, 1, 1)})
    assert hash(calendar) == hash(WorkCalendar(holidays=frozenset({date(2026, 1, 1)})))


@pytest.mark.parametrize(
    "text, duration",
    [
        ("P5D", Duration(5, 0, 0)),
        ("P2W", Duration(10, 0, 0)),
        ("PT4H", Duration(0, 4, 0)),
        ("P1DT2H", Duration(1, 2, 0)),
        ("PT30M", Duration(0, 0, 30)),
        ("P1DT2H30M", Duration(1, 2, 30)),
        ("PT36H", Duration(0, 36, 0)),
        ("P0D", Duration(0, 0, 0)),
        (" p3d ", Duration(3, 0, 0)),
    ],
)
def test_parse_iso_duration(text, duration):
    assert parse_iso_duration(text) == duration


@pytest.mark.parametrize(
    "text", ["", "P", "PT", "5D", "P1DT", "PT1S", "P2W3D", "P-1D", "P1.5D", "abc"]
)
def test_parse_iso_duration_rejects_bad_text(text):
    with pytest.raises(ValueError, match=f"Durasi '{text}' tidak valid"):
        parse_iso_duration(text)


@pytest.mark.parametrize("text", ["P1Y", "P1M", "P1Y2M3D", "P1MT2H"])
def test_parse_iso_duration_rejects_years_and_months(text):
    with pytest.raises(ValueError, match="tahun atau bulan, yang tidak didukung"):
        parse_iso_duration(text)


@pytest.mark.parametrize(
    "calendar, start, text, expected",
    [
        (
            PLAIN,
            datetime(2026, 5, 15, 9, 0, tzinfo=WIB),
            "P5D",
            datetime(2026, 5, 22, 9, 0, tzinfo=WIB),
        ),
        (
            YEAR_END,
            datetime(2025, 12, 24, 10, 0, tzinfo=WIB),
            "P1DT2H",
            datetime(2025, 12, 29, 12, 0, tzinfo=WIB),
        ),
        (
            YEAR_END,
            datetime(2025, 12, 24, 10, 0, tzinfo=WIB),
            "P1W",
            datetime(2026, 1, 5, 10, 0, tzinfo=WIB),
        ),
        # Hours alone are clock time, even from a Saturday.
        (
            PLAIN,
            datetime(2026, 3, 7, 10, 0, tzinfo=WIB),
            "PT4H",
            datetime(2026, 3, 7, 14, 0, tzinfo=WIB),
        ),
        (
            PLAIN,
            datetime(2026, 3, 6, 16, 0, tzinfo=WIB),
            "PT10H30M",
            datetime(2026, 3, 7, 2, 30, tzinfo=WIB),
        ),
        (PLAIN, datetime(2026, 3, 6, 8, 0), "P1D", datetime(2026, 3, 9, 8, 0)),
    ],
)
def test_due_date(calendar, start, text, expected):
    result = due_date(start, text, calendar)
    assert result == expected
    assert result.tzinfo is start.tzinfo


def test_due_date_rejects_bad_duration():
    with pytest.raises(ValueError, match="Durasi 'P1M'"):
        due_date(datetime(2026, 3, 6, 8, 0), "P1M", PLAIN)


def test_parse_iso_duration_rejects_none():
    with pytest.raises(ValueError, match="Durasi None tidak valid"):
        parse_iso_duration(None)
