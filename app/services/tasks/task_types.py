"""The generic task types, which let HR add steps to a diagram without code."""
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


APPROVAL = TaskType("approval", "Persetujuan", ApprovalForm, "forms/simple.html",
                    "Setujui atau tolak, dengan catatan.", _approval)
ACKNOWLEDGE = TaskType("acknowledge", "Tanda sudah membaca", AcknowledgeForm, "forms/simple.html",
                       "Tandai bahwa Anda sudah membaca.", _acknowledge)
NOTE = TaskType("note", "Catatan", NoteForm, "forms/simple.html", "Tulis catatan.", _note)

TASK_TYPES = (APPROVAL, ACKNOWLEDGE, NOTE)
