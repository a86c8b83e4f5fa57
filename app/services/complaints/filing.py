"""Technical complaints: filing one, who may read it, its thread, and what each task form does.

A complaint is a case of `workflows/complaint.bpmn` (cycle key = its number). This module keeps
the domain facts (text, replies, files, the SLA clock's pauses); the diagram decides who acts
next, when reminders go out and when the complaint is escalated or closed.
"""
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import Forbidden, NotFound, ServiceError
from app.core.language import stored
from app.core.notifications import notify
from app.engine import specs
from app.engine.lanes import group_members
from app.engine.runner import CaseRunner
from app.models import (
    Agency,
    AuditEvent,
    Case,
    Complaint,
    ComplaintAttachment,
    ComplaintMessage,
    ComplaintPause,
    HumanTask,
    User,
)
from app.models.calendar import cached_calendar
from app.models.roles import COMPLAINT_STAFF_ROLES, ROLE_LABELS, Role
from app.models.statuses import ComplaintStatus, TaskStatus
from app.rules import attendance as attendance_rules
from app.rules import sla, uploads
from app.rules.sla import CATEGORY_LABELS, MAX_TEXT
from app.services.access import scope, task_access
from app.services.attendance.days import schedules_for
from app.services.complaints import targets
from app.services.monitoring import evidence

PROCESS_ID = "complaint"
STAFF_LANES = COMPLAINT_STAFF_ROLES

# Shown on the complaint and the desk, and written into notifications (through `stored`).
TARGET_LABELS = {"response": _l("respons pertama"), "resolution": _l("penyelesaian")}
LEVEL_LABELS = {Role.PIC: ROLE_LABELS[Role.PIC], Role.IT: ROLE_LABELS[Role.IT]}
MESSAGE_LABELS = {
    "reply": _l("Balasan"), "question": _l("Permintaan informasi"), "info": _l("Informasi dari pegawai"),
    "resolution": _l("Penyelesaian"), "escalation": _l("Diteruskan ke Tim TI"),
    "confirmation": _l("Konfirmasi pegawai"), "reopen": _l("Dibuka kembali"), "system": _l("Sistem"),
}
# Written into the thread as the system's message, so in the app's own language.
CLOSE_TEXTS = {
    "confirmed": "Pegawai mengonfirmasi bahwa kendala sudah teratasi. Pengaduan ditutup.",
    "auto": "Penyelesaian tidak dikonfirmasi dalam batas waktu, sehingga pengaduan ditutup otomatis. "
            "Bila kendala muncul lagi, ajukan pengaduan baru.",
    "no_reply": "Informasi yang diminta tidak diberikan dalam batas waktu, sehingga pengaduan ditutup. "
                "Bila kendala masih ada, ajukan pengaduan baru.",
}
STAFF_DECISIONS = {
    Role.PIC: ("reply", "ask_info", "resolve", "escalate"),
    Role.IT: ("reply", "ask_info", "resolve"),
}
DECISION_KINDS = {"reply": "reply", "ask_info": "question", "resolve": "resolution", "escalate": "escalation"}

NO_EMPLOYEE = _l("Akun Anda tidak terhubung dengan data pegawai, jadi pengaduan tidak dapat dicatat atas nama "
                 "Anda. Hubungi Tim TI secara langsung.")
NOT_VISIBLE = _l("Anda tidak berhak melihat pengaduan ini.")
# Where "Lapor kendala" may say the employee came from: a path inside the app, never another site
# (browsers read "/\\host" like "//host", so backslashes are refused too).
_LOCAL_PATH = re.compile(r"^/(?!/)[\x21-\x5b\x5d-\x7e]*$")
_TASK_PATH = re.compile(r"^/tasks/(\d+)(?:[/?#]|$)")
_CASE_PATH = re.compile(r"^/cases/(\d+)(?:[/?#]|$)")


@dataclass
class NewComplaint:
    category: str
    description: str
    source_url: str = ""
    related_task_id: int | None = None
    files: list = field(default_factory=list)


def link_to(complaint: Complaint) -> str:
    # A plain path: notifications are also written by timer jobs, outside any request.
    return f"/complaints/{complaint.id}"


def local_time(complaint: Complaint, at: datetime | None) -> str:
    if at is None:
        return "—"
    agency = complaint.unit.agency
    return at.astimezone(agency.zone).strftime("%d-%m-%Y %H:%M")


# -- the SLA clock -------------------------------------------------------------------------

def clock_for(session: Session, agency: Agency) -> sla.Clock:
    """The agency's zone, calendar and office hours (the attendance schedule, Ramadan included)."""
    regular, special = schedules_for(session, agency.id)

    def hours_on(day):
        hours = attendance_rules.hours_on(day, regular, special)
        return (hours.start, hours.end) if hours else None

    return sla.Clock(agency.zone, cached_calendar(session, agency.id), hours_on)


def pauses_of(complaint: Complaint) -> list[sla.Pause]:
    return [sla.Pause(p.started_at, p.ended_at) for p in complaint.pauses]


def is_paused(complaint: Complaint) -> bool:
    return any(p.ended_at is None for p in complaint.pauses)


def working_minutes(session: Session, complaint: Complaint, until: datetime) -> int:
    clock = clock_for(session, complaint.unit.agency)
    spent = sla.working_time(clock, complaint.created_at, until, pauses_of(complaint))
    return int(spent.total_seconds() // 60)


def current_deadline(session: Session, complaint: Complaint) -> dict:
    """The running target: which one, when it warns and when it breaks (stored for the desk)."""
    target = "response" if complaint.first_response_at is None else "resolution"
    hours = complaint.response_hours if target == "response" else complaint.resolution_hours
    clock = clock_for(session, complaint.unit.agency)
    pauses = pauses_of(complaint)
    due = sla.deadline(clock, complaint.created_at, timedelta(hours=hours), pauses)
    if due is None:
        raise ServiceError(f"Jam SLA pengaduan {complaint.number} sedang berhenti (menunggu pegawai); "
                           "tenggat dihitung lagi setelah pegawai menjawab.")
    remind = sla.remind_at(clock, complaint.created_at, timedelta(hours=hours), pauses)
    complaint.sla_target, complaint.sla_due_at, complaint.sla_remind_at = target, due, remind
    return {"target": target, "due": due.isoformat(), "remind": remind.isoformat()}


def set_status(complaint: Complaint, status: str, now: datetime) -> None:
    """Change the status; waiting for the employee stops the SLA clock, anything else restarts it."""
    if status not in tuple(ComplaintStatus):
        raise ServiceError(f"Status pengaduan '{status}' tidak dikenal.")
    status = ComplaintStatus(status)
    open_pause = next((p for p in complaint.pauses if p.ended_at is None), None)
    if status in sla.PAUSING_STATUSES:
        if open_pause is None:
            complaint.pauses.append(ComplaintPause(reason=status, started_at=now))
        complaint.sla_target = complaint.sla_due_at = complaint.sla_remind_at = None
    elif open_pause is not None:
        open_pause.ended_at = now
    complaint.status = status
    complaint.updated_at = now


# -- filing --------------------------------------------------------------------------------

def safe_source(url: str | None) -> str:
    """The page the complaint came from, kept only when it is a path inside this app."""
    url = (url or "").strip()
    return url[:500] if _LOCAL_PATH.match(url) else ""


def own_open_tasks(session: Session, user: User) -> list[HumanTask]:
    """Tasks a complaint may be about: the user's open ones, except complaint tasks themselves."""
    return list(session.scalars(
        select(HumanTask).join(Case, Case.id == HumanTask.case_id)
        .where(HumanTask.status == TaskStatus.OPEN, Case.process_id != PROCESS_ID,
               (HumanTask.assignee_user_id == user.id) | (HumanTask.claimed_by_id == user.id))
        .order_by(HumanTask.created_at.desc()).limit(50)))


def task_from_source(source_url: str) -> int | None:
    match = _TASK_PATH.match(source_url or "")
    return int(match.group(1)) if match else None


def _related(session: Session, user: User, task_id: int | None, source: str) -> tuple[HumanTask | None, Case | None]:
    """The task or case the complaint is about, only if the reporter could see it themselves. The
    task is the one chosen on the form (which offers the task of the page it came from)."""
    if task_id:
        task = session.get(HumanTask, task_id)
        if task is None or not (task_access.may_act(user, task) or task_access.in_candidate_group(user, task)
                                or scope.can_view_case(session, user, task.case)):
            raise ServiceError(_("Tugas yang dipilih tidak ditemukan atau bukan tugas Anda."))
        return task, task.case
    match = _CASE_PATH.match(source)
    if match:
        case = session.get(Case, int(match.group(1)))
        if case is not None and case.process_id != PROCESS_ID and scope.can_view_case(session, user, case):
            return None, case
    return None, None


def check_text(text: str | None, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("%(what)s wajib diisi.", what=what))
    if len(text) > MAX_TEXT:
        raise ServiceError(_("%(what)s terlalu panjang: %(length)s karakter, paling banyak %(maximum)s.",
                             what=what, length=len(text), maximum=MAX_TEXT))
    return text


def check_files(files) -> list:
    files = [f for f in files or [] if f is not None]
    if len(files) > uploads.MAX_FILES:
        raise ServiceError(_("Paling banyak %(count)s berkas sekaligus.", count=uploads.MAX_FILES))
    return [evidence.check(f) for f in files]


def file_complaint(session: Session, user: User, new: NewComplaint, now: datetime | None = None) -> Complaint:
    """Record the complaint and start its case in one transaction; files are checked first."""
    employee = user.employee
    if employee is None:
        raise ServiceError(NO_EMPLOYEE)
    if new.category not in sla.CATEGORIES:
        raise ServiceError(_("Pilih kategori kendala."))
    description = check_text(new.description, _("Uraian kendala"))
    checked = check_files(new.files)
    source = safe_source(new.source_url)
    related_task, related_case = _related(session, user, new.related_task_id, source)
    version = specs.active_version(session, PROCESS_ID)
    if version is None:
        raise ServiceError(_("Diagram pengaduan belum dideploy; hubungi Tim TI."))
    now = now or utcnow()
    agency = employee.unit.agency
    local = now.astimezone(agency.zone)
    response_hours, resolution_hours = targets.targets_for(session, agency.id)[new.category]
    complaint = Complaint(
        number=f"tmp-{secrets.token_hex(8)}", agency_id=agency.id, employee_id=employee.id,
        reporter_user_id=user.id, unit_id=employee.unit_id, unit_path=employee.unit.path,
        category=new.category, description=description, source_url=source,
        related_task_id=related_task.id if related_task else None,
        related_case_id=related_case.id if related_case else None,
        status=ComplaintStatus.NEW, level=Role.PIC, response_hours=response_hours, resolution_hours=resolution_hours,
        created_at=now, updated_at=now, week_start=(local - timedelta(days=local.weekday())).date(),
    )
    session.add(complaint)
    session.flush()
    complaint.number = f"KDL-{local.year}-{complaint.id:06d}"
    _attach(session, complaint, None, checked, user.id, now)
    try:
        case = CaseRunner(session, now).start(
            version, employee, complaint.number, {"complaint_id": complaint.id, "level": "pic"}, user.id)
        complaint.case_id = case.id
        category = stored(CATEGORY_LABELS[complaint.category])
        audit.record(session, user.id, "complaint_filed",
                     f"Pengaduan {complaint.number} ({category}) diajukan", case.id)
        notify_holders(session, complaint, f"Pengaduan baru {complaint.number} dari {employee.name}: {category}.")
        session.flush()
    except Exception:
        session.rollback()
        raise
    return complaint


def _attach(session, complaint, message, checked, user_id, now) -> None:
    for item in checked:
        name = evidence.store(item)
        session.info.setdefault(_FILES_WRITTEN, []).append(name)
        session.add(ComplaintAttachment.of_upload(item, name, user_id, now, complaint=complaint, message=message))


# Files are written before the rows that name them; a step rolled back (someone else changed the
# case, a database error) removes its files, so no upload is left without a complaint.
_FILES_WRITTEN = "complaint_files_written"


@event.listens_for(Session, "after_commit")
def _files_kept(session):
    session.info.pop(_FILES_WRITTEN, None)


@event.listens_for(Session, "after_rollback")
def _files_dropped(session):
    for name in session.info.pop(_FILES_WRITTEN, []):
        evidence.remove(name)


# -- reading -------------------------------------------------------------------------------

def mine_query(user: User, status: str = ""):
    stmt = select(Complaint).where(Complaint.reporter_user_id == user.id)
    if status == "open":
        stmt = stmt.where(Complaint.status != ComplaintStatus.CLOSED)
    elif status in tuple(ComplaintStatus):
        stmt = stmt.where(Complaint.status == status)
    return stmt.order_by(Complaint.created_at.desc(), Complaint.id.desc())


def get_visible(session: Session, user: User, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(_("Pengaduan tidak ditemukan."))
    if session.scalar(select(Complaint.id).where(Complaint.id == complaint.id, scope.complaint_filter(user))) is None:
        raise Forbidden(NOT_VISIBLE)
    return complaint


def for_case(session: Session, case: Case) -> Complaint:
    complaint = session.scalars(select(Complaint).where(Complaint.case_id == case.id)).first()
    if complaint is None:
        raise NotFound(_("Pengaduan untuk kasus ini tidak ditemukan."))
    return complaint


def complaint_id_for_case(session: Session, case_id: int) -> int | None:
    """The complaint a case belongs to (its page, not the case page, shows it), if any."""
    return session.scalar(select(Complaint.id).where(Complaint.case_id == case_id))


def open_task(session: Session, complaint: Complaint) -> HumanTask | None:
    if complaint.case_id is None:
        return None
    return session.scalars(select(HumanTask).where(
        HumanTask.case_id == complaint.case_id, HumanTask.status == TaskStatus.OPEN).order_by(HumanTask.id)).first()


def is_staff_for(user: User, complaint: Complaint) -> bool:
    """A PIC or IT member whose scope covers the complaint's unit (they see SLA details and the linked case)."""
    return user.covers(complaint.unit_path, *COMPLAINT_STAFF_ROLES)


def _case_state(session: Session, case: Case | None) -> dict | None:
    if case is None:
        return None
    return {
        "case": case,
        "open_tasks": session.scalars(select(HumanTask).where(
            HumanTask.case_id == case.id, HumanTask.status == TaskStatus.OPEN).order_by(HumanTask.id)).all(),
        "history": session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)
                                   .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(15)).all(),
    }


def linked_case_view(session: Session, user: User, complaint: Complaint) -> dict | None:
    """The state of the case the complaint is about, read-only: for the PIC and IT handling it (to
    help), and for whoever may see that case anyway. HR and auditors read it on the case page."""
    case = complaint.related_case
    if case is None or not (is_staff_for(user, complaint) or scope.can_view_case(session, user, case)):
        return None
    return _case_state(session, case)


def attachment_for(session: Session, user: User, attachment_id: int) -> ComplaintAttachment:
    attachment = session.get(ComplaintAttachment, attachment_id)
    if attachment is None:
        raise NotFound(_("Berkas tidak ditemukan."))
    get_visible(session, user, attachment.complaint_id)
    return attachment


# -- the thread ----------------------------------------------------------------------------

def _holder_ids(session: Session, complaint: Complaint) -> list[int]:
    """Who holds the complaint now: whoever claimed its open staff task, or (while it waits for
    the employee) whoever last acted on it; else the whole group of its level."""
    if complaint.case_id is None:
        return []
    task = session.scalars(select(HumanTask).where(
        HumanTask.case_id == complaint.case_id, HumanTask.status == TaskStatus.OPEN,
        HumanTask.lane.in_(STAFF_LANES))).first()
    if task is not None and task.claimed_by_id:
        return [task.claimed_by_id]
    if task is not None and task.candidate_role:
        return [u.id for u in group_members(session, task.candidate_role, task.candidate_unit_path or "")]
    last = session.scalar(select(HumanTask.completed_by_id).where(
        HumanTask.case_id == complaint.case_id, HumanTask.status == TaskStatus.COMPLETED,
        HumanTask.lane.in_(STAFF_LANES)).order_by(HumanTask.completed_at.desc(), HumanTask.id.desc()).limit(1))
    if last is not None:
        return [last]
    members = group_members(session, complaint.level, complaint.unit_path)
    return [u.id for u in members or group_members(session, Role.IT, complaint.unit_path)]


def notify_group(session, complaint, role: str, text: str) -> None:
    for member in group_members(session, role, complaint.unit_path):
        notify(session, member.id, text, link_to(complaint))


def notify_holders(session, complaint, text, key=None) -> None:
    for user_id in _holder_ids(session, complaint):
        notify(session, user_id, text, link_to(complaint), key=key)


def _notify_reporter(session, complaint, text) -> None:
    notify(session, complaint.reporter_user_id, text, link_to(complaint))


def add_message(session: Session, complaint: Complaint, author: User | None, kind: str, body: str,
                files=(), now: datetime | None = None, tell: bool = True) -> ComplaintMessage:
    """Append to the thread and (with `tell`) tell the other side: staff and system messages go to
    the employee, the employee's to whoever holds the complaint. The caller commits."""
    now = now or utcnow()
    checked = check_files(files)
    message = ComplaintMessage(complaint=complaint, author_user_id=author.id if author else None, kind=kind,
                               body=body, created_at=now)
    session.add(message)
    _attach(session, complaint, message, checked, author.id if author else None, now)
    complaint.updated_at = now
    label = stored(MESSAGE_LABELS.get(kind, kind))
    if not tell:
        return message
    if author is None:
        _notify_reporter(session, complaint, f"Pengaduan {complaint.number}: {body}")
    elif author.id == complaint.reporter_user_id:
        notify_holders(session, complaint, f"{label} pada pengaduan {complaint.number}.")
    else:
        _notify_reporter(session, complaint, f"Pengaduan {complaint.number}: {label.lower()} dari "
                                             f"{author.display_name}.")
    return message


def comment(session: Session, user: User, complaint: Complaint, body: str, files=()) -> ComplaintMessage:
    """The employee adds information at any time while the complaint is open."""
    if user.id != complaint.reporter_user_id:
        raise Forbidden(_("Hanya pelapor yang dapat menambahkan informasi di sini; petugas menjawab lewat "
                          "tugasnya."))
    if complaint.status == ComplaintStatus.CLOSED:
        raise ServiceError(_("Pengaduan ini sudah ditutup. Ajukan pengaduan baru bila kendala muncul lagi."))
    text = check_text(body, _("Informasi tambahan"))
    message = add_message(session, complaint, user, "info", text, files)
    audit.record(session, user.id, "complaint_comment", f"Informasi tambahan untuk {complaint.number}",
                 complaint.case_id)
    session.flush()
    return message


def task_context(session: Session, task: HumanTask) -> dict:
    """What a complaint task's page shows beside its form. Only those who may work the task get
    here: the group handling it (who may see the linked case to help) or the reporter."""
    complaint = for_case(session, task.case)
    return {"complaint": complaint, "linked": _case_state(session, complaint.related_case),
            "paused": is_paused(complaint), "now": utcnow()}
