"""The monthly allowance (TPP) of one employee: a pure function of the rules and the month's facts.

DOMAIN.md, "TPP: the monthly allowance". Every line is rounded to whole rupiah (half up) when it is
computed and later lines use the rounded values. A month that spans a transfer is computed per
placement: each stretch pays its class's base in proportion to its working days, and each
deduction is a percentage of the base of the position held that day.

The labels and the rule check's messages are in the reader's language. A computed month is stored
and read later by HR and the employee, so its lines, warnings and errors are in Bahasa Indonesia.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.rules.ratings import GRADE_LABELS, GRADES

HUNDRED = Decimal(100)
CLASS_LEVELS = tuple(range(1, 18))

ATTENDANCE_CODES = ("TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4")
DEDUCTION_CODES = ATTENDANCE_CODES + ("TK", "APEL")
DEDUCTION_LABELS = {
    "TL1": _l("Terlambat 1-30 menit (TL1)"),
    "TL2": _l("Terlambat 31-60 menit (TL2)"),
    "TL3": _l("Terlambat 61-90 menit (TL3)"),
    "TL4": _l("Terlambat lebih dari 90 menit atau tanpa catatan datang (TL4)"),
    "PSW1": _l("Pulang 1-30 menit lebih awal (PSW1)"),
    "PSW2": _l("Pulang 31-60 menit lebih awal (PSW2)"),
    "PSW3": _l("Pulang 61-90 menit lebih awal (PSW3)"),
    "PSW4": _l("Pulang lebih dari 90 menit lebih awal atau tanpa catatan pulang (PSW4)"),
    "TK": _l("Tidak masuk kerja tanpa keterangan (TK)"),
    "APEL": _l("Tidak mengikuti apel"),
}
# Categories the recap sums, by the code's prefix.
CATEGORIES = ("tl", "psw", "tk", "leave", "apel")

# Annual leave and official travel never deduct (DOMAIN.md); the other leave types are a table.
ANNUAL_LEAVE = "cuti_tahunan"
TRAVEL = "dinas_luar"
LEAVE_TYPES = ("cuti_sakit", "cuti_besar", "cuti_melahirkan", "cuti_alasan_penting", "cltn")
LEAVE_LABELS = {
    ANNUAL_LEAVE: _l("Cuti tahunan"),
    TRAVEL: _l("Dinas luar"),
    "cuti_sakit": _l("Cuti sakit"),
    "cuti_besar": _l("Cuti besar"),
    "cuti_melahirkan": _l("Cuti melahirkan"),
    "cuti_alasan_penting": _l("Cuti karena alasan penting"),
    "cltn": _l("Cuti di luar tanggungan negara"),
}

SANCTION_LEVELS = ("ringan", "sedang", "berat")
SANCTION_LABELS = {"ringan": _l("Hukuman disiplin ringan"), "sedang": _l("Hukuman disiplin sedang"),
                   "berat": _l("Hukuman disiplin berat")}

# Rank groups: PNS golongan I-IV ("III/a" -> "III") and PPPK golongan I-XVII ("PPPK IX").
PNS_GROUPS = ("I", "II", "III", "IV")
PPPK_GROUPS = tuple(f"PPPK {g}" for g in (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"))
TAX_KEYS = PNS_GROUPS + PPPK_GROUPS


class AllowanceError(ValueError):
    """The rules cannot price this employee's month (a message for HR in Bahasa Indonesia)."""


@dataclass(frozen=True)
class Rules:
    performance_pct: Decimal
    discipline_pct: Decimal
    contribution_pct: Decimal
    base_amounts: Mapping[int, int]
    deductions: Mapping[str, Decimal]
    leave_deductions: Mapping[str, Decimal]
    sanction_cuts: Mapping[str, Decimal]
    grade_factors: Mapping[str, Decimal]
    tax_rates: Mapping[str, Decimal]


def _pct(value) -> Decimal:
    return Decimal(str(value))


def default_rules(base_amounts: Mapping[int, int] | None = None) -> Rules:
    """DOMAIN.md's defaults. Base amounts are the agency's own; none is assumed."""
    pppk_tax = {key: _pct(0 if i < 8 else 5 if i < 12 else 15) for i, key in enumerate(PPPK_GROUPS)}
    return Rules(
        performance_pct=_pct(60), discipline_pct=_pct(40), contribution_pct=_pct(1),
        base_amounts=dict(base_amounts or {}),
        deductions={"TL1": _pct("0.5"), "TL2": _pct(1), "TL3": _pct("1.25"), "TL4": _pct("1.5"),
                    "PSW1": _pct("0.5"), "PSW2": _pct(1), "PSW3": _pct("1.25"), "PSW4": _pct("1.5"),
                    "TK": _pct(3), "APEL": _pct("0.5")},
        leave_deductions={"cuti_sakit": _pct(0), "cuti_besar": _pct(3), "cuti_melahirkan": _pct(0),
                          "cuti_alasan_penting": _pct(0), "cltn": _pct(3)},
        sanction_cuts={"ringan": _pct(10), "sedang": _pct(25), "berat": _pct(50)},
        grade_factors={"sangat_baik": _pct(100), "baik": _pct(100), "butuh_perbaikan": _pct(90),
                       "kurang": _pct(80), "sangat_kurang": _pct(70)},
        tax_rates={"I": _pct(0), "II": _pct(0), "III": _pct(5), "IV": _pct(15), **pppk_tax},
    )


def check_rules(rules: Rules) -> dict[str, str]:
    """Problems with a rule set, keyed by the form field they belong to; empty when it is usable."""
    problems: dict[str, str] = {}
    split = (rules.performance_pct, rules.discipline_pct)
    if None in split:
        for name, value in zip(("performance_pct", "discipline_pct"), split):
            if value is None:
                problems[name] = _("Persentase belum diisi.")
    elif rules.performance_pct + rules.discipline_pct != HUNDRED:
        message = _("Bagian kinerja (%(performance)s%%) dan bagian disiplin (%(discipline)s%%) berjumlah "
                    "%(total)s%%; harus 100%%.", performance=_show(rules.performance_pct),
                    discipline=_show(rules.discipline_pct), total=_show(rules.performance_pct + rules.discipline_pct))
        problems["performance_pct"] = message
        problems["discipline_pct"] = message
    for level in CLASS_LEVELS:
        amount = rules.base_amounts.get(level)
        if amount is None or amount <= 0:
            problems[f"base_{level}"] = _("Kelas jabatan %(level)s belum punya nilai dasar TPP.", level=level)
    percentages = [("contribution_pct", rules.contribution_pct, _("Iuran pegawai"))]
    percentages += [(f"ded_{code}", rules.deductions.get(code), DEDUCTION_LABELS[code]) for code in DEDUCTION_CODES]
    percentages += [(f"leave_{kind}", rules.leave_deductions.get(kind), LEAVE_LABELS[kind]) for kind in LEAVE_TYPES]
    percentages += [(f"sanction_{level}", rules.sanction_cuts.get(level), SANCTION_LABELS[level])
                    for level in SANCTION_LEVELS]
    percentages += [(f"grade_{grade}", rules.grade_factors.get(grade),
                     _("Faktor predikat %(grade)s", grade=GRADE_LABELS[grade])) for grade in GRADES]
    percentages += [(tax_field(key), rules.tax_rates.get(key), _("Pajak golongan %(group)s", group=key))
                    for key in TAX_KEYS]
    for name, value, label in percentages:
        if value is None:
            problems[name] = _("%(label)s: persentase belum diisi.", label=label)
        elif not 0 <= value <= HUNDRED:
            problems[name] = _("%(label)s: persentase harus antara 0 dan 100.", label=label)
    return problems


def tax_field(key: str) -> str:
    return "tax_" + key.replace(" ", "_")


def tax_key(rank_group: str, employment_type: str) -> str:
    """'III/a' (PNS) -> 'III'; 'IX' (PPPK) -> 'PPPK IX'."""
    group = (rank_group or "").split("/")[0].strip().upper()
    return f"PPPK {group}" if employment_type == "pppk" else group


def rupiah(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _show(value: Decimal) -> str:
    """A percentage as the reader writes it (0,5 in Bahasa Indonesia); without a request (a
    script, these rules' tests) as in Bahasa Indonesia."""
    return format_decimal(value, "0.#", locale=get_locale() or "id", decimal_quantization=False)


@dataclass(frozen=True)
class Day:
    """One classified day of attendance (the monitoring's `attendance_day`)."""

    day: date
    status: str  # present | no_record | leave | travel | holiday
    arrival_code: str | None = None
    departure_code: str | None = None
    leave_type: str | None = None


@dataclass(frozen=True)
class Placement:
    """A stretch of the month in one position."""

    start: date
    end: date
    class_level: int
    unit_id: int | None = None
    position_id: int | None = None
    label: str = ""


@dataclass(frozen=True)
class Sanction:
    start: date
    end: date
    level: str
    cut_pct: Decimal | None = None
    label: str = ""


@dataclass(frozen=True)
class MonthInput:
    working_days: tuple[date, ...]
    placements: tuple[Placement, ...]
    days: Mapping[date, Day]
    validated_minutes: int
    # The monthly target of validated minutes (the monitoring's setting; DOMAIN.md: 6,750).
    target_minutes: int
    tax_key: str
    grade: str | None = None
    sanctions: tuple[Sanction, ...] = ()
    missed_apel: frozenset[date] = frozenset()
    # True when `days` holds only the exceptions and every other working day has a record of the
    # employee present and on time; otherwise a working day missing from `days` is an absence (TK).
    on_time_unless_listed: bool = False


@dataclass(frozen=True)
class Line:
    """One rupiah amount and why: `pct` of `basis`, for `day` when it is a daily deduction."""

    code: str
    label: str
    amount: int
    category: str = ""
    day: date | None = None
    pct: Decimal | None = None
    basis: int | None = None


@dataclass(frozen=True)
class Result:
    working_days: int
    days_covered: int
    base_amount: int
    target_minutes: int
    validated_minutes: int
    performance_factor: Decimal
    grade: str | None
    grade_factor: Decimal
    performance_lines: tuple[Line, ...]
    performance_part: int
    discipline_lines: tuple[Line, ...]
    discipline_base: int
    deductions: tuple[Line, ...]
    deduction_total: int
    deduction_applied: int
    discipline_part: int
    sanction_pct: Decimal
    sanction_cut: int
    gross: int
    contribution_pct: Decimal
    contribution: int
    tax_pct: Decimal
    tax: int
    net: int
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def deducted(self, category: str) -> int:
        return sum(line.amount for line in self.deductions if line.category == category)


def _daily_lines(rules: Rules, inp: MonthInput, day: date, base: int, warnings: list[str]) -> list[Line]:
    record = inp.days.get(day)
    if record is not None:
        status = record.status
    else:
        status = "present" if inp.on_time_unless_listed else "no_record"

    def line(code, label, pct, category):
        return Line(code, str(label), rupiah(pct / HUNDRED * base), category, day, pct, base)

    if status == "present":
        codes = (record.arrival_code, record.departure_code) if record else ()
        lines = [line(code, DEDUCTION_LABELS[code], rules.deductions[code], code.rstrip("1234").lower())
                 for code in codes if code]
        if day in inp.missed_apel:
            lines.append(line("APEL", DEDUCTION_LABELS["APEL"], rules.deductions["APEL"], "apel"))
        return lines
    if status == "no_record":
        label = DEDUCTION_LABELS["TK"] if record else DEDUCTION_LABELS["TK"] + ": tidak ada catatan kehadiran"
        return [line("TK", label, rules.deductions["TK"], "tk")]
    if status == "leave":
        kind = record.leave_type or ""
        if kind in (ANNUAL_LEAVE, TRAVEL):
            return []
        pct = rules.leave_deductions.get(kind)
        if pct is None:
            warnings.append(f"Jenis cuti '{kind}' belum diatur di aturan TPP; {day:%d-%m-%Y} tidak dipotong.")
            return []
        if pct == 0:
            return []
        return [line(f"CUTI:{kind}", LEAVE_LABELS.get(kind, kind), pct, "leave")]
    return []  # official travel, or a day the attendance marks as no working day


def compute(rules: Rules, inp: MonthInput) -> Result:
    """The month's allowance; its labels, warnings and errors in Bahasa Indonesia, as they are stored."""
    with force_locale("id"):
        return _compute(rules, inp)


def _compute(rules: Rules, inp: MonthInput) -> Result:
    month_days = len(inp.working_days)
    if month_days == 0:
        raise AllowanceError("Bulan ini tidak punya hari kerja menurut kalender instansi.")
    warnings: list[str] = []
    stretches = []
    for placement in sorted(inp.placements, key=lambda p: p.start):
        days = [d for d in inp.working_days if placement.start <= d <= placement.end]
        if not days:
            continue
        base = rules.base_amounts.get(placement.class_level)
        if not base:
            raise AllowanceError(f"Kelas jabatan {placement.class_level} belum punya nilai dasar TPP.")
        stretches.append((placement, base, days))
    covered = sum(len(days) for _p, _b, days in stretches)

    target = rupiah(Decimal(inp.target_minutes) * covered / month_days)
    minutes_factor = min(Decimal(1), Decimal(inp.validated_minutes) / target) if target else Decimal(0)
    grade_factor = rules.grade_factors.get(inp.grade, HUNDRED) if inp.grade else HUNDRED
    factor = minutes_factor * grade_factor / HUNDRED

    performance_lines, discipline_lines, deductions = [], [], []
    for placement, base, days in stretches:
        share = Decimal(len(days)) / month_days
        where = f" ({placement.label}, {len(days)} dari {month_days} hari kerja)" if len(stretches) > 1 or share != 1 else ""
        performance_lines.append(Line(
            "KINERJA", f"Bagian kinerja {_show(rules.performance_pct)}% x faktor kinerja{where}",
            rupiah(rules.performance_pct / HUNDRED * base * factor * share), basis=base))
        discipline_lines.append(Line(
            "DISIPLIN", f"Bagian disiplin {_show(rules.discipline_pct)}%{where}",
            rupiah(rules.discipline_pct / HUNDRED * base * share), basis=base))
        for day in days:
            deductions += _daily_lines(rules, inp, day, base, warnings)

    performance_part = sum(line.amount for line in performance_lines)
    discipline_base = sum(line.amount for line in discipline_lines)
    deduction_total = sum(line.amount for line in deductions)
    deduction_applied = min(deduction_total, discipline_base)
    discipline_part = discipline_base - deduction_applied

    sanction_pct = _sanction_pct(rules, inp, [d for _p, _b, days in stretches for d in days])
    sanction_cut = rupiah(sanction_pct / HUNDRED * (performance_part + discipline_part))
    gross = performance_part + discipline_part - sanction_cut
    contribution = rupiah(rules.contribution_pct / HUNDRED * gross)
    tax_pct = rules.tax_rates.get(inp.tax_key)
    if tax_pct is None:
        raise AllowanceError(f"Tarif pajak untuk golongan '{inp.tax_key}' belum diatur di aturan TPP.")
    tax = rupiah(tax_pct / HUNDRED * gross)
    base_amount = rupiah(sum((Decimal(b) * len(days) / month_days for _p, b, days in stretches), Decimal(0)))
    return Result(
        working_days=month_days, days_covered=covered, base_amount=base_amount, target_minutes=target,
        validated_minutes=inp.validated_minutes, performance_factor=factor, grade=inp.grade,
        grade_factor=grade_factor, performance_lines=tuple(performance_lines), performance_part=performance_part,
        discipline_lines=tuple(discipline_lines), discipline_base=discipline_base, deductions=tuple(deductions),
        deduction_total=deduction_total, deduction_applied=deduction_applied, discipline_part=discipline_part,
        sanction_pct=sanction_pct, sanction_cut=sanction_cut, gross=gross,
        contribution_pct=rules.contribution_pct, contribution=contribution, tax_pct=tax_pct, tax=tax,
        net=gross - contribution - tax, warnings=tuple(warnings),
    )


def _sanction_pct(rules: Rules, inp: MonthInput, covered_days: list[date]) -> Decimal:
    """The cut in force, averaged over the employee's working days of the month.

    A sanction covering the whole month cuts its full percentage; one that starts or ends inside
    the month cuts in proportion to the working days it covers; when two overlap, the larger
    applies on each day."""
    if not covered_days or not inp.sanctions:
        return Decimal(0)
    total = Decimal(0)
    for day in covered_days:
        in_force = [s.cut_pct if s.cut_pct is not None else rules.sanction_cuts.get(s.level, Decimal(0))
                    for s in inp.sanctions if s.start <= day <= s.end]
        total += max(in_force, default=Decimal(0))
    return total / len(covered_days)
