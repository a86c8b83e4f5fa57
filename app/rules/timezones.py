"""Indonesia's three time zones, as people here name them on a clock."""

ABBREVIATIONS = {
    "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def abbreviation(zone: str) -> str:
    """WIB / WITA / WIT; any other zone keeps its IANA name so a time is never unlabelled."""
    return ABBREVIATIONS.get(zone, zone)
