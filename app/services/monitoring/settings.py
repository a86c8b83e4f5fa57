"""HR's monitoring settings: the monthly work-log target and the daily cap of the agency."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.errors import ServiceError
from app.models import MonitoringSetting, User
from app.services.access import scope
from app.services.monitoring import work_logs


def save_settings(session: Session, user: User, target: int, cap: int) -> MonitoringSetting:
    agency = scope.hr_agency(session, user)
    if target is None or not 60 <= target <= 20000:
        raise ServiceError(_("Target menit bulanan harus antara 60 dan 20.000."))
    if cap is None or not 60 <= cap <= 1440:
        raise ServiceError(_("Batas menit harian harus antara 60 dan 1.440."))
    row = session.scalars(select(MonitoringSetting).where(MonitoringSetting.agency_id == agency.id)).first()
    if row is None:
        row = MonitoringSetting(agency_id=agency.id)
        session.add(row)
    row.monthly_target_minutes, row.daily_cap_minutes = target, cap
    work_logs.forget_rules(agency.id)
    audit.record(session, user.id, "monitoring_settings", f"Target {target} menit/bulan, batas {cap} menit/hari")
    return row
