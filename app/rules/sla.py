"""Service-level targets for technical complaints, counted in working hours of the agency.

A target of "8 working hours" runs only while the office is open (the agency's daily hours on
working days of its calendar) and stops while the complaint waits for the employee (a pause).
Everything here works in the agency's time zone and on plain values, so it is tested without a
database.
"""
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from app.rules.attendance import REGULAR_HOURS, parse_hhmm
from app.rules.working_days import WorkCalendar

CATEGORIES = ("login", "attendance", "activity_log", "plan", "allowance", "other")
TARGETS = ("response", "resolution")
CATEGORY_LABELS = {
    "login": _l("Masuk / akun"), "attendance": _l("Presensi"), "activity_log": _l("Log aktivitas harian"),
    "plan": _l("SKP / rencana kinerja"), "allowance": _l("TPP / tunjangan"), "other": _l("Lainnya"),
}
MAX_TEXT = 5000
MAX_HOURS = 400  # ten working weeks: anything longer is a typing slip, not a service level

# Working hours (response, resolution) per category when the agency has not set its own:
# being locked out or unable to check in blocks the day's work, so they are answered first.
DEFAULT_TARGET_HOURS: Mapping[str, tuple[int, int]] = {
    "login": (2, 8),
    "attendance": (2, 8),
    "activity_log": (4, 16),
    "plan": (4, 24),
    "allowance": (8, 40),
    "other": (8, 40),
}

# The desk and the reminder timer warn once this share of a target has been used.
REMIND_SHARE = 0.75
# Statuses in which the complaint waits for the employee, so neither clock runs.
PAUSING_STATUSES = frozenset({"waiting_employee", "resolved"})
# A calendar with no opening hours at all would make a deadline unreachable; stop looking here.
MAX_SEARCH_DAYS = 3660


@dataclass(frozen=True)
class WorkingHours:
    """Opening hours per weekday (0 = Monday); a weekday without hours is closed."""

    spans: Mapping[int, tuple[time, time]]

    def __post_init__(self):
        for weekday, (start, end) in self.spans.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"Hari {weekday} tidak valid (0 = Senin sampai 6 = Minggu).")
            if start >= end:
                raise ValueError(f"Jam kerja hari {weekday}: jam mulai harus sebelum jam selesai.")
        if not self.spans:
            raise ValueError("Jam kerja harus memiliki paling sedikit satu hari.")

    @classmethod
    def from_table(cls, table: Mapping[str, list[str]]) -> "WorkingHours":
        """From a schedule as attendance stores it: {"0": ["07:30", "16:00"], ...}."""
        return cls({int(day): (parse_hhmm(pair[0]), parse_hhmm(pair[1])) for day, pair in table.items() if pair})

    def span_on(self, day: date) -> tuple[time, time] | None:
        return self.spans.get(day.weekday())


# The agency's regular office hours; the complaint clock runs through the midday break, as a
# help desk's does.
DEFAULT_HOURS = WorkingHours.from_table(REGULAR_HOURS)


@dataclass(frozen=True)
class Pause:
    start: datetime
    end: datetime | None = None


@dataclass(frozen=True)
class Clock:
    """Where working time is counted: the agency's zone, calendar and the office hours of a day
    (None when closed), which may differ by date (shorter hours in Ramadan)."""

    zone: ZoneInfo
    calendar: WorkCalendar
    hours_on: Callable[[date], tuple[time, time] | None] = DEFAULT_HOURS.span_on


def _open_intervals(clock: Clock, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Office-open intervals from `start` onwards, in the agency's zone."""
    start = start.astimezone(clock.zone)
    day = start.date()
    for _ in range(MAX_SEARCH_DAYS):
        span = clock.hours_on(day)
        if span is not None and clock.calendar.is_working_day(day):
            opens = datetime.combine(day, span[0], tzinfo=clock.zone)
            closes = datetime.combine(day, span[1], tzinfo=clock.zone)
            if closes > start:
                yield max(opens, start), closes
        day += timedelta(days=1)
    raise ValueError("Kalender kerja tidak memiliki jam kerja dalam sepuluh tahun ke depan.")


def _merged(pauses: Iterable[Pause], zone: ZoneInfo) -> list[tuple[datetime, datetime | None]]:
    ordered = sorted(((p.start.astimezone(zone), p.end.astimezone(zone) if p.end else None) for p in pauses),
                     key=lambda p: p[0])
    merged: list[tuple[datetime, datetime | None]] = []
    for start, end in ordered:
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            merged[-1] = (last_start, None if end is None or last_end is None else max(last_end, end))
        else:
            merged.append((start, end))
    return merged


def _counting(interval: tuple[datetime, datetime], pauses) -> Iterator[tuple[datetime, datetime]]:
    """The parts of an open interval not covered by a pause."""
    start, end = interval
    for p_start, p_end in pauses:
        if p_end is not None and p_end <= start:
            continue
        if p_start >= end:
            break
        if p_start > start:
            yield start, p_start
        if p_end is None:
            return
        start = max(start, p_end)
        if start >= end:
            return
    yield start, end


def deadline(clock: Clock, opened_at: datetime, target: timedelta,
             pauses: Iterable[Pause] = ()) -> datetime | None:
    """When `target` of working time since `opened_at` is used up; None while a pause is open
    before that moment (the clock is stopped, so there is no deadline yet)."""
    merged = _merged(pauses, clock.zone)
    open_pause = next((p for p in merged if p[1] is None), None)
    left = target
    for interval in _open_intervals(clock, opened_at):
        for start, end in _counting(interval, merged):
            if end - start >= left:
                return start + left
            left -= end - start
        if open_pause is not None and interval[1] >= open_pause[0]:
            return None
    raise AssertionError("unreachable: _open_intervals raises first")  # pragma: no cover


def working_time(clock: Clock, start: datetime, end: datetime, pauses: Iterable[Pause] = ()) -> timedelta:
    """Working time between two moments, not counting pauses."""
    if end <= start:
        return timedelta(0)
    merged = _merged(pauses, clock.zone)
    total = timedelta(0)
    for interval in _open_intervals(clock, start):
        if interval[0] >= end:
            break
        clipped = (interval[0], min(interval[1], end))
        for part_start, part_end in _counting(clipped, merged):
            total += part_end - part_start
    return total


def remind_at(clock: Clock, opened_at: datetime, target: timedelta,
              pauses: Iterable[Pause] = ()) -> datetime | None:
    """When REMIND_SHARE of the target is used: the moment to warn whoever holds the complaint."""
    return deadline(clock, opened_at, target * REMIND_SHARE, pauses)


def sla_state(now: datetime, due: datetime | None, remind: datetime | None, paused: bool = False) -> str:
    """'paused', 'breached', 'soon' (past the reminder) or 'ok'; the desk groups complaints by it."""
    if paused or due is None:
        return "paused"
    if now >= due:
        return "breached"
    if remind is not None and now >= remind:
        return "soon"
    return "ok"


def target_hours(category: str, overrides: Mapping[str, tuple[int, int]] | None = None) -> tuple[int, int]:
    """(response, resolution) working hours for a category: the agency's own or the default."""
    if category not in CATEGORIES:
        raise ValueError(f"Kategori '{category}' tidak dikenal.")
    return (overrides or {}).get(category) or DEFAULT_TARGET_HOURS[category]
