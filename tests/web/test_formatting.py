"""The template filters write numbers, amounts, instants and months the way the reader's language
does: Bahasa Indonesia byte for byte as the hand-written formatting had it (pages and tests read
"Rp 4.312.500"), English by its own conventions. The language comes from the app's own selector
(the session's choice)."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import render_template_string, session

# (filter, value, arguments, Bahasa Indonesia, English)
CASES = [
    ("number", None, (), "—", "—"),
    ("number", 12, (), "12", "12"),
    ("number", 12.0, (), "12", "12"),
    ("number", Decimal("12.00"), (), "12", "12"),
    ("number", 2.5, (), "2,5", "2.5"),
    ("number", Decimal("1250"), (), "1.250", "1,250"),
    ("number", 0.1 + 0.2, (), "0,3", "0.3"),
    ("number", Decimal("1234567.891"), (), "1.234.567,89", "1,234,567.89"),
    ("number", Decimal("-3.5"), (), "-3,5", "-3.5"),
    ("rupiah", None, (), "—", "—"),
    ("rupiah", 4312500, (), "Rp 4.312.500", "IDR 4,312,500"),
    ("rupiah", -43125, (), "-Rp 43.125", "-IDR 43,125"),
    ("rupiah", 0, (), "Rp 0", "IDR 0"),
    ("rupiah", Decimal("1250.9"), (), "Rp 1.250", "IDR 1,250"),
    # 02:30 UTC is 09:30 on the clock of the default agency (Asia/Jakarta, WIB).
    ("local", None, (), "—", "—"),
    ("local", datetime(2026, 12, 7, 2, 30, tzinfo=UTC), (), "07-12-2026 09:30 WIB", "07-12-2026 09:30 WIB"),
    ("local", datetime(2026, 12, 7, 2, 30, tzinfo=UTC), ("%d-%m-%Y",), "07-12-2026 WIB", "07-12-2026 WIB"),
    ("local", datetime(2026, 12, 7, 2, 30, tzinfo=UTC), ("%H:%M",), "09:30 WIB", "09:30 WIB"),
    ("local", datetime(2026, 12, 7, 2, 30, tzinfo=UTC), ("%A %d %B %Y",),
     "Senin 07 Desember 2026 WIB", "Monday 07 December 2026 WIB"),
    ("local", datetime(2026, 12, 7, 2, 30, tzinfo=UTC), ("%d %b, pukul %H:%M",),
     "07 Des, pukul 09:30 WIB", "07 Dec, pukul 09:30 WIB"),
    ("month", None, (), "—", "—"),
    ("month", "2026-05", (), "Mei 2026", "May 2026"),
    ("month", date(2026, 8, 17), (), "Agustus 2026", "August 2026"),
    # 18:00 UTC on 30 November is already 1 December in Jakarta.
    ("month", datetime(2026, 11, 30, 18, 0, tzinfo=UTC), (), "Desember 2026", "December 2026"),
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(("name", "value", "args", "indonesian", "english"), CASES)
def test_filter_writes_the_readers_convention(app, language, name, value, args, indonesian, english):
    with app.test_request_context():
        session["lang"] = language
        assert app.jinja_env.filters[name](value, *args) == (indonesian if language == "id" else english)


@pytest.mark.parametrize(("language", "expected"), [("id", "Rp 4.312.500 · 2,5 · Mei 2026"),
                                                    ("en", "IDR 4,312,500 · 2.5 · May 2026")])
def test_templates_use_the_filters(app, language, expected):
    with app.test_request_context():
        session["lang"] = language
        assert render_template_string("{{ 4312500|rupiah }} · {{ 2.5|number }} · {{ '2026-05'|month }}") == expected


def test_a_strftime_directive_without_a_cldr_twin_is_refused(app):
    with app.test_request_context(), pytest.raises(KeyError):
        app.jinja_env.filters["local"](datetime(2026, 12, 7, 2, 30, tzinfo=UTC), "%j")
