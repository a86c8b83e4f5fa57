"""The leave diagram's task type: the supervisor's decision on a leave or duty-travel request."""
from flask_babel import lazy_gettext as _l

from app.services.attendance import records
from app.services.tasks.types import TaskType
from forms.tasks import ApprovalForm


def _leave_review(session, case, task, user, data) -> dict:
    return records.record_leave_decision(session, case.id, user, data.get("decision"), data.get("note", ""))


def _leave_context(session, task) -> dict:
    return {"absence": records.absence_of_case(session, task.case_id), "kinds": records.ABSENCE_KINDS}


LEAVE_REVIEW = TaskType(
    "leave_review", _l("Persetujuan cuti / dinas luar"), ApprovalForm, "forms/leave_review.html",
    _l("Setujui atau tolak permohonan cuti / dinas luar bawahan. Penolakan wajib beralasan; pegawai diberi tahu "
       "keputusannya."),
    _leave_review, context=_leave_context)

TASK_TYPES = (LEAVE_REVIEW,)
