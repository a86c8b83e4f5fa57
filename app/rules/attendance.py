"""Classifying an employee's day from punches, working hours, the calendar and absences.

Pure functions: the caller gives local times (the agency's time zone) and the day's facts.
Bands follow the allowance table (DOMAIN.md): TL/PSW 1 = 1-30 min, 2 = 31-60, 3 = 61-90,
4 = over 90 or no record of that end of the day. Times are compared to the minute, as
attendance devices record them: 07:30:59 is on time for 07:30.
"""
from dataclasses import dataclass
from datetime import date, datetime, time

PRESENT, NO_RECORD, LEAVE, TRAVEL, HOLIDAY = "present", "no_record", "leave", "travel", "holiday"
TRAVEL_KIND = "dinas_luar"
BANDS = ((30, 1), (60, 2), (90, 3))


@dataclass(frozen=True)
class Hours:
    start: time
    end: time


@dataclass(frozen=True)
class Punch:
    at: datetime  # local time
    kind: str | None = None  # 'in', 'out' or None (a device punch)


@dataclass(frozen=True)
class DayClass:
    status: str
    arrival_code: str | None = None
    departure_code: str | None = None
    leave_type: str | None = None
    arrival: datetime | None = None
    departure: datetime | None = None
    late_minutes: int = 0
    early_minutes: int = 0


def band(minutes: int, prefix: str) -> str | None:
    """'TL1'..'TL4' (or PSW) for minutes late (early); None when not late at all."""
    if minutes <= 0:
        return None
    for limit, level in BANDS:
        if minutes <= limit:
            return f"{prefix}{level}"
    return f"{prefix}4"


def _minute_of(value: datetime | time) -> int:
    return value.hour * 60 + value.minute


def split_punches(punches: list[Punch], hours: Hours) -> tuple[datetime | None, datetime | None]:
    """The arrival and departure among a day's punches.

    Browser punches say which they are. Device punches do not: with two or more, the first is the
    arrival and the last the departure; a single one counts as arrival before the middle of the
    working day and as departure after it.
    """
    arrivals = [p.at for p in punches if p.kind == "in"]
    departures = [p.at for p in punches if p.kind == "out"]
    unknown = sorted(p.at for p in punches if p.kind is None)
    if len(unknown) >= 2:
        arrivals.append(unknown[0])
        departures.append(unknown[-1])
    elif unknown:
        middle = (_minute_of(hours.start) + _minute_of(hours.end)) // 2
        (arrivals if _minute_of(unknown[0]) < middle else departures).append(unknown[0])
    return (min(arrivals) if arrivals else None), (max(departures) if departures else None)


def classify(day: date, is_working_day: bool, hours: Hours | None, punches: list[Punch],
             absence_kind: str | None = None) -> DayClass:
    """One day's class. An approved absence wins over punches; a non-working day is 'holiday'."""
    if not is_working_day or hours is None:
        return DayClass(HOLIDAY)
    if absence_kind == TRAVEL_KIND:
        return DayClass(TRAVEL, leave_type=absence_kind)
    if absence_kind:
        return DayClass(LEAVE, leave_type=absence_kind)
    if not punches:
        return DayClass(NO_RECORD)
    arrival, departure = split_punches(punches, hours)
    late = max(0, _minute_of(arrival) - _minute_of(hours.start)) if arrival else 0
    early = max(0, _minute_of(hours.end) - _minute_of(departure)) if departure else 0
    return DayClass(
        PRESENT,
        arrival_code=band(late, "TL") if arrival else "TL4",
        departure_code=band(early, "PSW") if departure else "PSW4",
        arrival=arrival,
        departure=departure,
        late_minutes=late,
        early_minutes=early,
    )


def hours_on(day: date, regular: dict, special: list[tuple[date, date, dict]]) -> Hours | None:
    """The working hours that apply on a day: a dated schedule covering it (Ramadan) or the regular
    one. Schedules map weekday numbers as text ("0" = Monday) to ["07:30", "16:00"]."""
    table = regular
    for starts, ends, hours in special:
        if starts <= day <= ends:
            table = hours
            break
    pair = table.get(str(day.weekday()))
    if not pair:
        return None
    return Hours(parse_hhmm(pair[0]), parse_hhmm(pair[1]))


def parse_hhmm(text: str) -> time:
    hour, minute = text.strip().split(":")
    return time(int(hour), int(minute))


REGULAR_HOURS = {"0": ["07:30", "16:00"], "1": ["07:30", "16:00"], "2": ["07:30", "16:00"],
                 "3": ["07:30", "16:00"], "4": ["07:30", "16:30"]}
RAMADAN_HOURS = {"0": ["08:00", "15:00"], "1": ["08:00", "15:00"], "2": ["08:00", "15:00"],
                 "3": ["08:00", "15:00"], "4": ["08:00", "15:30"]}
