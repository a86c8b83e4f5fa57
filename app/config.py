"""Configuration from the environment: secrets and service URLs never live in the code."""
import os
import secrets
from pathlib import Path

from argon2.profiles import RFC_9106_LOW_MEMORY

ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    instance = ROOT / "instance"
    instance.mkdir(exist_ok=True)
    return f"sqlite:///{instance / 'siklus.db'}"


def _secret_key() -> str:
    """A development key kept in instance/ so sessions survive restarts; production sets SECRET_KEY."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = ROOT / "instance" / "secret_key"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _default_database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PAGE_SIZE = 20
    # Reverse proxies in front of the app (nginx: 1); the login limit per address needs the real one.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))
    LOGIN_MAX_FAILURES = 5
    LOGIN_WINDOW_MINUTES = 15
    LOGIN_MAX_FAILURES_PER_IP = 30
    # Argon2id cost of new password hashes: argon2-cffi's default profile (RFC 9106, low memory).
    # Only the test app lowers it; each hash records its own cost, which verifying reads back.
    PASSWORD_HASH_TIME_COST = RFC_9106_LOW_MEMORY.time_cost
    PASSWORD_HASH_MEMORY_KIB = RFC_9106_LOW_MEMORY.memory_cost
    PASSWORD_HASH_PARALLELISM = RFC_9106_LOW_MEMORY.parallelism
    # Evidence uploads: outside the web root, served only through an authorised route.
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or str(ROOT / "instance" / "uploads")
    EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_MB", "5")) * 1024 * 1024
    # A request larger than this never reaches a view (five files at the limit plus the form).
    MAX_CONTENT_LENGTH = 6 * EVIDENCE_MAX_BYTES
    # Reminder mails go out only when SMTP_HOST is set; in-app notifications always do.
    SMTP_HOST = os.environ.get("SMTP_HOST") or None
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USER = os.environ.get("SMTP_USER") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_SENDER = os.environ.get("SMTP_SENDER", "siklus-kinerja@localhost")
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "1") == "1"
    # Without Redis the in-process runner fires due timers and sends reminders this often.
    LOCAL_SWEEP_SECONDS = float(os.environ.get("LOCAL_SWEEP_SECONDS", "5"))
