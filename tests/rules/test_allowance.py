"""The allowance formula against hand-computed months (DOMAIN.md, "TPP: the monthly allowance").

The month is April 2026: 22 weekdays, Good Friday (3 April) a holiday, so 21 working days.
Base Rp 5,000,000 (class 9) unless a case says otherwise, golongan III (5% tax), 60/40 split,
6,750 target minutes (the monitoring's setting).
"""
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.rules.allowance import (
    AllowanceError,
    Day,
    MonthInput,
    Placement,
    Sanction,
    check_rules,
    compute,
    default_rules,
    rupiah,
    tax_key,
)
from app.rules.working_days import WorkCalendar

CALENDAR = WorkCalendar(holidays={date(2026, 4, 3)})
APRIL = tuple(d for d in (date(2026, 4, 1) + timedelta(days=i) for i in range(30)) if CALENDAR.is_working_day(d))
BASES = {level: 1_000_000 + 500_000 * level for level in range(1, 18)}
BASES[9] = 5_000_000
BASES[11] = 7_000_000
BASES[8] = 4_999_700
RULES = default_rules(BASES)
WHOLE_MONTH = (Placement(date(2026, 4, 1), date(2026, 4, 30), 9, label="Seksi A"),)


def on_time(*except_days):
    return {d: Day(d, "present") for d in APRIL if d not in except_days}


def month(days=None, minutes=6750, placements=WHOLE_MONTH, **extra) -> MonthInput:
    return MonthInput(working_days=APRIL, placements=placements, days=on_time() if days is None else days,
                      validated_minutes=minutes, target_minutes=6750, tax_key=extra.pop("tax_key", "III"), **extra)


def test_april_has_21_working_days():
    assert len(APRIL) == 21 and date(2026, 4, 3) not in APRIL


def test_domain_worked_example_exactly():
    """Base 5,000,000, 60/40, 6,075 of 6,750 minutes, golongan III: TL1 twice, TL3, PSW2, one TK day
    and one missing check-out (PSW4)."""
    d = lambda day: date(2026, 4, day)  # noqa: E731
    days = on_time()
    days[d(1)] = Day(d(1), "present", arrival_code="TL1")
    days[d(2)] = Day(d(2), "present", arrival_code="TL1")
    days[d(6)] = Day(d(6), "present", arrival_code="TL3")
    days[d(7)] = Day(d(7), "present", departure_code="PSW2")
    days[d(8)] = Day(d(8), "no_record")
    days[d(9)] = Day(d(9), "present", departure_code="PSW4")
    result = compute(RULES, month(days, minutes=6075))
    assert result.performance_factor == Decimal("0.9")
    assert result.performance_part == 2_700_000
    assert [(line.code, line.amount) for line in result.deductions] == [
        ("TL1", 25_000), ("TL1", 25_000), ("TL3", 62_500), ("PSW2", 50_000), ("TK", 150_000), ("PSW4", 75_000)]
    assert result.discipline_base == 2_000_000
    assert result.discipline_part == 1_612_500
    assert result.gross == 4_312_500
    assert result.contribution == 43_125
    assert result.tax == 215_625
    assert result.net == 4_053_750
    assert (result.deducted("tl"), result.deducted("psw"), result.deducted("tk")) == (112_500, 125_000, 150_000)


@pytest.mark.parametrize("field, code, deduction", [
    ("arrival_code", "TL1", 25_000),
    ("arrival_code", "TL2", 50_000),
    ("arrival_code", "TL3", 62_500),
    ("arrival_code", "TL4", 75_000),
    ("departure_code", "PSW1", 25_000),
    ("departure_code", "PSW2", 50_000),
    ("departure_code", "PSW3", 62_500),
    ("departure_code", "PSW4", 75_000),
])
def test_each_band_of_late_arrival_and_early_departure(field, code, deduction):
    day = date(2026, 4, 14)
    days = on_time()
    days[day] = Day(day, "present", **{field: code})
    result = compute(RULES, month(days))
    assert [(line.code, line.day, line.amount) for line in result.deductions] == [(code, day, deduction)]
    assert result.performance_part == 3_000_000
    assert result.discipline_part == 2_000_000 - deduction


# (description, day statuses over the month, expected deduction total, discipline part, warnings)
ABSENCE_CASES = [
    ("three days absent without reason", {1: ("no_record", None), 2: ("no_record", None), 6: ("no_record", None)},
     450_000, 1_550_000, 0),
    ("a working day without any attendance row counts as TK", {7: None}, 150_000, 1_850_000, 0),
    ("annual leave is not deducted", {8: ("leave", "cuti_tahunan"), 9: ("leave", "cuti_tahunan")}, 0, 2_000_000, 0),
    ("major leave follows the leave table (3% a day)", {8: ("leave", "cuti_besar"), 9: ("leave", "cuti_besar")},
     300_000, 1_700_000, 0),
    ("sick leave is 0% by default", {10: ("leave", "cuti_sakit")}, 0, 2_000_000, 0),
    ("an unknown leave type deducts nothing and warns", {10: ("leave", "cuti_lain")}, 0, 2_000_000, 1),
    ("official travel is not deducted", {13: ("travel", "dinas_luar"), 14: ("travel", "dinas_luar"),
                                         15: ("travel", "dinas_luar")}, 0, 2_000_000, 0),
    ("the attendance's own holiday on a working day is not deducted", {16: ("holiday", None)}, 0, 2_000_000, 0),
    ("a record on the public holiday is ignored", {3: ("no_record", None)}, 0, 2_000_000, 0),
]


@pytest.mark.parametrize("description, changes, total, discipline, warnings", ABSENCE_CASES,
                         ids=[c[0] for c in ABSENCE_CASES])
def test_absences_leave_travel_and_holidays(description, changes, total, discipline, warnings):
    days = on_time()
    for day_of_month, change in changes.items():
        day = date(2026, 4, day_of_month)
        if change is None:
            days.pop(day)
        else:
            days[day] = Day(day, change[0], leave_type=change[1])
    result = compute(RULES, month(days))
    assert result.deduction_total == total
    assert result.discipline_part == discipline
    assert len(result.warnings) == warnings


def test_deductions_never_take_the_discipline_part_below_zero():
    days = {d: Day(d, "no_record") for d in APRIL}
    result = compute(RULES, month(days, minutes=0))
    assert result.deduction_total == 21 * 150_000
    assert result.deduction_applied == 2_000_000
    assert (result.performance_part, result.discipline_part, result.gross, result.net) == (0, 0, 0, 0)


def test_a_missed_assembly_on_a_day_present():
    day = date(2026, 4, 21)
    result = compute(RULES, month(missed_apel=frozenset({day})))
    assert [(line.code, line.amount) for line in result.deductions] == [("APEL", 25_000)]


def test_unvalidated_work_lowers_only_the_performance_part():
    result = compute(RULES, month(minutes=3375))
    assert (result.performance_part, result.discipline_part) == (1_500_000, 2_000_000)


def test_minutes_above_target_are_capped():
    assert compute(RULES, month(minutes=9000)).performance_factor == 1


def test_periodic_grade_scales_the_performance_factor():
    result = compute(RULES, month(grade="butuh_perbaikan"))
    assert result.performance_factor == Decimal("0.9")
    assert result.performance_part == 2_700_000


def test_sanction_in_force_all_month_cuts_its_percentage():
    sanction = Sanction(date(2026, 1, 1), date(2026, 6, 30), "sedang")
    result = compute(RULES, month(sanctions=(sanction,)))
    assert result.sanction_pct == 25
    assert result.sanction_cut == 1_250_000
    assert (result.gross, result.contribution, result.tax, result.net) == (3_750_000, 37_500, 187_500, 3_525_000)


def test_sanction_from_mid_month_cuts_by_working_days_in_force():
    # 16-30 April holds 11 of the 21 working days: 25% x 11/21 of 5,000,000 = 654,761.90.
    sanction = Sanction(date(2026, 4, 16), date(2026, 10, 15), "sedang")
    result = compute(RULES, month(sanctions=(sanction,)))
    assert result.sanction_cut == 654_762


def test_sanction_percentage_of_the_decree_overrides_the_level():
    sanction = Sanction(date(2026, 1, 1), date(2026, 12, 31), "sedang", cut_pct=Decimal(30))
    assert compute(RULES, month(sanctions=(sanction,))).sanction_cut == 1_500_000


def test_mid_month_transfer_is_prorated_by_working_days():
    # 1-15 April: 10 working days in class 9 (5,000,000); 16-30 April: 11 in class 11 (7,000,000).
    placements = (Placement(date(2026, 3, 1), date(2026, 4, 15), 9, label="Seksi A"),
                  Placement(date(2026, 4, 16), date(2026, 12, 31), 11, label="Bidang B"))
    days = on_time()
    days[date(2026, 4, 6)] = Day(date(2026, 4, 6), "present", arrival_code="TL1")
    days[date(2026, 4, 20)] = Day(date(2026, 4, 20), "present", arrival_code="TL1")
    result = compute(RULES, month(days, placements=placements))
    assert result.days_covered == 21
    assert [line.amount for line in result.performance_lines] == [1_428_571, 2_200_000]
    assert [line.amount for line in result.discipline_lines] == [952_381, 1_466_667]
    assert [(line.day.day, line.amount) for line in result.deductions] == [(6, 25_000), (20, 35_000)]
    assert result.performance_part == 3_628_571
    assert result.discipline_part == 2_419_048 - 60_000
    assert result.gross == 5_987_619
    assert (result.contribution, result.tax, result.net) == (59_876, 299_381, 5_628_362)
    assert result.base_amount == 6_047_619


def test_joining_mid_month_prorates_pay_and_target():
    placements = (Placement(date(2026, 4, 16), date(2026, 12, 31), 9),)
    days = {d: Day(d, "present") for d in APRIL if d >= date(2026, 4, 16)}
    result = compute(RULES, month(days, minutes=3536, placements=placements))
    assert (result.days_covered, result.target_minutes, result.performance_factor) == (11, 3536, 1)
    assert result.performance_part == 1_571_429
    assert result.discipline_part == 1_047_619
    assert result.deduction_total == 0


def test_rounding_is_half_up_on_each_line():
    assert rupiah(Decimal("24998.5")) == 24_999 and rupiah(Decimal("24998.49")) == 24_998
    placements = (Placement(date(2026, 4, 1), date(2026, 4, 30), 8),)
    day = date(2026, 4, 14)
    days = on_time()
    days[day] = Day(day, "present", arrival_code="TL1")
    result = compute(RULES, month(days, placements=placements))
    assert result.deductions[0].amount == 24_999  # 0.5% of 4,999,700 = 24,998.5


@pytest.mark.parametrize("rank, employment, key, tax", [
    ("II/c", "pns", "II", 0),
    ("III/a", "pns", "III", 250_000),
    ("IV/b", "pns", "IV", 750_000),
    ("IX", "pppk", "PPPK IX", 250_000),
    ("V", "pppk", "PPPK V", 0),
])
def test_tax_by_rank_group(rank, employment, key, tax):
    assert tax_key(rank, employment) == key
    assert compute(RULES, month(tax_key=key)).tax == tax


def test_missing_tax_rate_or_base_is_refused_with_its_name():
    with pytest.raises(AllowanceError, match="golongan 'V'"):
        compute(RULES, month(tax_key="V"))
    rules = replace(RULES, base_amounts={k: v for k, v in BASES.items() if k != 9})
    with pytest.raises(AllowanceError, match="Kelas jabatan 9"):
        compute(rules, month())


def test_same_inputs_same_result():
    assert compute(RULES, month(minutes=5000)) == compute(RULES, month(minutes=5000))


def test_complete_rules_have_no_problems():
    assert check_rules(RULES) == {}


def test_rules_with_gaps_or_a_bad_split_are_named():
    bases = {k: v for k, v in BASES.items() if k != 7}
    problems = check_rules(replace(RULES, performance_pct=Decimal(70), discipline_pct=Decimal(20), base_amounts=bases))
    assert problems["performance_pct"] == problems["discipline_pct"]
    assert "berjumlah 90%; harus 100%" in problems["performance_pct"]
    assert problems["base_7"] == "Kelas jabatan 7 belum punya nilai dasar TPP."
    assert set(problems) == {"performance_pct", "discipline_pct", "base_7"}


def test_percentages_out_of_range_are_named():
    rules = replace(RULES, deductions={**RULES.deductions, "TK": Decimal(120)})
    assert check_rules(rules) == {"ded_TK": "Tidak masuk kerja tanpa keterangan (TK): persentase harus antara 0 dan 100."}


@pytest.mark.parametrize("complete, deducted", [(True, 75_000), (False, 20 * 150_000 + 75_000)])
def test_exceptions_only_with_every_other_day_on_time(complete, deducted):
    day = date(2026, 4, 14)
    result = compute(RULES, month({day: Day(day, "present", arrival_code="TL4")}, on_time_unless_listed=complete))
    assert result.deduction_total == deducted
