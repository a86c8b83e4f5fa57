"""Starting cycles across the year boundary: a year already over asks HR first and says what will
open; next year's cycle starts beside this year's."""
from sqlalchemy import func, select

from app.models import Case, OrgUnit
from app.services.attendance import calendars
from tests.helpers import start_cycle
from tests.web.conftest import visible


def _root_id(session):
    return session.scalars(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))).one()


def _cases(session, year):
    return session.scalar(select(func.count()).select_from(Case).where(Case.cycle_key == str(year)))


def test_a_year_already_over_is_started_only_after_hr_confirms(login, session):
    client = login("hr.admin")
    asked = client.post("/hr/cycle", data={"unit_id": _root_id(session), "year": "2025"})
    assert asked.status_code == 422
    text = visible(asked)
    assert "Tahun 2025 sudah berakhir" in text and "tidak ada validasi aktivitas bulanan" in text
    assert "Ya, mulai siklus 2025" in text
    assert _cases(session, 2025) == 0

    no_calendar = client.post("/hr/cycle", data={"unit_id": _root_id(session), "year": "2025",
                                              "past_year_confirmed": "2025"})
    assert no_calendar.status_code == 422 and "Hari libur nasional 2025 belum dimuat" in visible(no_calendar)
    assert _cases(session, 2025) == 0

    calendars.load_national(session, 2025, None)
    session.commit()
    started = client.post("/hr/cycle", data={"unit_id": _root_id(session), "year": "2025",
                                          "past_year_confirmed": "2025"}, follow_redirects=True)
    assert started.status_code == 200 and "Siklus 2025" in visible(started)
    assert _cases(session, 2025) > 0
    months = session.scalars(select(Case).where(Case.cycle_key == "2025")).first()
    assert months.status == "running"


def test_a_confirmation_for_another_year_does_not_count(login, session):
    client = login("hr.admin")
    calendars.load_national(session, 2024, None)
    session.commit()
    wrong = client.post("/hr/cycle", data={"unit_id": _root_id(session), "year": "2024", "past_year_confirmed": "2025"})
    assert wrong.status_code == 422 and "Tahun 2024 sudah berakhir" in visible(wrong)
    assert _cases(session, 2024) == 0


def test_next_years_cycle_starts_while_this_years_runs(login, session):
    start_cycle()
    client = login("hr.admin")
    started = client.post("/hr/cycle", data={"unit_id": _root_id(session), "year": "2027"}, follow_redirects=True)
    assert started.status_code == 200
    assert _cases(session, 2027) == _cases(session, 2026) > 0
    assert session.scalar(select(func.count()).select_from(Case).where(
        Case.cycle_key.in_(("2026", "2027")), Case.status != "running")) == 0


def test_staff_cannot_start_a_cycle(login, session):
    response = login("staf02").post("/hr/cycle", data={"unit_id": _root_id(session), "year": "2025",
                                                    "past_year_confirmed": "2025"})
    assert response.status_code == 403
    assert _cases(session, 2025) == 0
