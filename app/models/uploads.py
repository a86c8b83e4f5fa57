"""What every stored upload records, whoever it belongs to.

Evidence of a work log and a complaint's attachment keep their own tables (each has its own owner
and its own access rule), but describe the file the same way: one definition here, so a change to
how files are stored (a checksum, a size limit, a scan result) is made once."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.core.clock import utcnow
from app.models._types import UTCDateTime


class StoredFile:
    """The columns of a file whose bytes live in the upload store under `stored_name`."""

    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr
    def uploaded_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user_account.id"))

    @classmethod
    def of_upload(cls, upload, stored_name: str, uploaded_by_id: int | None, uploaded_at: datetime, **owner):
        """A row for a checked upload (`app.rules.uploads`) whose bytes were stored as `stored_name`."""
        return cls(original_name=upload.original_name, stored_name=stored_name, content_type=upload.content_type,
                   size=len(upload.content), sha256=upload.sha256, uploaded_by_id=uploaded_by_id,
                   uploaded_at=uploaded_at, **owner)
