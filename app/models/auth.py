"""Accounts, role grants with their unit scope, and the login audit."""
from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models._types import UTCDateTime, utcnow
from app.models.org import Employee, OrgUnit

# Roles granted explicitly. employee / supervisor / unit_head follow from the org data instead.
GRANTED_ROLES = ("hr", "pic", "it", "auditor")


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    employee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("employee.id"), unique=True)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(String(5), default="id")
    # Where notifications are mailed when SMTP is configured; none without it.
    email: Mapped[Optional[str]] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employee: Mapped[Optional[Employee]] = relationship()
    grants: Mapped[list["RoleGrant"]] = relationship(back_populates="user", lazy="selectin")

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    def has_role(self, role: str) -> bool:
        return any(g.role == role for g in self.grants)

    def scope_paths(self, role: str) -> list[str]:
        return [g.unit.path for g in self.grants if g.role == role]


class RoleGrant(db.Model):
    __tablename__ = "role_grant"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))

    user: Mapped[User] = relationship(back_populates="grants")
    unit: Mapped[OrgUnit] = relationship(lazy="joined")
    __table_args__ = (UniqueConstraint("user_id", "role", "unit_id"),)


class LoginAttempt(db.Model):
    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), index=True)
    ip: Mapped[str] = mapped_column(String(45), index=True)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    success: Mapped[bool] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
