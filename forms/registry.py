"""Form key (the `form` property of a user task) -> form class, template and help text."""
from dataclasses import dataclass, field

from forms.complaints import ConfirmForm, InfoForm, StaffActionForm
from forms.plan import PlanForm
from forms.tasks import AcknowledgeForm, ApprovalForm, DialogForm, FollowUpForm, NoteForm, RatingForm, ReviewForm


@dataclass(frozen=True)
class TaskFormSpec:
    form_class: type
    template: str
    help: str
    decisions: list = field(default_factory=list)


FORM_REGISTRY: dict[str, TaskFormSpec] = {
    "skp": TaskFormSpec(PlanForm, "forms/skp.html",
                        "Susun RHK Anda: tiap RHK mengintervensi RHK atasan (JPT memilih perspektif), lengkap dengan "
                        "indikator dan target. Simpan draf kapan saja; kirim bila sudah lengkap."),
    "skp_review": TaskFormSpec(ReviewForm, "forms/skp_review.html",
                               "Periksa SKP bawahan. Setujui untuk menguncinya, atau kembalikan dengan catatan."),
    "dialog": TaskFormSpec(DialogForm, "forms/simple.html",
                           "Catat dialog kinerja periode ini dan tindak lanjut yang disepakati; pegawai dapat "
                           "membacanya di halaman kasusnya."),
    "period_rating": TaskFormSpec(RatingForm, "forms/rating.html",
                                  "Nilai hasil kerja dan tiap nilai BerAKHLAK. Predikat dihitung dari matriks."),
    "annual_rating": TaskFormSpec(RatingForm, "forms/rating.html",
                                  "Penilaian tahunan: nilai hasil kerja dan perilaku sepanjang tahun."),
    "reward": TaskFormSpec(FollowUpForm, "forms/simple.html", "Catat penghargaan untuk pegawai berpredikat Sangat Baik.",
                           [("penghargaan", "Penghargaan"), ("prioritas_pengembangan", "Prioritas diklat/promosi")]),
    "development_plan": TaskFormSpec(FollowUpForm, "forms/simple.html",
                                     "Susun rencana pengembangan (pelatihan, coaching, mentoring).",
                                     [("pelatihan", "Pelatihan"), ("coaching", "Coaching"),
                                      ("mentoring", "Mentoring")]),
    "sanction_review": TaskFormSpec(FollowUpForm, "forms/simple.html",
                                    "Telaah apakah proses hukuman disiplin perlu dimulai (PP 94/2021).",
                                    [("tidak_diproses", "Tidak diproses"), ("pemeriksaan", "Lanjut ke pemeriksaan")]),
    "month_validation": TaskFormSpec(AcknowledgeForm, "forms/month_validation.html",
                                     "Periksa aktivitas bawahan bulan ini beserta buktinya. Terima atau tolak tiap entri "
                                     "(penolakan wajib beralasan; pegawai dapat memperbaiki dan mengirim ulang), atau "
                                     "terima semua yang tersisa sekaligus. Selesaikan validasi bila semua entri sudah "
                                     "diputuskan: bulan pegawai ini lalu ditutup dan menit tervalidasi dihitung."),
    "complaint_pic": TaskFormSpec(
        StaffActionForm, "forms/complaint.html",
        "Baca pengaduan dan riwayatnya, lalu pilih tindakan: balas (pengaduan tetap Anda tangani), minta informasi "
        "(jam SLA berhenti sampai pegawai menjawab), selesaikan, atau teruskan ke Tim TI bila perlu penanganan "
        "teknis di server. Setiap tindakan wajib disertai pesan untuk pegawai.",
        [("reply", "Balas, tetap saya tangani"), ("ask_info", "Minta informasi tambahan dari pegawai"),
         ("resolve", "Selesai: kendala sudah diatasi"), ("escalate", "Teruskan ke Tim TI")]),
    "complaint_it": TaskFormSpec(
        StaffActionForm, "forms/complaint.html",
        "Pengaduan ini diteruskan ke Tim TI. Balas pegawai, minta informasi (jam SLA berhenti sampai pegawai "
        "menjawab), atau selesaikan dengan penjelasan perbaikannya.",
        [("reply", "Balas, tetap saya tangani"), ("ask_info", "Minta informasi tambahan dari pegawai"),
         ("resolve", "Selesai: kendala sudah diatasi")]),
    "complaint_info": TaskFormSpec(
        InfoForm, "forms/complaint.html",
        "Petugas meminta informasi tambahan. Jawab pertanyaannya di bawah (lampirkan tangkapan layar bila perlu); "
        "pengaduan kembali ke petugas setelah Anda mengirim jawaban."),
    "complaint_confirm": TaskFormSpec(
        ConfirmForm, "forms/complaint.html",
        "Petugas menyatakan kendala Anda sudah diatasi. Coba lagi, lalu konfirmasi bila sudah teratasi atau buka "
        "kembali dengan penjelasan. Tanpa jawaban, pengaduan ditutup otomatis.",
        [("confirm", "Sudah teratasi, tutup pengaduan"), ("reopen", "Belum teratasi, buka kembali")]),
    "leave_review": TaskFormSpec(ApprovalForm, "forms/leave_review.html",
                                 "Setujui atau tolak permohonan cuti / dinas luar bawahan. Penolakan wajib beralasan; "
                                 "pegawai diberi tahu keputusannya."),
    "approval": TaskFormSpec(ApprovalForm, "forms/simple.html", "Setujui atau tolak, dengan catatan."),
    "acknowledge": TaskFormSpec(AcknowledgeForm, "forms/simple.html", "Tandai bahwa Anda sudah membaca."),
    "note": TaskFormSpec(NoteForm, "forms/simple.html", "Tulis catatan."),
}
