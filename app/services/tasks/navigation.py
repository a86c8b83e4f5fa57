"""What the navigation bar shows on every page (inbox counts, unread notifications, whether the
user heads a unit), read in one round trip: at month end every request renders it."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import notifications
from app.models import User
from app.services.tasks import completion as tasks


@dataclass(frozen=True)
class NavCounts:
    task_counts: dict
    unread: int
    heads_a_unit: bool


def nav_counts(session: Session, user: User) -> NavCounts:
    row = session.execute(select(*tasks.inbox_count_columns(user),
                                 *notifications.nav_fact_columns(user))).one()._mapping
    return NavCounts({"mine": row["mine"], "claimable": row["claimable"], "overdue": row["overdue"]},
                     row["unread"], row["units_headed"] > 0)
