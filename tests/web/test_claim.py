"""Group tasks: claim, a second HR member locked out while it is claimed, release."""
import re

import pytest
from sqlalchemy import select

from app import demo_data
from app.extensions import db
from app.models import HumanTask, OrgUnit, RoleGrant, User
from app.services.trust.login import hash_password
from tests.conftest import text_of, user
from tests.helpers import complete, open_bpmn_ids, open_task, plan_payload
from tests.web.conftest import review_form, visible


@pytest.fixture
def group_task(cycle_started):
    complete("kadis", open_task("kadis", "susun_skp"), plan_payload(perspective="penerima_layanan"))
    task = open_task("kadis", "review_skp")
    assert task.candidate_role == "hr" and task.claimed_by_id is None
    return task


@pytest.fixture
def second_hr(ctx):
    root = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).one()
    other = User(username="hr.kedua", display_name="Pengelola Kinerja Kedua",
                 password_hash=hash_password(demo_data.DEMO_PASSWORD))
    db.session.add(other)
    db.session.flush()
    db.session.add(RoleGrant(user_id=other.id, role="hr", unit_id=root.id))
    db.session.commit()
    return "hr.kedua"


def _task(task_id) -> HumanTask:
    db.session.expire_all()
    return db.session.get(HumanTask, task_id)


def test_hr_claims_a_group_task_and_it_becomes_theirs(login, group_task):
    client = login("hr.admin")
    response = client.post(f"/tasks/{group_task.id}/claim")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tasks/{group_task.id}")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    text = visible(page)
    assert "Tugas 'Persetujuan SKP' sekarang milik Anda." in text
    assert "Kirim keputusan" in text and "Lepas tugas ke kelompok" in text
    assert _task(group_task.id).claimed_by_id == user("hr.admin").id
    mine = client.get("/inbox?scope=mine")
    assert f'/tasks/{group_task.id}"' in mine.get_data(as_text=True)
    assert "Lepas" in text_of(mine)
    case_page = client.get(f"/cases/{group_task.case_id}")
    assert "Mengambil tugas 'Persetujuan SKP'" in visible(case_page)


def test_second_hr_member_cannot_claim_or_complete_a_claimed_task(login, group_task, second_hr):
    login("hr.admin").post(f"/tasks/{group_task.id}/claim")
    client = login(second_hr)
    inbox = client.get("/inbox")
    assert inbox.status_code == 200
    assert f'/tasks/{group_task.id}/claim' not in inbox.get_data(as_text=True)
    page = client.get(f"/tasks/{group_task.id}")
    assert page.status_code == 200
    assert "Tugas ini sedang dikerjakan oleh anggota kelompok lain." in text_of(page)
    assert "Kirim keputusan" not in text_of(page) and "Ambil tugas" not in text_of(page)

    response = client.post(f"/tasks/{group_task.id}/claim")
    assert response.status_code == 403
    assert "Tugas ini sudah diambil oleh orang lain." in text_of(response)
    response = client.post(f"/tasks/{group_task.id}", data=review_form("approve"))
    assert response.status_code == 403
    assert "Tugas ini bukan milik Anda" in text_of(response)
    response = client.post(f"/tasks/{group_task.id}/release")
    assert response.status_code == 403
    task = _task(group_task.id)
    assert task.status == "open" and task.claimed_by_id == user("hr.admin").id
    assert open_bpmn_ids("kadis") == {"review_skp"}


def test_release_returns_the_task_to_the_group(login, group_task, second_hr):
    holder = login("hr.admin")
    holder.post(f"/tasks/{group_task.id}/claim")
    response = holder.post(f"/tasks/{group_task.id}/release", follow_redirects=True)
    assert response.status_code == 200
    assert "Tugas 'Persetujuan SKP' dilepas dan kembali ke antrean." in visible(response)
    assert _task(group_task.id).claimed_by_id is None
    assert f'/tasks/{group_task.id}/claim' in response.get_data(as_text=True)

    client = login(second_hr)
    assert f'/tasks/{group_task.id}/claim' in client.get("/inbox?scope=claimable").get_data(as_text=True)
    assert client.post(f"/tasks/{group_task.id}/claim").status_code == 302
    response = client.post(f"/tasks/{group_task.id}", data=review_form("approve"))
    assert response.status_code == 302
    task = _task(group_task.id)
    assert task.status == "completed" and task.completed_by_id == user(second_hr).id


def test_employee_cannot_claim_a_group_task(login, group_task):
    for username in ("staf02", "kadis", "auditor"):
        client = login(username)
        assert client.post(f"/tasks/{group_task.id}/claim").status_code == 403, username
        page = client.get(f"/tasks/{group_task.id}")
        assert page.status_code == 403 and "Tugas ini bukan milik Anda" in text_of(page)
    assert _task(group_task.id).claimed_by_id is None


def test_claiming_a_completed_task_says_it_is_closed(login, group_task):
    client = login("hr.admin")
    client.post(f"/tasks/{group_task.id}/claim")
    client.post(f"/tasks/{group_task.id}", data=review_form("approve"))
    response = client.post(f"/tasks/{group_task.id}/claim", follow_redirects=True)
    assert response.status_code == 200
    assert "sudah tidak terbuka" in text_of(response)


def test_claim_by_get_is_not_allowed(login, group_task):
    client = login("hr.admin")
    assert client.get(f"/tasks/{group_task.id}/claim").status_code == 405
    assert _task(group_task.id).claimed_by_id is None


def test_inbox_counts_show_claimable_badge(login, group_task):
    client = login("hr.admin")
    html = client.get("/inbox").get_data(as_text=True)
    assert re.search(r'title="Dapat diambil">\+1<', html)
