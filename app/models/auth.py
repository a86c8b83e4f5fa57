"""Accounts, role grants with their unit scope, and the login audit."""
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import clock
from app.core.clock import utcnow
from app.extensions import db
from app.models._types import UTCDateTime
from app.models.org import Employee, OrgUnit
from app.models.roles import GRANTED_ROLES


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), unique=True)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(String(5), default="id")
    # Where notifications are mailed when SMTP is configured; none without it.
    email: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employee: Mapped[Employee | None] = relationship()
    grants: Mapped[list["RoleGrant"]] = relationship(back_populates="user", lazy="selectin")

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    def has_role(self, *roles: str) -> bool:
        """Holds any of `roles` for some unit."""
        return any(g.role in roles for g in self.grants)

    @property
    def timezone(self) -> str:
        """The zone of the agency the account belongs to: through its employee record or, for an
        account without one, its first role grant; the default zone for neither."""
        if self.employee is not None:
            return self.employee.unit.agency.timezone
        if self.grants:
            return self.grants[0].unit.agency.timezone
        return clock.DEFAULT_ZONE

    def today(self) -> date:
        return clock.today(self.timezone)

    def scope_paths(self, *roles: str) -> list[str]:
        """The unit paths of the grants of any of `roles`, in grant order: subtrees the user sees."""
        return [g.unit.path for g in self.grants if g.role in roles]

    def covers(self, unit_path: str, *roles: str) -> bool:
        """Holds one of `roles` for the unit at `unit_path` or a unit above it."""
        return any(g.role in roles and unit_path.startswith(g.unit.path) for g in self.grants)

    def grant_agency_ids(self, *roles: str) -> list[int]:
        """The agencies of the grants of any of `roles`, in grant order (repeats kept)."""
        return [g.unit.agency_id for g in self.grants if g.role in roles]


class RoleGrant(db.Model):
    __tablename__ = "role_grant"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))

    user: Mapped[User] = relationship(back_populates="grants")
    unit: Mapped[OrgUnit] = relationship(lazy="joined")
    __table_args__ = (
        UniqueConstraint("user_id", "role", "unit_id"),
        CheckConstraint("role IN (" + ", ".join(f"'{r}'" for r in GRANTED_ROLES) + ")", name="role"),
    )


class LoginAttempt(db.Model):
    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), index=True)
    ip: Mapped[str] = mapped_column(String(45), index=True)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    success: Mapped[bool] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
