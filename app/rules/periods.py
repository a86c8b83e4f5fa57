"""Appraisal periods within a year."""

import calendar
from datetime import date

QUARTERLY = "quarterly"
MONTHLY = "monthly"
PERIOD_SCHEMES = (QUARTERLY, MONTHLY)


def _month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def period_keys(year: int, scheme: str) -> list[tuple[str, date, date]]:
    """(key, first day, last day) of each period of the year, in order."""
    if scheme == QUARTERLY:
        return [
            (f"{year}-Q{q}", date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
            for q in range(1, 5)
        ]
    if scheme == MONTHLY:
        return [
            (f"{year}-{m:02d}", date(year, m, 1), _month_end(year, m))
            for m in range(1, 13)
        ]
    raise ValueError(
        f"Skema periode tidak dikenal: {scheme!r}; pilih salah satu dari "
        f"{', '.join(PERIOD_SCHEMES)}."
    )


MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember")


def month_key(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_bounds(key: str) -> tuple[date, date]:
    """First and last day of a month written "2026-04"; ValueError when it is not one."""
    try:
        year, month = (int(part) for part in key.split("-"))
        return date(year, month, 1), _month_end(year, month)
    except (ValueError, AttributeError) as err:
        raise ValueError(f"Bulan {key!r} tidak valid; tulis seperti 2026-04.") from err


def month_label(key: str) -> str:
    first, _ = month_bounds(key)
    return f"{MONTH_NAMES[first.month - 1]} {first.year}"


def months_of_year(year: int, scheme: str) -> list[dict]:
    """The months of a cycle with the period each falls in, as the diagram's month loop reads them."""
    periods = period_keys(year, scheme)
    months = []
    for m in range(1, 13):
        first, last = date(year, m, 1), _month_end(year, m)
        period = next(key for key, starts, ends in periods if starts <= first <= ends)
        months.append({"key": f"{year}-{m:02d}", "label": month_label(f"{year}-{m:02d}"),
                       "first": first.isoformat(), "ends": last.isoformat(), "period": period})
    return months
