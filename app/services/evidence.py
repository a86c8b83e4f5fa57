"""Evidence files: checked for type (by name and by content) and size, stored outside the web root.

Files live in UPLOAD_DIR (default instance/uploads) under a random name; the original name is
only a label. They are served by an authorised route, never as static files.
"""
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from app.services.errors import ServiceError

# extension -> (content type, leading bytes the content must start with)
ZIP, OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "doc": ("application/msword", OLE),
    "xls": ("application/vnd.ms-excel", OLE),
    "ppt": ("application/vnd.ms-powerpoint", OLE),
}
INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png")
MAX_FILES = 5


@dataclass(frozen=True)
class Upload:
    original_name: str
    content: bytes


@dataclass(frozen=True)
class Checked:
    original_name: str
    content: bytes
    content_type: str
    sha256: str


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    return current_app.config["EVIDENCE_MAX_BYTES"]


def check(upload: Upload) -> Checked:
    name = os.path.basename((upload.original_name or "").replace("\\", "/")).strip() or "berkas"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED:
        raise ServiceError(f"Berkas '{name}' ditolak: jenis berkas tidak diizinkan. Gunakan PDF, gambar (JPG, PNG) "
                           "atau dokumen kantor (DOC/DOCX, XLS/XLSX, PPT/PPTX, ODT, ODS).")
    limit = max_bytes()
    if len(upload.content) > limit:
        raise ServiceError(f"Berkas '{name}' ditolak: ukurannya {len(upload.content) / 1048576:.1f} MB, "
                           f"melebihi batas {limit / 1048576:.0f} MB.")
    if not upload.content:
        raise ServiceError(f"Berkas '{name}' kosong.")
    content_type, signatures = ALLOWED[ext]
    if not upload.content.startswith(signatures):
        raise ServiceError(f"Berkas '{name}' ditolak: isinya bukan berkas {ext.upper()} yang sah.")
    return Checked(name[:255], upload.content, content_type, hashlib.sha256(upload.content).hexdigest())


def store(checked: Checked) -> str:
    """Write the bytes under a new random name and return that name."""
    stored_name = secrets.token_hex(16)
    target = upload_dir() / stored_name
    tmp = target.with_suffix(".part")
    tmp.write_bytes(checked.content)
    os.replace(tmp, target)
    return stored_name


def remove(stored_name: str) -> None:
    try:
        (upload_dir() / stored_name).unlink()
    except FileNotFoundError:
        pass


def path_of(stored_name: str) -> Path:
    return upload_dir() / stored_name
