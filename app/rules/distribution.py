"""Spread of grades allowed in a unit by its own result (SE MenPAN-RB 3/2023).

The messages are read on the unit's page as it is shown, so they are in the reader's language.
"""

from decimal import Decimal
from typing import NamedTuple

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _

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
    # Without a request (a script, these rules' tests) a share reads as in Bahasa Indonesia.
    return f"{format_decimal(Decimal(tenths).scaleb(-1), '0.#', locale=get_locale() or 'id')}%"


def _grades_text(grades):
    labels = [GRADE_LABELS[g] for g in GRADES if g in grades]
    if len(labels) == 1:
        return str(labels[0])
    return _("%(grades)s atau %(last)s", grades=", ".join(str(label) for label in labels[:-1]), last=labels[-1])


def _violation(rule, grades, unit_label):
    count = sum(1 for g in grades if g in rule.grades)
    total = len(grades)
    subject = _grades_text(rule.grades)
    if rule.kind == AT_LEAST_ONE:
        if count:
            return None
        return _("Hasil unit %(result)s: paling sedikit satu predikat %(grades)s, saat ini tidak ada (0 dari "
                 "%(total)s).", result=unit_label, grades=subject, total=total)
    # Cross-multiplied so that the boundary (7 of 10 against 70%) is exact.
    if rule.kind == AT_MOST:
        if count * 100 <= rule.percent * total:
            return None
        actual = _("%(share)s (%(count)s dari %(total)s)", share=_percent_text(count, total, round_up=True),
                   count=count, total=total)
        if rule.percent == 0:
            return _("Hasil unit %(result)s: tidak boleh ada predikat %(grades)s, saat ini %(actual)s.",
                     result=unit_label, grades=subject, actual=actual)
        return _("Hasil unit %(result)s: paling banyak %(percent)s%% predikat %(grades)s, saat ini %(actual)s.",
                 result=unit_label, percent=rule.percent, grades=subject, actual=actual)
    if count * 100 >= rule.percent * total:
        return None
    actual = _("%(share)s (%(count)s dari %(total)s)", share=_percent_text(count, total, round_up=False),
               count=count, total=total)
    return _("Hasil unit %(result)s: paling sedikit %(percent)s%% predikat %(grades)s, saat ini %(actual)s.",
             result=unit_label, percent=rule.percent, grades=subject, actual=actual)


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
