"""Operations the complaint diagram's service tasks call: the SLA clock, reminders, breaches,
escalation, status changes and closing. Each is safe to run twice (a retried step repeats it).

What they write (notifications, the thread, the audit, the case's error) is stored, so it is in the
app's own language even when a user's request runs the step; their labels are for the designer."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import audit
from app.core.errors import ServiceError
from app.core.language import stored
from app.engine.operations import OperationError, operation
from app.models import Complaint, ComplaintBreach
from app.models.roles import Role
from app.models.statuses import ComplaintStatus
from app.services.complaints import filing as service


def _complaint(ctx) -> Complaint:
    complaint = ctx.session.get(Complaint, ctx.data.get("complaint_id"))
    if complaint is None or complaint.employee_id != ctx.case.employee_id:
        raise OperationError("Pengaduan untuk kasus ini tidak ditemukan (variabel complaint_id).")
    return complaint


@operation("complaint_sla", _l("Hitung tenggat SLA pengaduan (jam kerja)"))
def complaint_sla(ctx):
    complaint = _complaint(ctx)
    try:
        return service.current_deadline(ctx.session, complaint)
    except ServiceError as err:
        raise OperationError(str(err)) from err


@operation("complaint_remind", _l("Ingatkan pemegang pengaduan bahwa SLA hampir habis"))
def complaint_remind(ctx):
    complaint = _complaint(ctx)
    # A target already missed (the IT stage entered after a breach) gets no "almost due" warning.
    if complaint.sla_target is None or complaint.sla_due_at <= ctx.now:
        return False
    label = stored(service.TARGET_LABELS[complaint.sla_target])
    # One reminder per target and level, however often the step is re-entered after a reply.
    service.notify_holders(
        ctx.session, complaint,
        f"Pengaduan {complaint.number} mendekati batas SLA {label} "
        f"({service.local_time(complaint, complaint.sla_due_at)}). Segera tangani.",
        key=f"complaint:{complaint.id}:remind:{complaint.level}:{complaint.sla_target}")
    return True


@operation("complaint_breach", _l("Catat pelanggaran SLA pengaduan"))
def complaint_breach(ctx):
    complaint = _complaint(ctx)
    target, due = complaint.sla_target, complaint.sla_due_at
    if target is None or due is None:
        return False
    exists = ctx.session.scalar(select(ComplaintBreach.id).where(
        ComplaintBreach.complaint_id == complaint.id, ComplaintBreach.target == target))
    if exists is not None:
        return False
    ctx.session.add(ComplaintBreach(complaint_id=complaint.id, target=target, level=complaint.level, due_at=due,
                                    recorded_at=ctx.now))
    label, level = stored(service.TARGET_LABELS[target]), stored(service.LEVEL_LABELS[complaint.level])
    audit.record(ctx.session, None, "complaint_sla_breached",
                 f"SLA {label} pengaduan {complaint.number} terlewati ({level})", ctx.case.id)
    service.notify_holders(ctx.session, complaint, f"SLA {label} pengaduan {complaint.number} terlewati.",
                            key=f"complaint:{complaint.id}:breach:{target}")
    return True


@operation("complaint_escalate", _l("Teruskan pengaduan ke Tim TI"))
def complaint_escalate(ctx, reason):
    complaint = _complaint(ctx)
    if complaint.level == Role.IT:
        return Role.IT.value
    complaint.level = Role.IT
    service.set_status(complaint, ComplaintStatus.ESCALATED, ctx.now)
    if reason == "breach":
        target = stored(service.TARGET_LABELS.get(complaint.sla_target or "", ""))
        service.add_message(ctx.session, complaint, None, "escalation",
                            f"Batas SLA {target} di PIC unit terlewati; pengaduan diteruskan ke Tim TI.", now=ctx.now)
    # The group's new task is created after this step, so the IT team is told directly.
    service.notify_group(ctx.session, complaint, Role.IT, f"Pengaduan {complaint.number} diteruskan ke Tim TI.")
    return Role.IT.value


@operation("complaint_status", _l("Ubah status pengaduan (menunggu pegawai menghentikan jam SLA)"))
def complaint_status(ctx, status):
    complaint = _complaint(ctx)
    try:
        service.set_status(complaint, status, ctx.now)
    except ServiceError as err:
        raise OperationError(str(err)) from err
    return status


@operation("complaint_close", _l("Tutup pengaduan"))
def complaint_close(ctx, reason):
    complaint = _complaint(ctx)
    if reason not in service.CLOSE_TEXTS:
        raise OperationError(f"Alasan penutupan '{reason}' tidak dikenal.")
    if complaint.status == ComplaintStatus.CLOSED:
        return "closed"
    service.set_status(complaint, ComplaintStatus.CLOSED, ctx.now)
    complaint.closed_at, complaint.close_reason = ctx.now, reason
    complaint.sla_target = complaint.sla_due_at = complaint.sla_remind_at = None
    # The employee who confirmed knows; a complaint closed by a timer is news to them.
    service.add_message(ctx.session, complaint, None, "system", service.CLOSE_TEXTS[reason], now=ctx.now,
                        tell=reason != "confirmed")
    return "closed"
