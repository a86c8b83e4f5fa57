"""Performance grade from the results and behaviour ratings."""

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from .ratings import (
    BAIK,
    BERAKHLAK,
    BUTUH_PERBAIKAN,
    DI_ATAS,
    DI_BAWAH,
    GRADE_LABELS,
    KURANG,
    RATING_LABELS,
    RATING_SHORT_LABELS,
    RATINGS,
    SANGAT_BAIK,
    SANGAT_KURANG,
    SESUAI,
)

# Keyed (results, behaviour), copied cell by cell from PermenPAN-RB 6/2022.
_MATRIX = {
    (DI_ATAS, DI_BAWAH): KURANG,
    (DI_ATAS, SESUAI): BAIK,
    (DI_ATAS, DI_ATAS): SANGAT_BAIK,
    (SESUAI, DI_BAWAH): KURANG,
    (SESUAI, SESUAI): BAIK,
    (SESUAI, DI_ATAS): BAIK,
    (DI_BAWAH, DI_BAWAH): SANGAT_KURANG,
    (DI_BAWAH, SESUAI): BUTUH_PERBAIKAN,
    (DI_BAWAH, DI_ATAS): BUTUH_PERBAIKAN,
}

UNIT_ISTIMEWA = "istimewa"
UNIT_BAIK = "baik"
UNIT_BUTUH_PERBAIKAN = "butuh_perbaikan"
UNIT_KURANG = "kurang"
UNIT_SANGAT_KURANG = "sangat_kurang"

UNIT_RESULTS = (
    UNIT_ISTIMEWA,
    UNIT_BAIK,
    UNIT_BUTUH_PERBAIKAN,
    UNIT_KURANG,
    UNIT_SANGAT_KURANG,
)

UNIT_RESULT_LABELS = {
    UNIT_ISTIMEWA: _l("Istimewa"),
    UNIT_BAIK: _l("Baik"),
    UNIT_BUTUH_PERBAIKAN: _l("Butuh Perbaikan"),
    UNIT_KURANG: _l("Kurang"),
    UNIT_SANGAT_KURANG: _l("Sangat Kurang"),
}

_UNIT_RESULT_TO_RATING = {
    UNIT_ISTIMEWA: DI_ATAS,
    UNIT_BAIK: SESUAI,
    UNIT_BUTUH_PERBAIKAN: DI_BAWAH,
    UNIT_KURANG: DI_BAWAH,
    UNIT_SANGAT_KURANG: DI_BAWAH,
}


def _check_rating(rating, what):
    if rating not in RATINGS:
        raise ValueError(f"Penilaian {what} tidak dikenal: {rating!r}.")


def grade_for(results: str, behaviour: str) -> str:
    """Grade for a results rating and an overall behaviour rating."""
    _check_rating(results, "hasil kerja")
    _check_rating(behaviour, "perilaku kerja")
    return _MATRIX[(results, behaviour)]


def behaviour_overall(values: dict[str, str]) -> str:
    """Overall behaviour rating: the median of the seven BerAKHLAK ratings.

    Seven is odd, so the median is always one of the ratings given, and a
    single outlier value cannot swing the result the way an average would.
    """
    labels = dict(BERAKHLAK)
    unknown = sorted(set(values) - set(labels))
    if unknown:
        raise ValueError(f"Nilai BerAKHLAK tidak dikenal: {', '.join(unknown)}.")
    for key, label in BERAKHLAK:
        if key not in values:
            raise ValueError(f"Penilaian nilai BerAKHLAK {label} belum diisi.")
        if values[key] not in RATINGS:
            raise ValueError(
                f"Penilaian nilai BerAKHLAK {label} tidak valid: {values[key]!r}."
            )
    ranked = sorted(values.values(), key=RATINGS.index)
    return ranked[len(ranked) // 2]


def explain_grade(results: str, behaviour_values: dict[str, str]) -> dict:
    """Grade with the figures behind it and a sentence a rated employee can read."""
    behaviour = behaviour_overall(behaviour_values)
    grade = grade_for(results, behaviour)
    counts = {r: 0 for r in RATINGS}
    for rating in behaviour_values.values():
        counts[rating] += 1
    # The sentence is stored with the appraisal and read later by others: Bahasa Indonesia,
    # whatever the language of the supervisor who rated.
    with force_locale("id"):
        spread = ", ".join(
            f"{counts[r]} {RATING_SHORT_LABELS[r]}" for r in reversed(RATINGS)
        )
        text = (
            f"Hasil kerja {RATING_LABELS[results]} dan perilaku kerja "
            f"{RATING_LABELS[behaviour]} (median dari {len(BERAKHLAK)} nilai "
            f"BerAKHLAK: {spread}) menghasilkan predikat {GRADE_LABELS[grade]}."
        )
    return {
        "results": results,
        "behaviour": behaviour,
        "behaviour_counts": counts,
        "grade": grade,
        "text": text,
    }


def unit_result_to_results_rating(unit_result: str) -> str:
    """A unit head's results rating, which is fixed by the unit's own result."""
    if unit_result not in _UNIT_RESULT_TO_RATING:
        raise ValueError(f"Hasil kinerja unit tidak dikenal: {unit_result!r}.")
    return _UNIT_RESULT_TO_RATING[unit_result]
