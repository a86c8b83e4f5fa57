from datetime import date

import pytest

from app.rules.periods import PERIOD_SCHEMES, kind_of, period_keys, year_periods


def test_schemes():
    assert PERIOD_SCHEMES == ("quarterly", "monthly")


def test_quarterly_periods():
    assert period_keys(2026, "quarterly") == [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ]


@pytest.mark.parametrize(
    "year, index, period",
    [
        (2026, 0, ("2026-01", date(2026, 1, 1), date(2026, 1, 31))),
        (2026, 1, ("2026-02", date(2026, 2, 1), date(2026, 2, 28))),
        (2028, 1, ("2028-02", date(2028, 2, 1), date(2028, 2, 29))),
        (2026, 3, ("2026-04", date(2026, 4, 1), date(2026, 4, 30))),
        (2026, 11, ("2026-12", date(2026, 12, 1), date(2026, 12, 31))),
    ],
)
def test_monthly_periods(year, index, period):
    periods = period_keys(year, "monthly")
    assert len(periods) == 12
    assert periods[index] == period


@pytest.mark.parametrize("scheme", ["quarterly", "monthly"])
def test_periods_cover_the_year_without_gaps(scheme):
    periods = period_keys(2026, scheme)
    assert periods[0][1] == date(2026, 1, 1)
    assert periods[-1][2] == date(2026, 12, 31)
    for (_, _, end), (_, start, _) in zip(periods, periods[1:]):
        assert (start - end).days == 1


@pytest.mark.parametrize("scheme", ["yearly", "semesteran", ""])
def test_unknown_scheme(scheme):
    with pytest.raises(ValueError, match="Skema periode tidak dikenal"):
        period_keys(2026, scheme)


def test_year_periods_are_months_quarters_and_the_year():
    periods = year_periods(2026)
    assert [p[0] for p in periods][:3] == ["2026-01", "2026-02", "2026-03"]
    assert len([p for p in periods if p[1] == "month"]) == 12
    assert [p for p in periods if p[1] == "quarter"][1] == ("2026-Q2", "quarter", date(2026, 4, 1), date(2026, 6, 30))
    assert periods[-1] == ("2026", "year", date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize("key, kind", [("2026", "year"), ("2026-Q3", "quarter"), ("2026-11", "month")])
def test_kind_of_a_key(key, kind):
    assert kind_of(key) == kind
