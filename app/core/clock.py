"""The one clock: what instant it is, and what day it is in an agency.

Nothing else in app/, forms/ or workers/ reads the wall clock (a test fails if it does). The
server runs in UTC while agencies live in WIB, WITA or WIT: between 00:00 and 07:00 WIB the
server's date is still yesterday, so a "today" is always asked for in a zone. A workflow step
carries the instant it runs at; code inside a step asks with that instant (`at`), so a step
replayed or a case migrated later sees the same day.
"""
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

UTC = UTC
# The zone of an agency that has not said otherwise, and of pages shown before anyone logs in.
DEFAULT_ZONE = "Asia/Jakarta"


def utcnow() -> datetime:
    """Now, aware, in UTC: the form every time is stored in."""
    return datetime.now(UTC)


@lru_cache(maxsize=64)
def zone(name: str | None) -> ZoneInfo:
    """The tz database zone; ZoneInfo lookups are cheap but not free on a hot path."""
    return ZoneInfo(name or DEFAULT_ZONE)


def local(at: datetime, zone_name: str | None) -> datetime:
    """An instant as the clock on the wall of that zone shows it."""
    return at.astimezone(zone(zone_name))


def today(zone_name: str | None, at: datetime | None = None) -> date:
    """The date in that zone at the instant `at` (default: now)."""
    return local(at or utcnow(), zone_name).date()


def local_midnight(day: date, zone_name: str | None) -> datetime:
    """The first instant of a day in that zone, aware."""
    return datetime(day.year, day.month, day.day, tzinfo=zone(zone_name))
