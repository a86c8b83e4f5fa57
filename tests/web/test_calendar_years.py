"""HR sees which year's holiday list is missing and loads it from the official list."""
from datetime import date

from sqlalchemy import func, select

from app.models import AuditEvent, Holiday
from tests.conftest import user
from tests.web.conftest import visible


def test_hr_loads_a_missing_years_national_holidays(login, session):
    client = login("hr.admin")
    page = visible(client.get("/hr/calendar?year=2028"))
    assert "Hari libur nasional 2028 belum dimuat" in page
    loaded = client.post("/hr/calendar", data={"action": "load_national", "year": "2028"}, follow_redirects=True)
    assert loaded.status_code == 200
    text = visible(loaded)
    assert "Hari libur nasional 2028 dimuat" in text and "belum dimuat" not in text
    days = session.scalar(select(func.count()).select_from(Holiday).where(
        Holiday.agency_id.is_(None), Holiday.day >= date(2028, 1, 1), Holiday.day <= date(2028, 12, 31)))
    assert days > 15
    assert session.scalar(select(AuditEvent.summary).where(
        AuditEvent.action == "holidays_loaded", AuditEvent.actor_user_id == user("hr.admin").id)).startswith(
        "Hari libur nasional 2028 dimuat")
    again = client.post("/hr/calendar", data={"action": "load_national", "year": "2028"})
    assert again.status_code == 422 and "sudah dimuat" in visible(again)
    assert session.scalar(select(func.count()).select_from(Holiday).where(
        Holiday.agency_id.is_(None), Holiday.day >= date(2028, 1, 1), Holiday.day <= date(2028, 12, 31))) == days


def test_a_year_out_of_range_is_refused_not_an_error(login):
    assert login("hr.admin").get("/hr/calendar?year=99999").status_code == 404


def test_staff_cannot_open_or_load_the_calendar(login, session):
    client = login("staf02")
    assert client.get("/hr/calendar?year=2028").status_code == 403
    assert client.post("/hr/calendar", data={"action": "load_national", "year": "2028"}).status_code == 403
    assert session.scalar(select(func.count()).select_from(Holiday).where(Holiday.day >= date(2028, 1, 1))) == 0


def test_the_command_loads_a_year_and_refuses_it_twice(ctx):
    runner = ctx.test_cli_runner()
    first = runner.invoke(args=["load-holidays", "2029"])
    assert first.exit_code == 0 and "2029:" in first.output
    second = runner.invoke(args=["load-holidays", "2029"])
    assert second.exit_code != 0 and "sudah dimuat" in second.output
