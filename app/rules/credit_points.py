"""Credit points (angka kredit) earned by functional positions."""

from decimal import ROUND_HALF_UP, Decimal

from .ratings import BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_BAIK, SANGAT_KURANG

GRADE_PERCENT = {
    SANGAT_BAIK: 150,
    BAIK: 100,
    BUTUH_PERBAIKAN: 75,
    KURANG: 50,
    SANGAT_KURANG: 25,
}

_THOUSANDTH = Decimal("0.001")


def credit_points(grade: str, annual_coefficient: Decimal, months_served: int) -> Decimal:
    """Grade percentage x annual coefficient, prorated by months served."""
    if grade not in GRADE_PERCENT:
        raise ValueError(f"Predikat kinerja tidak dikenal: {grade!r}.")
    # A float coefficient would carry binary noise into a figure that is rounded half up.
    if not isinstance(annual_coefficient, (Decimal, int)):
        raise TypeError("Koefisien tahunan harus berupa Decimal atau bilangan bulat.")
    if annual_coefficient < 0:
        raise ValueError(f"Koefisien tahunan tidak boleh negatif: {annual_coefficient}.")
    if isinstance(months_served, bool) or not isinstance(months_served, int):
        raise TypeError("Jumlah bulan masa kerja harus berupa bilangan bulat.")
    if not 0 <= months_served <= 12:
        raise ValueError(f"Jumlah bulan masa kerja harus 0-12, saat ini {months_served}.")
    # One division last, so only the final figure is rounded.
    raw = GRADE_PERCENT[grade] * Decimal(annual_coefficient) * months_served / 1200
    return raw.quantize(_THOUSANDTH, rounding=ROUND_HALF_UP)
