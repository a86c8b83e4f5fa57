"""The navigation facts every page shows, read in one round trip, agree with counting each alone."""
from datetime import timedelta

import pytest
from sqlalchemy import and_, event, func, or_, select

from app.core.clock import utcnow
from app.core.notifications import notify
from app.extensions import db
from app.models import HumanTask, Notification, OrgUnit
from app.services.cycle import plans
from app.services.tasks.navigation import nav_counts
from tests.conftest import employee, user
from tests.helpers import approve_plan, complete, open_task, plan_payload, start_cycle


def _alone(u) -> tuple:
    mine = and_(HumanTask.status == "open", or_(HumanTask.assignee_user_id == u.id, HumanTask.claimed_by_id == u.id))
    count = select(func.count()).select_from(HumanTask)
    groups = [and_(HumanTask.candidate_role == g.role, HumanTask.candidate_unit_path.like(f"{g.unit.path}%"))
              for g in u.grants]
    claimable = db.session.scalar(count.where(HumanTask.status == "open", HumanTask.claimed_by_id.is_(None),
                                              or_(*groups))) if groups else 0
    return ({"mine": db.session.scalar(count.where(mine)), "claimable": claimable,
             "overdue": db.session.scalar(count.where(mine, HumanTask.due_at < utcnow()))},
            db.session.scalar(select(func.count()).select_from(Notification).where(
                Notification.user_id == u.id, Notification.read_at.is_(None))),
            db.session.scalar(select(func.count()).select_from(OrgUnit).where(
                OrgUnit.head_employee_id == u.employee_id)) > 0)


@pytest.fixture
def busy(session):
    start_cycle()
    approve_plan("kadis")
    approve_plan("kabid.yankes")
    parent = plans.supervisor_results(session, employee("kasi.rujukan"), "2026", utcnow().date())[0]
    complete("kasi.rujukan", open_task("kasi.rujukan", "susun_skp"), plan_payload([parent.id]))
    supervisors = [user(name).id for name in ("kadis", "kabid.yankes", "kasi.rujukan")]
    for task in session.scalars(select(HumanTask).where(
            HumanTask.status == "open", HumanTask.assignee_user_id.in_(supervisors))).all()[:5]:
        task.due_at = utcnow() - timedelta(days=2)
    notify(session, user("staf02").id, "Pengingat", "/logs")
    session.commit()


@pytest.mark.parametrize("username", ["hr.admin", "kadis", "kabid.yankes", "kasi.rujukan", "staf02", "auditor"])
def test_nav_counts_in_one_query_match_each_count(busy, username):
    u = user(username)
    db.session.expire_all()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        u = user(username)
        assert u.grants is not None  # the user loader has them by the time a page renders
        statements.clear()
        counts = nav_counts(db.session, u)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert (counts.task_counts, counts.unread, counts.heads_a_unit) == _alone(u)


def test_the_fixture_has_something_to_count(busy):
    """Guards the comparison above from passing on zeros alone."""
    assert _alone(user("hr.admin"))[0]["claimable"] > 0
    assert _alone(user("staf02"))[1] == 1
    assert any(_alone(user(name))[0]["overdue"] for name in ("kadis", "kabid.yankes", "kasi.rujukan", "hr.admin"))
    assert _alone(user("kasi.rujukan"))[2] is True
