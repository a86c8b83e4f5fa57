"""Driving complaints through their diagram with the services the pages call, at given instants.

The wall clock is frozen at each instant (Spiff and the services read it) and the timer sweeper is
given the same instant, as in tests/engine/test_timers.py."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import Complaint, HumanTask, Notification
from app.services.complaints import filing as complaints
from app.services.monitoring.evidence import Upload
from app.services.tasks import completion as task_service
from tests.conftest import user
from tests.timers import fire_due

WIB = ZoneInfo("Asia/Jakarta")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
# The PICs of staf02's unit (Seksi Rujukan) in the demo data: its own and the one of the bidang above.
RUJUK_PIC, YANKES_PIC = "staf26", "kabid.yankes"


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """An instant in March 2026, WIB. 2 March is a Monday; 19, 20 and 23 March are holidays."""
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def file(username: str = "staf02", when: datetime = None, category: str = "plan",
         description: str = "Formulir SKP tidak tersimpan", **extra) -> Complaint:
    when = when or at(2, 9)
    with time_machine.travel(when, tick=False):
        complaint = complaints.file_complaint(db.session, user(username), complaints.NewComplaint(
            category=category, description=description, **extra), now=when)
    db.session.commit()  # as the filing request does
    return complaint


def open_task(complaint: Complaint) -> HumanTask | None:
    db.session.expire_all()
    return db.session.scalars(select(HumanTask).where(
        HumanTask.case_id == complaint.case_id, HumanTask.status == "open")).first()


def act(username: str, complaint: Complaint, when: datetime, **data) -> Complaint:
    """Claim the complaint's open task if it is a group task, then complete it with `data`."""
    task = open_task(complaint)
    actor = user(username)
    with time_machine.travel(when, tick=False):
        if task.claimed_by_id is None and task.candidate_role:
            task_service.claim(db.session, actor, task)
        task_service.complete(db.session, actor, task.id, {"message": "", "files": [], **data})
    db.session.refresh(complaint)
    return complaint


def fire(when: datetime):
    with time_machine.travel(when, tick=False):
        result = fire_due(db.session, when)
    db.session.expire_all()
    return result


def notified(username: str, containing: str) -> list[str]:
    return [n.text for n in db.session.scalars(select(Notification).where(
        Notification.user_id == user(username).id)) if containing in n.text]


def png(name: str = "layar.png") -> Upload:
    return Upload(name, PNG)


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    """Each test's uploads in its own folder (modules using these helpers import this fixture)."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"
