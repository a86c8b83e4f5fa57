"""Discipline facts the allowance reads: sanctions in force (hukdis) and missed morning assemblies."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db
from app.models._types import UTCDateTime
from app.models.org import Employee

SANCTION_LEVELS = ("ringan", "sedang", "berat")


class DisciplinarySanction(db.Model):
    """A disciplinary sanction (hukdis, PP 94/2021) and the months it is in force.

    `cut_pct` overrides the rule set's cut for the level when the decree names its own."""

    __tablename__ = "disciplinary_sanction"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    level: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(200))
    decree_number: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    months: Mapped[int] = mapped_column()
    ends_on: Mapped[date] = mapped_column(Date)
    cut_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A sanction entered by mistake is revoked, not deleted, so the trail stays readable.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")

    employee: Mapped[Employee] = relationship()


class ApelAbsence(db.Model):
    """A morning assembly (apel) the employee missed, recorded by HR from the roll call."""

    __tablename__ = "apel_absence"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    day: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employee: Mapped[Employee] = relationship()
    __table_args__ = (UniqueConstraint("employee_id", "day"),)
