"""Rating and grade vocabulary of the appraisal (PermenPAN-RB 6/2022).

The labels are lazy, read in the reader's language; a text that is stored names them under
`force_locale("id")`.
"""
from flask_babel import lazy_gettext as _l

DI_ATAS = "di_atas"
SESUAI = "sesuai"
DI_BAWAH = "di_bawah"

# Worst-first so that a rating's index is its rank; the median relies on it.
RATINGS = (DI_BAWAH, SESUAI, DI_ATAS)

RATING_LABELS = {
    DI_ATAS: _l("Di Atas Ekspektasi"),
    SESUAI: _l("Sesuai Ekspektasi"),
    DI_BAWAH: _l("Di Bawah Ekspektasi"),
}

# Compact forms for sentences that list several ratings at once.
RATING_SHORT_LABELS = {
    DI_ATAS: _l("Di Atas"),
    SESUAI: _l("Sesuai"),
    DI_BAWAH: _l("Di Bawah"),
}

SANGAT_BAIK = "sangat_baik"
BAIK = "baik"
BUTUH_PERBAIKAN = "butuh_perbaikan"
KURANG = "kurang"
SANGAT_KURANG = "sangat_kurang"

GRADES = (SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)

GRADE_LABELS = {
    SANGAT_BAIK: _l("Sangat Baik"),
    BAIK: _l("Baik"),
    BUTUH_PERBAIKAN: _l("Butuh Perbaikan"),
    KURANG: _l("Kurang/Misconduct"),
    SANGAT_KURANG: _l("Sangat Kurang"),
}

BERAKHLAK = (
    ("berorientasi_pelayanan", _l("Berorientasi Pelayanan")),
    ("akuntabel", _l("Akuntabel")),
    ("kompeten", _l("Kompeten")),
    ("harmonis", _l("Harmonis")),
    ("loyal", _l("Loyal")),
    ("adaptif", _l("Adaptif")),
    ("kolaboratif", _l("Kolaboratif")),
)
