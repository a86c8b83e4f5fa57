"""Uploaded files: which types are allowed (by name and by the content's leading bytes) and how
large they may be. Pure checks on bytes; storing them is the evidence service's work."""
import hashlib
import os
from dataclasses import dataclass

from flask_babel import gettext as _


class UploadRefused(ValueError):
    """An upload that may not be stored; the message says why."""


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


def check(upload: Upload, limit: int) -> Checked:
    """The upload with its content type and digest, or UploadRefused saying why (in the uploader's language:
    the message is shown at once, next to the file field)."""
    name = os.path.basename((upload.original_name or "").replace("\\", "/")).strip() or "berkas"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED:
        raise UploadRefused(_("Berkas '%(name)s' ditolak: jenis berkas tidak diizinkan. Gunakan PDF, gambar (JPG, "
                              "PNG) atau dokumen kantor (DOC/DOCX, XLS/XLSX, PPT/PPTX, ODT, ODS).", name=name))
    if len(upload.content) > limit:
        raise UploadRefused(_("Berkas '%(name)s' ditolak: ukurannya %(size).1f MB, melebihi batas %(limit).0f MB.",
                              name=name, size=len(upload.content) / 1048576, limit=limit / 1048576))
    if not upload.content:
        raise UploadRefused(_("Berkas '%(name)s' kosong.", name=name))
    content_type, signatures = ALLOWED[ext]
    if not upload.content.startswith(signatures):
        raise UploadRefused(_("Berkas '%(name)s' ditolak: isinya bukan berkas %(type)s yang sah.", name=name,
                              type=ext.upper()))
    return Checked(name[:255], upload.content, content_type, hashlib.sha256(upload.content).hexdigest())
