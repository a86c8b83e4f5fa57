"""Appraisal periods within a year."""

import calendar
from datetime import date

from babel.dates import format_date
from flask_babel import gettext as _

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


def within_year(year: int, day: date) -> date:
    """`day` moved into `year`: a case of 2027 looked at in December 2026 reads 1 January 2027,
    one of 2025 looked at in 2026 reads 31 December 2025, so its facts belong to its own year."""
    return min(max(day, date(year, 1, 1)), date(year, 12, 31))


def month_key(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_bounds(key: str) -> tuple[date, date]:
    """First and last day of a month written "2026-04"; ValueError when it is not one."""
    try:
        year, month = (int(part) for part in key.split("-"))
        return date(year, month, 1), _month_end(year, month)
    except (ValueError, AttributeError) as err:
        raise ValueError(_("Bulan '%(month)s' tidak valid; tulis seperti 2026-04.", month=key)) from err


def month_label(key: str) -> str:
    """The month in Bahasa Indonesia (April 2026), as notifications and the diagram's month loop
    store it; a page names a month in the reader's language with the `month` filter."""
    first, _last = month_bounds(key)
    return format_date(first, "MMMM yyyy", locale="id")


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
