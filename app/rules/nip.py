"""Structure of the 18-digit civil-servant number (NIP)."""

from dataclasses import dataclass
from datetime import date

NIP_LENGTH = 18

# Sex digit as written in the NIP: 1 is male (laki-laki), 2 is female (perempuan).
_SEX_BY_DIGIT = {"1": "L", "2": "P"}


@dataclass(frozen=True)
class NipInfo:
    birth_date: date
    appointment_year: int
    appointment_month: int
    sex: str
    sequence: int


def _normalise(nip):
    # NIPs are commonly printed in groups ("19850315 201001 1 001").
    return "".join(nip.split())


def _birth_date(digits):
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def validate_nip(nip: str) -> list[str]:
    """Every problem found in the NIP, as messages for the user; empty if valid."""
    digits = _normalise(nip)
    if not digits:
        return ["NIP belum diisi."]
    shape_errors = []
    bad = "".join(dict.fromkeys(c for c in digits if not "0" <= c <= "9"))
    if bad:
        shape_errors.append(f"NIP hanya boleh berisi angka; ditemukan karakter {bad!r}.")
    if len(digits) != NIP_LENGTH:
        shape_errors.append(
            f"NIP harus {NIP_LENGTH} digit, saat ini {len(digits)} karakter."
        )
    # The fields below are positional, so they mean nothing until the shape is right.
    if shape_errors:
        return shape_errors

    errors = []
    birth = _birth_date(digits)
    if birth is None:
        errors.append(
            f"Tanggal lahir pada NIP (digit 1-8, TTTTBBHH) tidak valid: {digits[0:8]}."
        )
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12:
        errors.append(
            f"Bulan pengangkatan pada NIP (digit 13-14) harus 01-12, saat ini {digits[12:14]}."
        )
    # Only whole months are known for the appointment, so the birth month
    # itself is still allowed.
    elif birth is not None and (year, month) < (birth.year, birth.month):
        errors.append(
            f"Tanggal pengangkatan pada NIP ({digits[8:12]}-{digits[12:14]}) "
            f"lebih awal dari tanggal lahir ({birth.isoformat()})."
        )
    if digits[14] not in _SEX_BY_DIGIT:
        errors.append(
            "Digit jenis kelamin pada NIP (digit 15) harus 1 (laki-laki) atau "
            f"2 (perempuan), saat ini {digits[14]}."
        )
    if digits[15:18] == "000":
        errors.append("Nomor urut pada NIP (digit 16-18) tidak boleh 000.")
    return errors


def parse_nip(nip: str) -> NipInfo:
    """Fields of a valid NIP; ValueError with the first problem otherwise."""
    errors = validate_nip(nip)
    if errors:
        raise ValueError(errors[0])
    digits = _normalise(nip)
    return NipInfo(
        birth_date=_birth_date(digits),
        appointment_year=int(digits[8:12]),
        appointment_month=int(digits[12:14]),
        sex=_SEX_BY_DIGIT[digits[14]],
        sequence=int(digits[15:18]),
    )
