"""Working-day calendar and deadlines written as ISO-8601 durations.

The missing-year and duration messages reach people (the error page, the designer's checks) and are
in the reader's language; one raised in a job, outside any request, reads in Bahasa Indonesia.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _


class CalendarYearMissing(LookupError):
    """A day fell in a year whose holiday list the calendar does not have.

    Counting such a day as an ordinary weekday would give wrong due dates and a wrong allowance
    without a word; the year is named so that HR knows which list to load."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(_("Kalender hari libur tahun %(year)s belum dimuat, jadi hari kerja tahun itu belum dapat "
                           "dihitung. Pengelola kinerja memuatnya di menu Kalender (hari libur nasional %(year)s).",
                           year=year))


@dataclass(frozen=True)
class WorkCalendar:
    """Working days of an agency: weekdays minus holidays and joint leave days.

    `years` names the years whose holiday lists are known; a day outside them raises
    CalendarYearMissing. None (a calendar built by hand, as in tests) knows every year."""

    holidays: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})
    years: frozenset[int] | None = None

    def __post_init__(self):
        # Accept any iterable but store frozensets so the calendar stays hashable.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "weekend", frozenset(self.weekend))
        if self.years is not None:
            object.__setattr__(self, "years", frozenset(self.years))
        if not set(range(7)) - self.weekend:
            raise ValueError("Kalender kerja harus memiliki paling sedikit satu hari kerja.")

    def is_working_day(self, d: date) -> bool:
        if self.years is not None and d.year not in self.years:
            raise CalendarYearMissing(d.year)
        return d.weekday() not in self.weekend and d not in self.holidays

    def last_working_day(self, first: date, last: date) -> date | None:
        """The last working day from first to last (a month, say); None when there is none."""
        day = last
        while day >= first:
            if self.is_working_day(day):
                return day
            day -= timedelta(days=1)
        return None

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after start; for n=0, start or the next working day."""
        if n < 0:
            raise ValueError(f"Jumlah hari kerja tidak boleh negatif: {n}.")
        d = start
        if n == 0:
            while not self.is_working_day(d):
                d += timedelta(days=1)
            return d
        while n:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days from start to end, both included; 0 if end is before start."""
        span = (end - start).days + 1
        return sum(
            1 for i in range(max(span, 0)) if self.is_working_day(start + timedelta(days=i))
        )


@dataclass(frozen=True)
class Duration:
    days: int
    hours: int
    minutes: int


# Weeks stand alone in ISO 8601 (PnW); the other form is PnDTnHnM.
_WEEKS = re.compile(r"P(\d+)W")
# The lookahead stops a bare trailing "T", which ISO 8601 does not allow.
_DAYS_TIME = re.compile(r"P(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?)?")
# Y or M before any T: years or months, whose length in days varies.
_YEARS_MONTHS = re.compile(r"P[^T]*\d[YM]")

# A deadline of "one week" means one working week, and days are counted as
# working days, so a week is five of them; holidays in it push the date on.
WORKING_DAYS_PER_WEEK = 5


def parse_iso_duration(text: str) -> Duration:
    """Parse P5D, P2W, PT4H, P1DT2H, PT30M and the like."""
    # Non-text (e.g. None from a blank BPMN field) gets the same Indonesian error.
    cleaned = text.strip().upper() if isinstance(text, str) else ""
    weeks = _WEEKS.fullmatch(cleaned)
    if weeks:
        return Duration(int(weeks.group(1)) * WORKING_DAYS_PER_WEEK, 0, 0)
    parts = _DAYS_TIME.fullmatch(cleaned)
    # A bare "P" matches the pattern but names no amount at all.
    if parts and any(parts.groups()):
        days, hours, minutes = (int(g or 0) for g in parts.groups())
        return Duration(days, hours, minutes)
    if _YEARS_MONTHS.match(cleaned):
        raise ValueError(_(
            "Durasi %(text)s memakai tahun atau bulan, yang tidak didukung; "
            "gunakan minggu (W), hari (D), jam (H) atau menit (M).", text=repr(text)
        ))
    raise ValueError(_(
        "Durasi %(text)s tidak valid; contoh yang benar: P5D, P2W, PT4H, P1DT2H, PT30M.", text=repr(text)
    ))


def due_date(start: datetime, duration_text: str, calendar: WorkCalendar) -> datetime:
    """Deadline: the duration's days as working days, then hours and minutes as clock time."""
    duration = parse_iso_duration(duration_text)
    # A duration without days is pure clock time and must not jump to the
    # next working day just because it starts on a weekend.
    day = start.date()
    if duration.days:
        day = calendar.add_working_days(day, duration.days)
    # Timedelta arithmetic, not datetime.combine, so tzinfo carries over untouched.
    return start + timedelta(
        days=(day - start.date()).days, hours=duration.hours, minutes=duration.minutes
    )
