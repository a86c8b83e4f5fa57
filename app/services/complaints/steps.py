"""What the complaint diagram's task forms do: a message in the thread, the response and
resolution times, and the decision the diagram's gateways read.

The handlers of the complaint task types (`task_types`): called before the runner completes the
task, in the same transaction."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.errors import ServiceError
from app.models import Complaint
from app.models.statuses import ComplaintStatus
from app.services.complaints import filing as service


def _record_response(session: Session, complaint: Complaint, now: datetime) -> None:
    if complaint.first_response_at is None:
        complaint.first_response_at = now
        complaint.response_minutes = service.working_minutes(session, complaint, now)
    if complaint.status == ComplaintStatus.NEW:
        complaint.status = ComplaintStatus.IN_PROGRESS


def staff_step(level: str):
    """The PIC's or the IT team's step: a message to the employee and a decision for the diagram."""
    def handler(session, case, task, user, data) -> dict:
        complaint = service.for_case(session, case)
        decision = data.get("decision")
        if decision not in service.STAFF_DECISIONS[level]:
            raise ServiceError(_("Pilih tindakan."))
        body = service.check_text(data.get("message"), _("Pesan untuk pegawai"))
        now = utcnow()
        service.add_message(session, complaint, user, service.DECISION_KINDS[decision], body,
                            data.get("files") or (), now)
        _record_response(session, complaint, now)
        if decision == "resolve":
            complaint.resolved_at = now
            complaint.resolution_minutes = service.working_minutes(session, complaint, now)
        return {f"{level}_decision": decision}
    return handler


def provide_info(session, case, task, user, data) -> dict:
    complaint = service.for_case(session, case)
    body = service.check_text(data.get("message"), _("Informasi yang diminta"))
    service.add_message(session, complaint, user, "info", body, data.get("files") or ())
    return {}


def confirm(session, case, task, user, data) -> dict:
    complaint = service.for_case(session, case)
    decision = data.get("decision")
    if decision not in ("confirm", "reopen"):
        raise ServiceError(_("Pilih apakah kendala sudah teratasi."))
    if decision == "reopen":
        body = service.check_text(data.get("message"), _("Alasan membuka kembali"))
        service.add_message(session, complaint, user, "reopen", body, data.get("files") or ())
        complaint.reopen_count += 1
    elif (data.get("message") or "").strip() or data.get("files"):
        service.add_message(session, complaint, user, "confirmation",
                            (data.get("message") or "").strip() or "Kendala sudah teratasi.", data.get("files") or ())
    return {"confirm_decision": decision}
