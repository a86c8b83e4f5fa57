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
