"""The `flask` commands an operator runs: they call the same services as the pages, and a refusal
reaches the terminal as the service's message with a non-zero exit."""
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import Holiday, Notification


def test_demo_logins_prints_the_accounts(ctx):
    result = ctx.test_cli_runner().invoke(args=["demo-logins"])
    assert result.exit_code == 0 and "hr.admin" in result.output and "staf02" in result.output


def test_seed_demo_if_empty_leaves_a_database_with_data_alone(ctx):
    result = ctx.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0 and "already has data" in result.output


def test_load_holidays_loads_a_year_once_and_refuses_it_the_second_time(ctx):
    runner = ctx.test_cli_runner()
    first = runner.invoke(args=["load-holidays", "2029"])
    assert first.exit_code == 0 and first.output.startswith("2029:"), first.output
    national = select(func.count()).select_from(Holiday).where(
        Holiday.agency_id.is_(None), Holiday.day >= date(2029, 1, 1), Holiday.day <= date(2029, 12, 31))
    loaded = db.session.scalar(national)
    assert loaded > 10
    again = runner.invoke(args=["load-holidays", "2029"])
    assert again.exit_code != 0 and "sudah dimuat" in again.output
    assert db.session.scalar(national) == loaded


def test_load_holidays_refuses_a_year_out_of_range(ctx):
    result = ctx.test_cli_runner().invoke(args=["load-holidays", "1900"])
    assert result.exit_code != 0 and "di luar rentang" in result.output


def test_send_reminders_runs_the_reminders_here_and_reports_the_counts(ctx):
    before = db.session.scalar(select(func.count()).select_from(Notification))
    result = ctx.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0 and result.output.startswith("Reminders sent:"), result.output
    sent = db.session.scalar(select(func.count()).select_from(Notification)) - before
    employees, supervisors = (int(n) for n in result.output.split(":")[1].replace("employees", "").replace(
        "supervisors.", "").split(","))
    assert employees > 0 and sent == employees + supervisors


def test_send_reminders_can_be_queued_instead(ctx):
    result = ctx.test_cli_runner().invoke(args=["send-reminders", "--queue"])
    assert result.exit_code == 0 and "enqueued" in result.output
