"""Spread of grades allowed in a unit by its own result (SE MenPAN-RB 3/2023)."""

from typing import NamedTuple

from .grade_matrix import (
    UNIT_BAIK,
    UNIT_BUTUH_PERBAIKAN,
    UNIT_ISTIMEWA,
    UNIT_KURANG,
    UNIT_RESULT_LABELS,
    UNIT_SANGAT_KURANG,
)
from .ratings import (
    BAIK,
    BUTUH_PERBAIKAN,
    GRADE_LABELS,
    GRADES,
    KURANG,
    SANGAT_BAIK,
    SANGAT_KURANG,
)

AT_MOST = "at_most"
AT_LEAST = "at_least"
AT_LEAST_ONE = "at_least_one"


class _Rule(NamedTuple):
    kind: str
    grades: tuple[str, ...]
    percent: int = 0


_RULES = {
    UNIT_ISTIMEWA: (
        _Rule(AT_MOST, (SANGAT_BAIK,), 70),
    ),
    UNIT_BAIK: (
        _Rule(AT_MOST, (BAIK,), 70),
        _Rule(AT_LEAST_ONE, (BUTUH_PERBAIKAN, KURANG)),
    ),
    UNIT_BUTUH_PERBAIKAN: (
        _Rule(AT_LEAST, (BUTUH_PERBAIKAN,), 60),
        _Rule(AT_MOST, (SANGAT_BAIK,), 10),
    ),
    UNIT_KURANG: (
        _Rule(AT_LEAST, (KURANG,), 60),
        _Rule(AT_LEAST, (BUTUH_PERBAIKAN,), 10),
        _Rule(AT_MOST, (SANGAT_BAIK,), 10),
    ),
    UNIT_SANGAT_KURANG: (
        _Rule(AT_LEAST, (SANGAT_KURANG,), 60),
        _Rule(AT_LEAST, (KURANG, BUTUH_PERBAIKAN), 10),
        _Rule(AT_MOST, (SANGAT_BAIK,), 0),
    ),
}


def _percent_text(count, total, round_up):
    # Rounded away from the limit, so a failing share never prints as the
    # limit itself (e.g. 701 of 1001 must not read "70%").
    tenths, rest = divmod(count * 1000, total)
    if rest and round_up:
        tenths += 1
    whole, tenth = divmod(tenths, 10)
    return f"{whole}%" if tenth == 0 else f"{whole},{tenth}%"


def _grades_text(grades):
    return " atau ".join(GRADE_LABELS[g] for g in GRADES if g in grades)


def _violation(rule, grades, unit_label):
    count = sum(1 for g in grades if g in rule.grades)
    total = len(grades)
    subject = f"predikat {_grades_text(rule.grades)}"
    prefix = f"Hasil unit {unit_label}:"
    if rule.kind == AT_LEAST_ONE:
        if count:
            return None
        return f"{prefix} paling sedikit satu {subject}, saat ini tidak ada (0 dari {total})."
    # Cross-multiplied so that the boundary (7 of 10 against 70%) is exact.
    if rule.kind == AT_MOST:
        if count * 100 <= rule.percent * total:
            return None
        actual = f"{_percent_text(count, total, round_up=True)} ({count} dari {total})"
        if rule.percent == 0:
            return f"{prefix} tidak boleh ada {subject}, saat ini {actual}."
        return f"{prefix} paling banyak {rule.percent}% {subject}, saat ini {actual}."
    if count * 100 >= rule.percent * total:
        return None
    actual = f"{_percent_text(count, total, round_up=False)} ({count} dari {total})"
    return f"{prefix} paling sedikit {rule.percent}% {subject}, saat ini {actual}."


def check_distribution(unit_result: str, grades: list[str]) -> list[str]:
    """Messages for each distribution rule the unit's grades break; empty if none."""
    if unit_result not in _RULES:
        raise ValueError(f"Hasil kinerja unit tidak dikenal: {unit_result!r}.")
    unknown = [g for g in dict.fromkeys(grades) if g not in GRADES]
    if unknown:
        names = ", ".join(repr(g) for g in unknown)
        raise ValueError(f"Predikat kinerja tidak dikenal: {names}.")
    if not grades:
        return []
    unit_label = UNIT_RESULT_LABELS[unit_result]
    messages = (_violation(rule, grades, unit_label) for rule in _RULES[unit_result])
    return [m for m in messages if m]
