import pytest

from app.rules.grade_matrix import (
    UNIT_RESULT_LABELS,
    UNIT_RESULTS,
    behaviour_overall,
    explain_grade,
    grade_for,
    unit_result_to_results_rating,
)
from app.rules.ratings import (
    BAIK,
    BERAKHLAK,
    BUTUH_PERBAIKAN,
    DI_ATAS,
    DI_BAWAH,
    KURANG,
    SANGAT_BAIK,
    SANGAT_KURANG,
    SESUAI,
)

KEYS = [k for k, _ in BERAKHLAK]


def values(*ratings):
    return dict(zip(KEYS, ratings, strict=True))


@pytest.mark.parametrize(
    "results, behaviour, grade",
    [
        (DI_ATAS, DI_BAWAH, KURANG),
        (DI_ATAS, SESUAI, BAIK),
        (DI_ATAS, DI_ATAS, SANGAT_BAIK),
        (SESUAI, DI_BAWAH, KURANG),
        (SESUAI, SESUAI, BAIK),
        (SESUAI, DI_ATAS, BAIK),
        (DI_BAWAH, DI_BAWAH, SANGAT_KURANG),
        (DI_BAWAH, SESUAI, BUTUH_PERBAIKAN),
        (DI_BAWAH, DI_ATAS, BUTUH_PERBAIKAN),
    ],
)
def test_grade_matrix_cells(results, behaviour, grade):
    assert grade_for(results, behaviour) == grade


@pytest.mark.parametrize(
    "results, behaviour, fragment",
    [
        ("luar_biasa", SESUAI, "hasil kerja"),
        (SESUAI, "baik", "perilaku kerja"),
        (None, SESUAI, "hasil kerja"),
    ],
)
def test_grade_for_rejects_unknown_rating(results, behaviour, fragment):
    with pytest.raises(ValueError, match=fragment):
        grade_for(results, behaviour)


@pytest.mark.parametrize(
    "ratings, overall",
    [
        ((SESUAI,) * 7, SESUAI),
        ((DI_ATAS,) * 7, DI_ATAS),
        ((DI_BAWAH,) * 7, DI_BAWAH),
        # 4 of 7 decide the middle value.
        ((DI_ATAS,) * 4 + (SESUAI,) * 3, DI_ATAS),
        ((DI_ATAS,) * 3 + (SESUAI,) * 4, SESUAI),
        ((DI_BAWAH,) * 4 + (DI_ATAS,) * 3, DI_BAWAH),
        ((DI_BAWAH,) * 3 + (DI_ATAS,) * 4, DI_ATAS),
        # One outlier cannot swing it.
        ((DI_BAWAH,) + (DI_ATAS,) * 6, DI_ATAS),
        ((SESUAI,) * 6 + (DI_BAWAH,), SESUAI),
        # Spread over all three: the middle one of seven.
        ((DI_ATAS,) * 3 + (SESUAI,) + (DI_BAWAH,) * 3, SESUAI),
        ((DI_ATAS,) * 2 + (SESUAI,) + (DI_BAWAH,) * 4, DI_BAWAH),
        ((DI_BAWAH, DI_ATAS, SESUAI, DI_ATAS, DI_BAWAH, DI_ATAS, SESUAI), SESUAI),
    ],
)
def test_behaviour_overall_is_median(ratings, overall):
    assert behaviour_overall(values(*ratings)) == overall


def test_behaviour_overall_names_missing_value():
    incomplete = values(*(SESUAI,) * 7)
    del incomplete["loyal"]
    with pytest.raises(ValueError, match="Loyal belum diisi"):
        behaviour_overall(incomplete)


def test_behaviour_overall_names_invalid_value():
    bad = values(*(SESUAI,) * 7)
    bad["adaptif"] = "istimewa"
    with pytest.raises(ValueError, match="Adaptif tidak valid: 'istimewa'"):
        behaviour_overall(bad)


def test_behaviour_overall_rejects_unknown_key():
    extra = values(*(SESUAI,) * 7)
    extra["jujur"] = SESUAI
    with pytest.raises(ValueError, match="tidak dikenal: jujur"):
        behaviour_overall(extra)


def test_explain_grade_matches_example():
    result = explain_grade(DI_ATAS, values(*(DI_ATAS,) * 3 + (SESUAI,) * 4))
    assert result == {
        "results": DI_ATAS,
        "behaviour": SESUAI,
        "behaviour_counts": {DI_BAWAH: 0, SESUAI: 4, DI_ATAS: 3},
        "grade": BAIK,
        "text": (
            "Hasil kerja Di Atas Ekspektasi dan perilaku kerja Sesuai Ekspektasi "
            "(median dari 7 nilai BerAKHLAK: 3 Di Atas, 4 Sesuai, 0 Di Bawah) "
            "menghasilkan predikat Baik."
        ),
    }


def test_explain_grade_misconduct_text():
    result = explain_grade(SESUAI, values(*(DI_BAWAH,) * 5 + (DI_ATAS,) * 2))
    assert result["grade"] == KURANG
    assert result["text"].endswith(
        "(median dari 7 nilai BerAKHLAK: 2 Di Atas, 0 Sesuai, 5 Di Bawah) "
        "menghasilkan predikat Kurang/Misconduct."
    )


def test_explain_grade_rejects_unknown_results():
    with pytest.raises(ValueError):
        explain_grade("tinggi", values(*(SESUAI,) * 7))


@pytest.mark.parametrize(
    "unit_result, rating",
    [
        ("istimewa", DI_ATAS),
        ("baik", SESUAI),
        ("butuh_perbaikan", DI_BAWAH),
        ("kurang", DI_BAWAH),
        ("sangat_kurang", DI_BAWAH),
    ],
)
def test_unit_result_to_results_rating(unit_result, rating):
    assert unit_result_to_results_rating(unit_result) == rating


def test_unit_result_unknown():
    with pytest.raises(ValueError, match="Hasil kinerja unit tidak dikenal"):
        unit_result_to_results_rating("sangat_baik")


def test_unit_results_and_labels():
    assert UNIT_RESULTS == ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
    assert [UNIT_RESULT_LABELS[u] for u in UNIT_RESULTS] == [
        "Istimewa",
        "Baik",
        "Butuh Perbaikan",
        "Kurang",
        "Sangat Kurang",
    ]
