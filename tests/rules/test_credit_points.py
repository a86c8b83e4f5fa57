from decimal import Decimal

import pytest

from app.rules.credit_points import GRADE_PERCENT, credit_points


def test_grade_percent_table():
    assert GRADE_PERCENT == {
        "sangat_baik": 150,
        "baik": 100,
        "butuh_perbaikan": 75,
        "kurang": 50,
        "sangat_kurang": 25,
    }


@pytest.mark.parametrize(
    "grade, coefficient, months, expected",
    [
        ("sangat_baik", Decimal("12.5"), 12, Decimal("18.750")),
        ("baik", Decimal("12.5"), 12, Decimal("12.500")),
        ("butuh_perbaikan", Decimal("12.5"), 12, Decimal("9.375")),
        ("kurang", Decimal("12.5"), 12, Decimal("6.250")),
        ("sangat_kurang", Decimal("12.5"), 12, Decimal("3.125")),
        ("baik", 25, 12, Decimal("25.000")),
        # Prorated by months served.
        ("baik", Decimal("12.5"), 6, Decimal("6.250")),
        ("sangat_baik", Decimal("25"), 3, Decimal("9.375")),
        ("baik", Decimal("12.5"), 0, Decimal("0.000")),
        # 12.5 x 7/12 = 7.291666...
        ("baik", Decimal("12.5"), 7, Decimal("7.292")),
        # 0.75 x 37.5 x 5/12 = 11.71875: half up to 11.719.
        ("butuh_perbaikan", Decimal("37.5"), 5, Decimal("11.719")),
        # 0.25 x 12.5 x 1/12 = 0.2604166...
        ("sangat_kurang", Decimal("12.5"), 1, Decimal("0.260")),
        # 1.5 x 0.005 x 12/12 = 0.0075: exactly half, rounds up.
        ("sangat_baik", Decimal("0.005"), 12, Decimal("0.008")),
    ],
)
def test_credit_points(grade, coefficient, months, expected):
    result = credit_points(grade, coefficient, months)
    assert result == expected
    assert result.as_tuple().exponent == -3


@pytest.mark.parametrize("months", [-1, 13])
def test_months_out_of_range(months):
    with pytest.raises(ValueError, match="harus 0-12"):
        credit_points("baik", Decimal("12.5"), months)


def test_unknown_grade():
    with pytest.raises(ValueError, match="Predikat kinerja tidak dikenal"):
        credit_points("cukup", Decimal("12.5"), 12)


def test_negative_coefficient():
    with pytest.raises(ValueError, match="tidak boleh negatif"):
        credit_points("baik", Decimal("-1"), 12)


@pytest.mark.parametrize(
    "coefficient, months",
    [(12.5, 12), (Decimal("12.5"), 6.0), (Decimal("12.5"), True)],
)
def test_wrong_types(coefficient, months):
    with pytest.raises(TypeError):
        credit_points("baik", coefficient, months)
