"""In-app notifications (reminders, decisions on one's entries); mailed too when SMTP is set."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.clock import utcnow
from app.extensions import db
from app.models._types import UTCDateTime


class Notification(db.Model):
    __tablename__ = "notification"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(300))
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by jobs that may run twice (the daily reminder): one notification per user and key.
    dedupe_key: Mapped[str | None] = mapped_column(String(120))
    __table_args__ = (
        Index("ix_notification_user_read", "user_id", "read_at"),
        UniqueConstraint("user_id", "dedupe_key"),
    )
