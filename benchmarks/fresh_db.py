"""Where every benchmark starts: the database named in DATABASE_URL emptied, migrated to the
newest revision, the shipped diagrams deployed and the national holidays of the years the
benchmarks' cycles reach loaded (a cycle does not start without them). Call it inside an app
context."""
from flask_migrate import upgrade
from sqlalchemy import text

from app.extensions import db
from app.services.attendance import calendars
from app.services.designer.deployment import deploy_shipped

# The benchmarks' cycles are 2026 and 2027; a due date late in a year reaches into the next.
HOLIDAY_YEARS = (2026, 2027, 2028)


def fresh_database() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()
    deploy_shipped(db.session)
    for year in calendars.missing_years(db.session, HOLIDAY_YEARS):
        calendars.load_national(db.session, year, None)
    db.session.commit()
