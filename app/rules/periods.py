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


MONTH, QUARTER, YEAR = "month", "quarter", "year"
PERIOD_KINDS = (MONTH, QUARTER, YEAR)


def year_periods(year: int) -> list[tuple[str, str, date, date]]:
    """(key, kind, first day, last day) of the year's months, quarters and the year itself.

    Months carry the allowance and monthly appraisals, quarters the default appraisal, the year
    the annual appraisal; every one of them can be closed (and its data locked) on its own."""
    months = [(key, MONTH, start, end) for key, start, end in period_keys(year, MONTHLY)]
    quarters = [(key, QUARTER, start, end) for key, start, end in period_keys(year, QUARTERLY)]
    return months + quarters + [(str(year), YEAR, date(year, 1, 1), date(year, 12, 31))]


def kind_of(key: str) -> str:
    """The kind of a period from its key: 2026 (year), 2026-Q1 (quarter), 2026-03 (month)."""
    if "-Q" in key:
        return QUARTER
    return YEAR if "-" not in key else MONTH
