"""The cycle diagram's monthly step: the supervisor validates a subordinate's work logs."""
from flask_babel import lazy_gettext as _l

from app.services.monitoring import work_logs
from app.services.tasks.types import TaskType
from forms.tasks import AcknowledgeForm


def _month_validation(session, case, task, user, data) -> dict:
    work_logs.close_month(session, task, user)
    return {}


MONTH_VALIDATION = TaskType(
    "month_validation", _l("Validasi aktivitas bulanan"), AcknowledgeForm, "forms/month_validation.html",
    _l("Periksa aktivitas bawahan bulan ini beserta buktinya. Terima atau tolak tiap entri (penolakan wajib "
       "beralasan; pegawai dapat memperbaiki dan mengirim ulang), atau terima semua yang tersisa sekaligus. "
       "Selesaikan validasi bila semua entri sudah diputuskan: bulan pegawai ini lalu ditutup dan menit "
       "tervalidasi dihitung."),
    _month_validation, context=work_logs.validation_context)

TASK_TYPES = (MONTH_VALIDATION,)
