"""The complaint diagram's task types: the PIC's and the IT team's steps, and the reporter's."""
from app.services.complaints import filing, steps
from app.services.tasks.types import TaskType
from forms.complaints import ConfirmForm, InfoForm, StaffActionForm

_REPLY = ("reply", "Balas, tetap saya tangani")
_ASK_INFO = ("ask_info", "Minta informasi tambahan dari pegawai")
_RESOLVE = ("resolve", "Selesai: kendala sudah diatasi")

COMPLAINT_PIC = TaskType(
    "complaint_pic", "Pengaduan (PIC)", StaffActionForm, "forms/complaint.html",
    "Baca pengaduan dan riwayatnya, lalu pilih tindakan: balas (pengaduan tetap Anda tangani), minta informasi "
    "(jam SLA berhenti sampai pegawai menjawab), selesaikan, atau teruskan ke Tim TI bila perlu penanganan "
    "teknis di server. Setiap tindakan wajib disertai pesan untuk pegawai.",
    steps.staff_step("pic"), (_REPLY, _ASK_INFO, _RESOLVE, ("escalate", "Teruskan ke Tim TI")),
    context=filing.task_context)
COMPLAINT_IT = TaskType(
    "complaint_it", "Pengaduan (Tim TI)", StaffActionForm, "forms/complaint.html",
    "Pengaduan ini diteruskan ke Tim TI. Balas pegawai, minta informasi (jam SLA berhenti sampai pegawai "
    "menjawab), atau selesaikan dengan penjelasan perbaikannya.",
    steps.staff_step("it"), (_REPLY, _ASK_INFO, _RESOLVE), context=filing.task_context)
COMPLAINT_INFO = TaskType(
    "complaint_info", "Lengkapi informasi pengaduan", InfoForm, "forms/complaint.html",
    "Petugas meminta informasi tambahan. Jawab pertanyaannya di bawah (lampirkan tangkapan layar bila perlu); "
    "pengaduan kembali ke petugas setelah Anda mengirim jawaban.",
    steps.provide_info, context=filing.task_context)
COMPLAINT_CONFIRM = TaskType(
    "complaint_confirm", "Konfirmasi penyelesaian pengaduan", ConfirmForm, "forms/complaint.html",
    "Petugas menyatakan kendala Anda sudah diatasi. Coba lagi, lalu konfirmasi bila sudah teratasi atau buka "
    "kembali dengan penjelasan. Tanpa jawaban, pengaduan ditutup otomatis.",
    steps.confirm, (("confirm", "Sudah teratasi, tutup pengaduan"), ("reopen", "Belum teratasi, buka kembali")),
    context=filing.task_context)

TASK_TYPES = (COMPLAINT_PIC, COMPLAINT_IT, COMPLAINT_INFO, COMPLAINT_CONFIRM)
