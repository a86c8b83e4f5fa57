"""`INSERT ... ON CONFLICT` for the database in use (PostgreSQL in production, SQLite locally):
both dialects have it, under their own import."""
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_for(session: Session, table):
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
