import pytest

from app.rules import ratings as r


def test_ratings_are_in_ordinal_order():
    assert r.RATINGS == ("di_bawah", "sesuai", "di_atas")


def test_grades_are_best_first():
    assert r.GRADES == ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")


@pytest.mark.parametrize(
    "key, label",
    [
        (r.DI_ATAS, "Di Atas Ekspektasi"),
        (r.SESUAI, "Sesuai Ekspektasi"),
        (r.DI_BAWAH, "Di Bawah Ekspektasi"),
    ],
)
def test_rating_labels(key, label):
    assert r.RATING_LABELS[key] == label


@pytest.mark.parametrize(
    "key, label",
    [
        (r.SANGAT_BAIK, "Sangat Baik"),
        (r.BAIK, "Baik"),
        (r.BUTUH_PERBAIKAN, "Butuh Perbaikan"),
        (r.KURANG, "Kurang/Misconduct"),
        (r.SANGAT_KURANG, "Sangat Kurang"),
    ],
)
def test_grade_labels(key, label):
    assert r.GRADE_LABELS[key] == label


def test_berakhlak_has_the_seven_values_in_order():
    assert [k for k, _ in r.BERAKHLAK] == [
        "berorientasi_pelayanan",
        "akuntabel",
        "kompeten",
        "harmonis",
        "loyal",
        "adaptif",
        "kolaboratif",
    ]
    assert dict(r.BERAKHLAK)["berorientasi_pelayanan"] == "Berorientasi Pelayanan"
