"""Command-line tasks: deploy shipped diagrams and load demo data (`flask --app app seed-demo`)."""
import click
from flask import Flask

from app import demo_data
from app.core.errors import ServiceError
from app.core.jobs.queue import enqueue
from app.extensions import db
from app.services.attendance import calendars
from app.services.designer.deployment import deploy_shipped
from app.services.monitoring import reminders


def register_cli(app: Flask) -> None:
    @app.cli.command("deploy-workflows")
    def deploy_workflows():
        """Deploy shipped BPMN files whose process has no version yet."""
        versions = deploy_shipped(db.session)
        db.session.commit()
        for version in versions:
            click.echo(f"Deployed {version.process_id} v{version.version}")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database has no agency yet.")
    def seed_demo(if_empty):
        """Load the demo agency, units, employees and accounts."""
        deploy_shipped(db.session)
        db.session.commit()
        if if_empty and not demo_data.is_empty(db.session):
            click.echo("Database already has data; demo data not loaded.")
            return
        demo_data.load(db.session)
        db.session.commit()
        click.echo("Demo data loaded.")

    @app.cli.command("load-holidays")
    @click.argument("year", type=int)
    def load_holidays(year):
        """Load a year's national holidays and joint leave days (from the `holidays` package)."""
        try:
            loaded = calendars.load_national(db.session, year, None)
        except ServiceError as err:
            raise click.ClickException(str(err)) from err
        db.session.commit()
        click.echo(f"{year}: {loaded.holidays} hari libur nasional, {loaded.joint_leave} cuti bersama dimuat.")

    @app.cli.command("send-reminders")
    @click.option("--queue", "use_queue", is_flag=True, help="Enqueue the job instead of running it here.")
    def send_reminders(use_queue):
        """Remind employees with no log for the previous working day and late validators."""
        if use_queue:
            enqueue("workers.jobs.send_reminders")
            click.echo("Reminder job enqueued.")
            return
        result = reminders.send_reminders(db.session)
        db.session.commit()
        click.echo(f"Reminders sent: {result.employees} employees, {result.supervisors} supervisors.")

    @app.cli.command("demo-logins")
    def demo_logins():
        """Print the demo accounts."""
        click.echo(demo_data.logins_text())
