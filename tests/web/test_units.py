"""Unit result and grade spread: set by the unit head or HR, checked against SE MenPAN-RB 3/2023,
and the unit head's results rating following the unit's result."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Appraisal, AuditEvent, OrgUnit, UnitResult
from tests.conftest import employee, text_of
from tests.helpers import approve_plan, close_period, complete, open_task, rate

# kasi.rujukan heads RUJUK; two of its staff are enough to make a spread.
RATED = {"staf02": "di_atas", "staf05": "sesuai"}


def _unit(code):
    return db.session.scalars(select(OrgUnit).where(OrgUnit.code == code)).one()


@pytest.fixture
def rated_q1(cycle_started):
    """staf02 graded Sangat Baik and staf05 Baik in 2026-Q1, rated by kasi.rujukan."""
    for username in ("kadis", "kabid.yankes", "kasi.rujukan", *RATED):
        approve_plan(username)
    close_period("2026-Q1")
    for username, rating in RATED.items():
        complete("kasi.rujukan", open_task(username, "dialog"), {"notes": "Dialog", "follow_ups": "", "held_on": None})
        rate(open_task(username, "rate_period"), "kasi.rujukan", rating, rating)
    return _unit("RUJUK")


def test_unit_head_is_sent_to_their_unit_and_others_are_refused(login, cycle_started):
    unit = _unit("RUJUK")
    response = login("kasi.rujukan").get("/units/")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/units/{unit.id}")
    page = login("kasi.rujukan").get(f"/units/{unit.id}?period=2026-Q1")
    assert page.status_code == 200 and "Belum ditetapkan untuk periode ini." in text_of(page)
    assert login("staf02").get("/units/").status_code == 403
    for other in ("staf02", "kabid.p2p"):
        response = login(other).get(f"/units/{unit.id}")
        assert response.status_code == 403 and "di luar wewenang" in text_of(response)
    assert login("hr.admin").get(f"/units/{unit.id}").status_code == 200
    assert login("auditor").get(f"/units/{unit.id}").status_code == 200


def test_auditor_sees_but_cannot_set(login, cycle_started):
    unit = _unit("RUJUK")
    client = login("auditor")
    assert "Simpan hasil unit" not in text_of(client.get(f"/units/{unit.id}"))
    response = client.post(f"/units/{unit.id}?period=2026-Q1", data={"result": "baik", "note": ""})
    assert response.status_code == 403
    assert db.session.scalars(select(UnitResult)).all() == []


def test_spread_is_checked_against_the_unit_result(login, rated_q1):
    client = login("kasi.rujukan")
    page = text_of(client.get(f"/units/{rated_q1.id}?period=2026-Q1"))
    assert "Tetapkan hasil unit untuk memeriksa sebaran." in page
    assert "Sangat Baik 1 50%" in page and "Baik 1 50%" in page

    response = client.post(f"/units/{rated_q1.id}?period=2026-Q1", data={"result": "baik", "note": "IKU tercapai"})
    assert response.status_code == 302
    page = text_of(client.get(f"/units/{rated_q1.id}?period=2026-Q1"))
    # Hasil Baik needs at least one Butuh Perbaikan or Kurang; neither was given.
    assert "Sebaran belum sesuai:" in page and "Butuh Perbaikan atau Kurang" in page
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "unit_result_set")).one()
    assert event.detail == {"unit_id": rated_q1.id, "period": "2026-Q1", "before": None, "after": "baik"}

    client.post(f"/units/{rated_q1.id}?period=2026-Q1", data={"result": "istimewa", "note": ""})
    assert "Sebaran predikat sesuai dengan hasil unit." in text_of(client.get(f"/units/{rated_q1.id}?period=2026-Q1"))
    assert db.session.scalars(select(UnitResult)).one().result == "istimewa"


def test_missing_result_choice_is_422_and_unknown_period_is_404(login, cycle_started):
    unit = _unit("RUJUK")
    client = login("hr.admin")
    response = client.post(f"/units/{unit.id}?period=2026-Q1", data={"result": "", "note": "catatan"})
    assert response.status_code == 422 and "Pilih hasil kinerja unit." in text_of(response)
    assert "catatan" in text_of(response)
    assert client.get(f"/units/{unit.id}?period=2031-Q9").status_code == 404


def test_unit_head_results_rating_follows_the_unit_result(login, cycle_started):
    for username in ("kadis", "kabid.yankes", "kasi.rujukan"):
        approve_plan(username)
    close_period("2026-Q1")
    unit = _unit("RUJUK")
    login("kasi.rujukan").post(f"/units/{unit.id}?period=2026-Q1", data={"result": "istimewa", "note": ""})
    complete("kabid.yankes", open_task("kasi.rujukan", "dialog"), {"notes": "Dialog", "follow_ups": "", "held_on": None})
    task = open_task("kasi.rujukan", "rate_period")
    page = text_of(login("kabid.yankes").get(f"/tasks/{task.id}"))
    assert "mengikuti hasil kinerja unit" in page and "Di Atas Ekspektasi" in page
    rate(task, "kabid.yankes", "di_bawah", "sesuai")
    appraisal = db.session.scalars(select(Appraisal).where(Appraisal.case_id == task.case_id)).one()
    assert (appraisal.results_rating, appraisal.grade) == ("di_atas", "baik")
    assert employee("kasi.rujukan").id == unit.head_employee_id
