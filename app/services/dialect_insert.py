"""`INSERT ... ON CONFLICT` for the database in use (PostgreSQL in production, SQLite locally):
both dialects have it, under their own import."""
from sqlalchemy.orm import Session


def insert_for(session: Session, table):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)
