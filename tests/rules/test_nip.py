from datetime import date

import pytest

from app.rules.nip import NipInfo, parse_nip, validate_nip


@pytest.mark.parametrize(
    "nip, info",
    [
        ("198503152010011001", NipInfo(date(1985, 3, 15), 2010, 1, "L", 1)),
        ("199212302019032015", NipInfo(date(1992, 12, 30), 2019, 3, "P", 15)),
        ("19700101 199403 1 999", NipInfo(date(1970, 1, 1), 1994, 3, "L", 999)),
        (" 198802292014122003 ", NipInfo(date(1988, 2, 29), 2014, 12, "P", 3)),
        # Appointed in the birth month: only the month is known, so allowed.
        ("200005202000052001", NipInfo(date(2000, 5, 20), 2000, 5, "P", 1)),
    ],
)
def test_valid_nip(nip, info):
    assert validate_nip(nip) == []
    assert parse_nip(nip) == info


@pytest.mark.parametrize(
    "nip, message",
    [
        ("", "NIP belum diisi."),
        ("19850315201001100", "NIP harus 18 digit, saat ini 17 karakter."),
        ("1985031520100110011", "NIP harus 18 digit, saat ini 19 karakter."),
        (
            "19850315201001100A",
            "NIP hanya boleh berisi angka; ditemukan karakter 'A'.",
        ),
        ("1985031520100-1001", "NIP hanya boleh berisi angka; ditemukan karakter '-'."),
        (
            "198513152010011001",
            "Tanggal lahir pada NIP (digit 1-8, TTTTBBHH) tidak valid: 19851315.",
        ),
        (
            "198702292010011001",
            "Tanggal lahir pada NIP (digit 1-8, TTTTBBHH) tidak valid: 19870229.",
        ),
        (
            "198503152010131001",
            "Bulan pengangkatan pada NIP (digit 13-14) harus 01-12, saat ini 13.",
        ),
        (
            "198503152010001001",
            "Bulan pengangkatan pada NIP (digit 13-14) harus 01-12, saat ini 00.",
        ),
        (
            "198503151984121001",
            "Tanggal pengangkatan pada NIP (1984-12) lebih awal dari tanggal lahir "
            "(1985-03-15).",
        ),
        (
            "198503152010013001",
            "Digit jenis kelamin pada NIP (digit 15) harus 1 (laki-laki) atau "
            "2 (perempuan), saat ini 3.",
        ),
        (
            "198503152010010001",
            "Digit jenis kelamin pada NIP (digit 15) harus 1 (laki-laki) atau "
            "2 (perempuan), saat ini 0.",
        ),
        ("198503152010011000", "Nomor urut pada NIP (digit 16-18) tidak boleh 000."),
    ],
)
def test_invalid_nip(nip, message):
    assert validate_nip(nip) == [message]
    with pytest.raises(ValueError) as excinfo:
        parse_nip(nip)
    assert str(excinfo.value) == message


def test_nip_with_letter_and_wrong_length_reports_both():
    assert validate_nip("1985O315201001100") == [
        "NIP hanya boleh berisi angka; ditemukan karakter 'O'.",
        "NIP harus 18 digit, saat ini 17 karakter.",
    ]


def test_nip_reports_every_field_problem():
    errors = validate_nip("198513152010133000")
    assert len(errors) == 4
    assert errors[0].startswith("Tanggal lahir")
    assert errors[1].startswith("Bulan pengangkatan")
    assert errors[2].startswith("Digit jenis kelamin")
    assert errors[3].startswith("Nomor urut")
