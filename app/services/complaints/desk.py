"""The desk where PICs and the IT team work complaints: views by SLA state, filters, holders,
and bulk reassignment when a PIC is away."""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import Forbidden, ServiceError
from app.core.notifications import notify
from app.engine.lanes import group_members, is_member
from app.models import Complaint, ComplaintBreach, Employee, HumanTask, OrgUnit, User
from app.models.roles import COMPLAINT_STAFF_ROLES, Role
from app.models.statuses import OPEN_COMPLAINT_STATUSES, ComplaintStatus, TaskStatus
from app.services.access import task_access
from app.services.complaints import filing as service

DESK_ROLES = COMPLAINT_STAFF_ROLES
VIEWS = ("open", "soon", "breached", "waiting", "closed", "all")
VIEW_LABELS = {"open": _l("Terbuka"), "soon": _l("Segera lewat SLA"), "breached": _l("Lewat SLA"),
               "waiting": _l("Menunggu pegawai"), "closed": _l("Ditutup"), "all": _l("Semua")}


@dataclass
class DeskFilter:
    view: str = "open"
    category: str = ""
    unit_id: int | None = None
    level: str = ""
    holder: str = ""  # "" | mine | unclaimed
    q: str = ""


def desk_paths(user: User) -> list[str]:
    return user.scope_paths(*DESK_ROLES)


def is_desk_user(user: User) -> bool:
    return bool(desk_paths(user))


def _in_scope(user: User):
    return or_(*[Complaint.unit_path.like(f"{path}%") for path in desk_paths(user)])


def _open_staff_task():
    return and_(HumanTask.case_id == Complaint.case_id, HumanTask.status == TaskStatus.OPEN,
                HumanTask.lane.in_(service.STAFF_LANES))


def _view_clause(view: str, now: datetime):
    is_open = Complaint.status.in_(OPEN_COMPLAINT_STATUSES)
    breached = or_(Complaint.sla_due_at <= now, exists().where(ComplaintBreach.complaint_id == Complaint.id))
    return {
        "open": is_open,
        "soon": and_(is_open, Complaint.sla_remind_at <= now, Complaint.sla_due_at > now),
        "breached": and_(Complaint.status != ComplaintStatus.CLOSED, breached),
        "waiting": Complaint.status.in_((ComplaintStatus.WAITING_EMPLOYEE, ComplaintStatus.RESOLVED)),
        "closed": Complaint.status == ComplaintStatus.CLOSED,
        "all": None,
    }[view]


def desk_query(user: User, f: DeskFilter, now: datetime | None = None):
    if not is_desk_user(user):
        raise Forbidden(_("Meja pengaduan khusus PIC dan Tim TI."))
    now = now or utcnow()
    stmt = select(Complaint).where(_in_scope(user))
    clause = _view_clause(f.view if f.view in VIEWS else "open", now)
    if clause is not None:
        stmt = stmt.where(clause)
    if f.category:
        stmt = stmt.where(Complaint.category == f.category)
    if f.level in service.STAFF_LANES:
        stmt = stmt.where(Complaint.level == f.level)
    if f.unit_id:
        unit_path = select(OrgUnit.path).where(OrgUnit.id == f.unit_id).scalar_subquery()
        stmt = stmt.where(Complaint.unit_path.like(unit_path + "%"))
    if f.holder == "mine":
        stmt = stmt.where(exists().where(_open_staff_task(), HumanTask.claimed_by_id == user.id))
    elif f.holder == "unclaimed":
        stmt = stmt.where(exists().where(_open_staff_task(), HumanTask.claimed_by_id.is_(None)))
    if f.q.strip():
        like = f"%{f.q.strip()}%"
        stmt = stmt.join(Employee, Employee.id == Complaint.employee_id).where(
            or_(Complaint.number.ilike(like), Employee.name.ilike(like), Employee.nip.like(like),
                Complaint.description.ilike(like)))
    # Most urgent first: the nearest deadline, then the oldest.
    return stmt.order_by(Complaint.sla_due_at.is_(None), Complaint.sla_due_at, Complaint.created_at, Complaint.id)


def view_counts(session: Session, user: User, now: datetime | None = None) -> dict[str, int]:
    now = now or utcnow()
    counts = {}
    for view in VIEWS:
        stmt = select(func.count()).select_from(Complaint).where(_in_scope(user))
        clause = _view_clause(view, now)
        counts[view] = session.scalar(stmt.where(clause) if clause is not None else stmt)
    return counts


def open_tasks_by_case(session: Session, complaints: list[Complaint]) -> dict[int, HumanTask]:
    """The open task of each listed complaint (one query), for the holder and due columns."""
    case_ids = [c.case_id for c in complaints if c.case_id]
    if not case_ids:
        return {}
    rows = session.scalars(select(HumanTask).where(HumanTask.case_id.in_(case_ids), HumanTask.status == TaskStatus.OPEN))
    return {t.case_id: t for t in rows}


def holder_names(session: Session, tasks: dict[int, HumanTask]) -> dict[int, str]:
    ids = {t.claimed_by_id for t in tasks.values() if t.claimed_by_id}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def desk_units(session: Session, user: User) -> list[OrgUnit]:
    paths = desk_paths(user)
    if not paths:
        return []
    return list(session.scalars(select(OrgUnit).where(or_(*[OrgUnit.path.like(f"{p}%") for p in paths]))
                                .order_by(OrgUnit.path)))


def reassign_targets(session: Session, user: User) -> list[User]:
    """Colleagues a complaint may be handed to: PICs and IT members of the units on this desk."""
    found: dict[int, User] = {}
    for path in desk_paths(user):
        for role in DESK_ROLES:
            for member in group_members(session, role, path):
                found[member.id] = member
    return sorted(found.values(), key=lambda u: u.display_name)


@dataclass
class ReassignResult:
    moved: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _may_reassign(actor: User, complaint: Complaint, task: HumanTask) -> bool:
    if task_access.in_candidate_group(actor, task):
        return True
    # The IT team covers the agency, so it may redistribute a unit's complaints as well.
    return actor.covers(complaint.unit_path, Role.IT)


def reassign(session: Session, actor: User, complaint_ids: list[int], target_user_id: int | None) -> ReassignResult:
    """Hand the ticked complaints to a colleague (or back to the group's queue), each checked on its own:
    one that cannot move is reported and the others still move."""
    if not complaint_ids:
        raise ServiceError(_("Centang dulu pengaduan yang akan dialihkan."))
    target = session.get(User, target_user_id) if target_user_id else None
    if target_user_id and (target is None or not target.is_active_account):
        raise ServiceError(_("Petugas tujuan tidak ditemukan atau akunnya tidak aktif."))
    result = ReassignResult()
    complaints = session.scalars(select(Complaint).where(Complaint.id.in_(complaint_ids), _in_scope(actor))).all()
    found = {c.id for c in complaints}
    result.refused += [_("#%(id)s: tidak ditemukan di meja Anda", id=cid) for cid in complaint_ids if cid not in found]
    tasks = open_tasks_by_case(session, complaints)
    now = utcnow()
    for complaint in complaints:
        task = tasks.get(complaint.case_id)
        if task is None or task.lane not in service.STAFF_LANES or task.candidate_role is None:
            result.refused.append(_("%(number)s: sedang menunggu pegawai, tidak ada tugas petugas",
                                    number=complaint.number))
            continue
        if not _may_reassign(actor, complaint, task):
            result.refused.append(_("%(number)s: di luar kelompok Anda", number=complaint.number))
            continue
        if target is not None and not is_member(session, target.id, task.candidate_role, task.candidate_unit_path or ""):
            result.refused.append(_("%(number)s: %(name)s bukan anggota kelompok %(group)s unit ini",
                                    number=complaint.number, name=target.display_name,
                                    group=service.LEVEL_LABELS.get(task.candidate_role, task.candidate_role)))
            continue
        before = task.claimed_by_id
        task.claimed_by_id = target.id if target else None
        task.claimed_at = now if target else None
        audit.record(session, actor.id, "task_reassigned",
                     f"Pengaduan {complaint.number} dialihkan "
                     + (f"ke {target.display_name}" if target else "ke antrean kelompok"),
                     complaint.case_id, detail={"from_user_id": before, "to_user_id": target.id if target else None})
        if target is not None and target.id != actor.id:
            notify(session, target.id, f"Pengaduan {complaint.number} dialihkan kepada Anda oleh {actor.display_name}.",
                   service.link_to(complaint))
        result.moved.append(complaint.number)
    session.flush()
    return result
