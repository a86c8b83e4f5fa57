"""Reading a fingerprint-device export (CSV: NIP, timestamp, device) row by row.

Pure: gives each row's parsed values or the problem with its line number; the service decides
what is saved. Column names are matched without regard to case, and the usual Indonesian names
are accepted too (waktu, perangkat, mesin).

A file refused whole is said in the reader's language; the problems of single rows are kept with
the import, so they stay in Bahasa Indonesia.
"""
import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from app.rules.nip import validate_nip

COLUMNS = {
    "nip": ("nip",),
    "timestamp": ("timestamp", "waktu", "tanggal_jam", "datetime"),
    "device": ("device", "perangkat", "mesin"),
}
FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
           "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M")


class BadFile(ValueError):
    """The file as a whole cannot be read (encoding, header); nothing in it is used."""


@dataclass(frozen=True)
class Row:
    line: int
    nip: str
    at: datetime  # naive local time
    device: str


@dataclass(frozen=True)
class Rejected:
    line: int
    problem: str


def decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadFile(_("Berkas tidak dapat dibaca sebagai teks CSV."))


def parse_timestamp(text: str) -> datetime | None:
    text = (text or "").strip()
    for fmt in FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def read(content: bytes) -> tuple[list[Row], list[Rejected]]:
    text = decode(content)
    if not text.strip():
        raise BadFile(_("Berkas kosong."))
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    positions = {}
    for key, names in COLUMNS.items():
        found = [i for i, h in enumerate(header) if h in names]
        if found:
            positions[key] = found[0]
    missing = [key for key in COLUMNS if key not in positions]
    if missing:
        raise BadFile(_("Kolom wajib tidak ada: %(missing)s. Baris pertama harus berisi judul kolom NIP, timestamp, "
                        "device; yang ditemukan: %(found)s.", missing=", ".join(missing),
                        found=", ".join(header) or _("(kosong)")))
    rows, rejected = [], []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) <= max(positions.values()):
            rejected.append(Rejected(line, "jumlah kolom kurang"))
            continue
        nip = "".join(values[positions["nip"]].split())
        problems = validate_nip(nip)
        if problems:
            rejected.append(Rejected(line, f"NIP '{nip}' tidak valid: {' '.join(problems)}"))
            continue
        at = parse_timestamp(values[positions["timestamp"]])
        if at is None:
            rejected.append(Rejected(line, f"waktu '{values[positions['timestamp']].strip()}' tidak dikenali "
                                           "(contoh: 2026-04-06 07:28:00)"))
            continue
        device = values[positions["device"]].strip()[:60] or "mesin sidik jari"
        rows.append(Row(line, nip, at, device))
    return rows, rejected
