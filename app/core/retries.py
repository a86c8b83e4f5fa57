"""Running a unit of work again when the database refuses it for a lock conflict.

Several workers write at once during a period close. PostgreSQL may pick one of them as the
victim of a deadlock; SQLite answers "database is locked" at once (rather than waiting) when a
reader would have to wait for a writer that waits for it. Either way the transaction is rolled
back whole, so doing the same work again is safe.
"""
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 6
PAUSE_SECONDS = 0.2


def begin_write(session: Session) -> None:
    """Start a transaction that will write. On SQLite it takes the write lock first (BEGIN
    IMMEDIATE), so a second writer waits for the first instead of failing when it would have had
    to upgrade a read lock; PostgreSQL needs nothing."""
    if session.get_bind().dialect.name == "sqlite":
        driver = session.connection().connection.driver_connection
        if not driver.in_transaction:
            driver.execute("BEGIN IMMEDIATE")


def with_retry(session: Session, work: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """`work` commits its own transaction; on a lock conflict it is rolled back and run again."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError:
            session.rollback()
            if attempt == attempts:
                raise
            log.warning("lock conflict, attempt %s of %s; trying again", attempt, attempts)
            time.sleep(PAUSE_SECONDS * attempt)
    raise AssertionError("unreachable")
