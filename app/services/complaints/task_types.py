"""The complaint diagram's task types: the PIC's and the IT team's steps, and the reporter's."""
from flask_babel import lazy_gettext as _l

from app.services.complaints import filing, steps
from app.services.tasks.types import TaskType
from forms.complaints import ConfirmForm, InfoForm, StaffActionForm

_REPLY = ("reply", _l("Balas, tetap saya tangani"))
_ASK_INFO = ("ask_info", _l("Minta informasi tambahan dari pegawai"))
_RESOLVE = ("resolve", _l("Selesai: kendala sudah diatasi"))

COMPLAINT_PIC = TaskType(
    "complaint_pic", _l("Pengaduan (PIC)"), StaffActionForm, "forms/complaint.html",
    _l("Baca pengaduan dan riwayatnya, lalu pilih tindakan: balas (pengaduan tetap Anda tangani), minta informasi "
       "(jam SLA berhenti sampai pegawai menjawab), selesaikan, atau teruskan ke Tim TI bila perlu penanganan "
       "teknis di server. Setiap tindakan wajib disertai pesan untuk pegawai."),
    steps.staff_step("pic"), (_REPLY, _ASK_INFO, _RESOLVE, ("escalate", _l("Teruskan ke Tim TI"))),
    context=filing.task_context)
COMPLAINT_IT = TaskType(
    "complaint_it", _l("Pengaduan (Tim TI)"), StaffActionForm, "forms/complaint.html",
    _l("Pengaduan ini diteruskan ke Tim TI. Balas pegawai, minta informasi (jam SLA berhenti sampai pegawai "
       "menjawab), atau selesaikan dengan penjelasan perbaikannya."),
    steps.staff_step("it"), (_REPLY, _ASK_INFO, _RESOLVE), context=filing.task_context)
COMPLAINT_INFO = TaskType(
    "complaint_info", _l("Lengkapi informasi pengaduan"), InfoForm, "forms/complaint.html",
    _l("Petugas meminta informasi tambahan. Jawab pertanyaannya di bawah (lampirkan tangkapan layar bila perlu); "
       "pengaduan kembali ke petugas setelah Anda mengirim jawaban."),
    steps.provide_info, context=filing.task_context)
COMPLAINT_CONFIRM = TaskType(
    "complaint_confirm", _l("Konfirmasi penyelesaian pengaduan"), ConfirmForm, "forms/complaint.html",
    _l("Petugas menyatakan kendala Anda sudah diatasi. Coba lagi, lalu konfirmasi bila sudah teratasi atau buka "
       "kembali dengan penjelasan. Tanpa jawaban, pengaduan ditutup otomatis."),
    steps.confirm, (("confirm", _l("Sudah teratasi, tutup pengaduan")), ("reopen", _l("Belum teratasi, buka kembali"))),
    context=filing.task_context)

TASK_TYPES = (COMPLAINT_PIC, COMPLAINT_IT, COMPLAINT_INFO, COMPLAINT_CONFIRM)
