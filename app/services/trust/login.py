"""Passwords and login, with a per-account and per-address failure limit stored in the database
(so it holds across web processes)."""
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.errors import ServiceError
from app.models import LoginAttempt, User

# Verifying reads the cost from the stored hash, so one hasher checks hashes made at any cost.
_verifier = PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ServiceError(_("Kata sandi minimal 8 karakter."))
    config = current_app.config
    return _hasher(config["PASSWORD_HASH_TIME_COST"], config["PASSWORD_HASH_MEMORY_KIB"],
                   config["PASSWORD_HASH_PARALLELISM"]).hash(password)


@cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    """Argon2id at the configured cost (the test app lowers it; see Config.PASSWORD_HASH_*)."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def _failures_since(session: Session, column, value: str, minutes: int) -> int:
    since = utcnow() - timedelta(minutes=minutes)
    return session.scalar(
        select(func.count()).select_from(LoginAttempt)
        .where(column == value, LoginAttempt.success.is_(False), LoginAttempt.at >= since)
    )


def authenticate(session: Session, username: str, password: str, ip: str, user_agent: str, config) -> User:
    username = (username or "").strip()
    window = config["LOGIN_WINDOW_MINUTES"]
    if (_failures_since(session, LoginAttempt.username, username, window) >= config["LOGIN_MAX_FAILURES"]
            or _failures_since(session, LoginAttempt.ip, ip, window) >= config["LOGIN_MAX_FAILURES_PER_IP"]):
        raise ServiceError(_("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)s menit.",
                             minutes=window))
    user = session.scalars(select(User).where(User.username == username)).first()
    ok = False
    if user is not None and user.is_active_account:
        try:
            ok = _verifier.verify(user.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            ok = False
    # Recorded whatever the outcome: the caller commits a failed attempt too (it is what the limits count).
    session.add(LoginAttempt(username=username[:60], ip=ip[:45], user_agent=(user_agent or "")[:300], success=ok))
    session.flush()
    if not ok:
        raise ServiceError(_("Nama pengguna atau kata sandi salah."))
    return user
