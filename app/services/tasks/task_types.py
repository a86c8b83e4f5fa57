"""The generic task types, which let HR add steps to a diagram without code."""
from flask_babel import lazy_gettext as _l

from app.core import audit
from app.services.tasks.types import TaskType
from forms.tasks import AcknowledgeForm, ApprovalForm, NoteForm


def _approval(session, case, task, user, data) -> dict:
    audit.record(session, user.id, "approval", f"{task.name}: {data.get('decision')} {data.get('note', '')}", case.id)
    return {"decision": data.get("decision"), f"{task.bpmn_id}_decision": data.get("decision")}


def _acknowledge(session, case, task, user, data) -> dict:
    return {}


def _note(session, case, task, user, data) -> dict:
    audit.record(session, user.id, "note", f"{task.name}: {data.get('notes', '')}", case.id)
    return {}


APPROVAL = TaskType("approval", _l("Persetujuan"), ApprovalForm, "forms/simple.html",
                    _l("Setujui atau tolak, dengan catatan."), _approval)
ACKNOWLEDGE = TaskType("acknowledge", _l("Tanda sudah membaca"), AcknowledgeForm, "forms/simple.html",
                       _l("Tandai bahwa Anda sudah membaca."), _acknowledge)
NOTE = TaskType("note", _l("Catatan"), NoteForm, "forms/simple.html", _l("Tulis catatan."), _note)

TASK_TYPES = (APPROVAL, ACKNOWLEDGE, NOTE)
