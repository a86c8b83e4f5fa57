"""The agency's SLA targets per complaint category, in working hours, and who may change them."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import Forbidden, ServiceError
from app.models import ComplaintSlaTarget, User
from app.models.roles import SLA_TARGET_ROLES
from app.rules import sla
from app.rules.sla import MAX_HOURS


def targets_for(session: Session, agency_id: int) -> dict[str, tuple[int, int]]:
    """(response, resolution) hours for every category: the agency's own or the default."""
    rows = session.scalars(select(ComplaintSlaTarget).where(ComplaintSlaTarget.agency_id == agency_id))
    own = {r.category: (r.response_hours, r.resolution_hours) for r in rows}
    return {category: sla.target_hours(category, own) for category in sla.CATEGORIES}


def may_edit(user: User, agency_id: int) -> bool:
    return agency_id in user.grant_agency_ids(*SLA_TARGET_ROLES)


def editable_agency_ids(user: User) -> list[int]:
    return sorted(set(user.grant_agency_ids(*SLA_TARGET_ROLES)))


def check_pair(category: str, response: int | None, resolution: int | None) -> list[str]:
    problems = []
    if response is None or not 1 <= response <= MAX_HOURS:
        problems.append(_("Target respons harus 1 sampai %(maximum)s jam kerja.", maximum=MAX_HOURS))
    if resolution is None or not 1 <= resolution <= MAX_HOURS:
        problems.append(_("Target penyelesaian harus 1 sampai %(maximum)s jam kerja.", maximum=MAX_HOURS))
    if not problems and resolution < response:
        problems.append(_("Target penyelesaian tidak boleh lebih singkat dari target respons."))
    return problems


def save(session: Session, user: User, agency_id: int, values: dict[str, tuple[int, int]]) -> int:
    """Store the targets that differ from what applies now; running complaints keep theirs."""
    if not may_edit(user, agency_id):
        raise Forbidden(_("Hanya Tim TI atau pengelola kinerja instansi ini yang dapat mengubah target SLA."))
    for category, (response, resolution) in values.items():
        if category not in sla.CATEGORIES:
            raise ServiceError(_("Kategori '%(category)s' tidak dikenal.", category=category))
        problems = check_pair(category, response, resolution)
        if problems:
            raise ServiceError(" ".join(problems))
    current = targets_for(session, agency_id)
    rows = {r.category: r for r in session.scalars(
        select(ComplaintSlaTarget).where(ComplaintSlaTarget.agency_id == agency_id))}
    changed = 0
    for category, pair in values.items():
        if current[category] == pair:
            continue
        row = rows.get(category) or ComplaintSlaTarget(agency_id=agency_id, category=category)
        row.response_hours, row.resolution_hours = pair
        row.updated_by_id, row.updated_at = user.id, utcnow()
        session.add(row)
        audit.record(session, user.id, "sla_target_changed",
                     f"Target SLA '{category}': respons {current[category][0]} -> {pair[0]} jam, "
                     f"penyelesaian {current[category][1]} -> {pair[1]} jam")
        changed += 1
    session.flush()
    return changed
