import pytest

from app.rules.distribution import check_distribution

SB, B, BP, K, SK = "sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"


def spread(**counts):
    return [grade for grade, n in counts.items() for _ in range(n)]


@pytest.mark.parametrize(
    "unit_result, grades",
    [
        ("istimewa", spread(sangat_baik=7, baik=3)),
        ("istimewa", spread(sangat_baik=2, baik=1)),
        ("baik", spread(baik=7, butuh_perbaikan=1, sangat_baik=2)),
        ("baik", spread(baik=7, kurang=1, sangat_baik=2)),
        ("butuh_perbaikan", spread(butuh_perbaikan=6, sangat_baik=1, baik=3)),
        ("butuh_perbaikan", spread(butuh_perbaikan=3, baik=2)),
        ("kurang", spread(kurang=6, butuh_perbaikan=1, sangat_baik=1, baik=2)),
        ("kurang", spread(kurang=4, butuh_perbaikan=1)),
        ("sangat_kurang", spread(sangat_kurang=6, kurang=1, baik=3)),
        ("sangat_kurang", spread(sangat_kurang=6, butuh_perbaikan=1, baik=3)),
        ("sangat_kurang", spread(sangat_kurang=3, butuh_perbaikan=1, kurang=1)),
    ],
)
def test_distribution_at_boundary_passes(unit_result, grades):
    assert check_distribution(unit_result, grades) == []


@pytest.mark.parametrize(
    "unit_result, grades, message",
    [
        (
            "istimewa",
            spread(sangat_baik=8, baik=2),
            "Hasil unit Istimewa: paling banyak 70% predikat Sangat Baik, "
            "saat ini 80% (8 dari 10).",
        ),
        (
            "baik",
            spread(baik=8, butuh_perbaikan=1, sangat_baik=1),
            "Hasil unit Baik: paling banyak 70% predikat Baik, saat ini 80% (8 dari 10).",
        ),
        (
            "baik",
            spread(baik=7, sangat_baik=2, sangat_kurang=1),
            "Hasil unit Baik: paling sedikit satu predikat Butuh Perbaikan atau "
            "Kurang/Misconduct, saat ini tidak ada (0 dari 10).",
        ),
        (
            "butuh_perbaikan",
            spread(butuh_perbaikan=5, sangat_baik=1, baik=4),
            "Hasil unit Butuh Perbaikan: paling sedikit 60% predikat Butuh Perbaikan, "
            "saat ini 50% (5 dari 10).",
        ),
        (
            "butuh_perbaikan",
            spread(butuh_perbaikan=6, sangat_baik=2, baik=2),
            "Hasil unit Butuh Perbaikan: paling banyak 10% predikat Sangat Baik, "
            "saat ini 20% (2 dari 10).",
        ),
        (
            "kurang",
            spread(kurang=5, butuh_perbaikan=1, sangat_baik=1, baik=3),
            "Hasil unit Kurang: paling sedikit 60% predikat Kurang/Misconduct, "
            "saat ini 50% (5 dari 10).",
        ),
        (
            "kurang",
            spread(kurang=6, sangat_baik=1, baik=3),
            "Hasil unit Kurang: paling sedikit 10% predikat Butuh Perbaikan, "
            "saat ini 0% (0 dari 10).",
        ),
        (
            "kurang",
            spread(kurang=6, butuh_perbaikan=1, sangat_baik=2, baik=1),
            "Hasil unit Kurang: paling banyak 10% predikat Sangat Baik, "
            "saat ini 20% (2 dari 10).",
        ),
        (
            "sangat_kurang",
            spread(sangat_kurang=5, kurang=1, baik=4),
            "Hasil unit Sangat Kurang: paling sedikit 60% predikat Sangat Kurang, "
            "saat ini 50% (5 dari 10).",
        ),
        (
            "sangat_kurang",
            spread(sangat_kurang=6, baik=4),
            "Hasil unit Sangat Kurang: paling sedikit 10% predikat Butuh Perbaikan atau "
            "Kurang/Misconduct, saat ini 0% (0 dari 10).",
        ),
        (
            "sangat_kurang",
            spread(sangat_kurang=6, kurang=1, sangat_baik=1, baik=2),
            "Hasil unit Sangat Kurang: tidak boleh ada predikat Sangat Baik, "
            "saat ini 10% (1 dari 10).",
        ),
        # Half a person still needs a whole one: 10% of 5.
        (
            "kurang",
            spread(kurang=4, sangat_baik=1),
            "Hasil unit Kurang: paling banyak 10% predikat Sangat Baik, "
            "saat ini 20% (1 dari 5).",
        ),
    ],
)
def test_distribution_past_boundary_fails(unit_result, grades, message):
    assert message in check_distribution(unit_result, grades)


@pytest.mark.parametrize(
    "unit_result, grades, figure",
    [
        # Shares just past a limit never print as the limit itself.
        ("istimewa", spread(sangat_baik=701, baik=300), "saat ini 70,1% (701 dari 1001)"),
        (
            "butuh_perbaikan",
            spread(butuh_perbaikan=600, baik=401),
            "saat ini 59,9% (600 dari 1001)",
        ),
        ("istimewa", spread(sangat_baik=3), "saat ini 100% (3 dari 3)"),
        ("butuh_perbaikan", spread(butuh_perbaikan=1, baik=2), "saat ini 33,3% (1 dari 3)"),
    ],
)
def test_distribution_figure_formatting(unit_result, grades, figure):
    (message,) = check_distribution(unit_result, grades)
    assert message.endswith(figure + ".")


def test_distribution_reports_every_broken_rule_in_order():
    messages = check_distribution("kurang", spread(baik=8, sangat_baik=2))
    assert len(messages) == 3
    assert "60% predikat Kurang/Misconduct" in messages[0]
    assert "10% predikat Butuh Perbaikan" in messages[1]
    assert "10% predikat Sangat Baik" in messages[2]


@pytest.mark.parametrize("unit_result", ["istimewa", "baik", "kurang", "sangat_kurang"])
def test_empty_unit_has_no_violations(unit_result):
    assert check_distribution(unit_result, []) == []


def test_unknown_unit_result():
    with pytest.raises(ValueError, match="Hasil kinerja unit tidak dikenal: 'sangat_baik'"):
        check_distribution("sangat_baik", [B])


def test_unknown_grade():
    with pytest.raises(ValueError, match="Predikat kinerja tidak dikenal: 'cukup'"):
        check_distribution("baik", [B, "cukup"])
