"""The periodic rating form through the web: every value required, the grade shown with its reason."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Period
from tests.conftest import text_of
from tests.helpers import BEHAVIOUR_KEYS, approve_plan, complete, open_bpmn_ids, open_task
from tests.web.conftest import visible


@pytest.fixture
def rating_task(login, cycle_started):
    approve_plan("kadis")
    approve_plan("kabid.yankes")
    period = db.session.scalars(select(Period).where(Period.key == "2026-Q1")).one()
    login("hr.admin").post(f"/hr/periods/{period.id}/close")
    complete("kadis", open_task("kabid.yankes", "dialog"), {"notes": "Dialog", "follow_ups": "", "held_on": None})
    return open_task("kabid.yankes", "rate_period")


def _rating_form(results="di_atas", behaviour="di_atas", skip=()):
    data = {"results_rating": results, "notes": "Kinerja sangat baik"}
    data.update({f"behaviour-{k}": behaviour for k in BEHAVIOUR_KEYS if k not in skip})
    return data


def test_rating_page_renders_for_the_supervisor_only(login, rating_task):
    page = login("kadis").get(f"/tasks/{rating_task.id}")
    assert page.status_code == 200
    text = text_of(page)
    assert "Penilaian periodik · 2026-Q1" in text and "Matriks predikat" in text
    assert "Di Atas Ekspektasi" in text and "Simpan penilaian" in text
    for other in ("kabid.yankes", "staf02"):
        response = login(other).get(f"/tasks/{rating_task.id}")
        assert response.status_code == 403 and "Tugas ini bukan milik Anda" in text_of(response)


def test_missing_behaviour_value_is_422_and_keeps_choices(login, rating_task):
    client = login("kadis")
    response = client.post(f"/tasks/{rating_task.id}", data=_rating_form(skip=("akuntabel",)))
    assert response.status_code == 422
    assert "Pilih nilai untuk Akuntabel." in text_of(response)
    assert "Kinerja sangat baik" in text_of(response)
    html = response.get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="results_rating"[^>]*value="di_atas"', html)
    assert re.search(r'<input checked[^>]*name="behaviour-kompeten"[^>]*value="di_atas"', html)
    assert open_bpmn_ids("kabid.yankes") == {"rate_period"}


def test_rating_records_grade_shown_on_case_page(login, rating_task):
    client = login("kadis")
    response = client.post(f"/tasks/{rating_task.id}", data=_rating_form())
    assert response.status_code == 302
    assert "Tugas 'Penilaian periodik' selesai." in visible(client.get("/inbox"))
    case_page = visible(client.get(f"/cases/{rating_task.case_id}"))
    assert "2026-Q1 : Sangat Baik" in case_page
    employee_view = visible(login("kabid.yankes").get(f"/cases/{rating_task.case_id}"))
    assert "Sangat Baik" in employee_view
