"""Where every benchmark starts: the database named in DATABASE_URL emptied, migrated to the
newest revision, and the shipped diagrams deployed. Call it inside an app context."""
from flask_migrate import upgrade
from sqlalchemy import text

from app.extensions import db
from app.services.designer.deployment import deploy_shipped


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
    db.session.commit()
