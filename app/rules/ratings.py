"""Rating and grade vocabulary of the appraisal (PermenPAN-RB 6/2022)."""

DI_ATAS = "di_atas"
SESUAI = "sesuai"
DI_BAWAH = "di_bawah"

# Worst-first so that a rating's index is its rank; the median relies on it.
RATINGS = (DI_BAWAH, SESUAI, DI_ATAS)

RATING_LABELS = {
    DI_ATAS: "Di Atas Ekspektasi",
    SESUAI: "Sesuai Ekspektasi",
    DI_BAWAH: "Di Bawah Ekspektasi",
}

# Compact forms for sentences that list several ratings at once.
RATING_SHORT_LABELS = {
    DI_ATAS: "Di Atas",
    SESUAI: "Sesuai",
    DI_BAWAH: "Di Bawah",
}

SANGAT_BAIK = "sangat_baik"
BAIK = "baik"
BUTUH_PERBAIKAN = "butuh_perbaikan"
KURANG = "kurang"
SANGAT_KURANG = "sangat_kurang"

GRADES = (SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)

GRADE_LABELS = {
    SANGAT_BAIK: "Sangat Baik",
    BAIK: "Baik",
    BUTUH_PERBAIKAN: "Butuh Perbaikan",
    KURANG: "Kurang/Misconduct",
    SANGAT_KURANG: "Sangat Kurang",
}

BERAKHLAK = (
    ("berorientasi_pelayanan", "Berorientasi Pelayanan"),
    ("akuntabel", "Akuntabel"),
    ("kompeten", "Kompeten"),
    ("harmonis", "Harmonis"),
    ("loyal", "Loyal"),
    ("adaptif", "Adaptif"),
    ("kolaboratif", "Kolaboratif"),
)
