import pytest

from app.rules.timezones import abbreviation


@pytest.mark.parametrize("zone, label", [
    ("Asia/Jakarta", "WIB"), ("Asia/Pontianak", "WIB"), ("Asia/Makassar", "WITA"),
    ("Asia/Jayapura", "WIT"), ("Europe/Amsterdam", "Europe/Amsterdam"),
])
def test_abbreviation(zone, label):
    assert abbreviation(zone) == label
