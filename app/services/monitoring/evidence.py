"""Evidence files: checked for type (by name and by content) and size, stored outside the web root.

Files live in UPLOAD_DIR (default instance/uploads) under a random name; the original name is
only a label. They are served by an authorised route, never as static files.
"""
import contextlib
import os
import secrets
from pathlib import Path

from flask import current_app

from app.core.errors import ServiceError
from app.rules import uploads as upload_rules
from app.rules.uploads import Checked, Upload


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    return current_app.config["EVIDENCE_MAX_BYTES"]


def check(upload: Upload) -> Checked:
    try:
        return upload_rules.check(upload, max_bytes())
    except upload_rules.UploadRefused as err:
        raise ServiceError(str(err)) from err


def store(checked: Checked) -> str:
    """Write the bytes under a new random name and return that name."""
    stored_name = secrets.token_hex(16)
    target = upload_dir() / stored_name
    tmp = target.with_suffix(".part")
    tmp.write_bytes(checked.content)
    os.replace(tmp, target)
    return stored_name


def remove(stored_name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        (upload_dir() / stored_name).unlink()


def path_of(stored_name: str) -> Path:
    return upload_dir() / stored_name
