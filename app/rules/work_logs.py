"""Checks on a daily work-log entry: what is refused outright and what is only flagged.

Refused: an end time not after the start, a date in the future, a time overlapping another
entry of the same day. Flagged (kept, shown to the supervisor with the reason): a non-working
day, outside the day's working hours, and a day whose total passes the daily cap.

Refusals are shown at once, in the reader's language; flags are stored with the entry, so they stay
in Bahasa Indonesia.
"""
from dataclasses import dataclass, field
from datetime import date, time

from flask_babel import gettext as _


@dataclass(frozen=True)
class Slot:
    start: time
    end: time

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


@dataclass
class LogCheck:
    errors: dict = field(default_factory=dict)  # field name -> message
    flags: list = field(default_factory=list)
    minutes: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def check_entry(day: date, slot: Slot, today: date, is_working_day: bool, others: list[Slot],
                daily_cap: int, office_hours: Slot | None) -> LogCheck:
    """`others` are the employee's other entries on the same day (not the one being edited)."""
    check = LogCheck()
    if day > today:
        check.errors["day"] = _("Tanggal belum tiba; aktivitas hanya dapat dicatat untuk hari ini atau sebelumnya.")
    if slot.end <= slot.start:
        check.errors["end_time"] = _("Jam selesai harus setelah jam mulai.")
        return check
    check.minutes = slot.minutes
    for other in sorted(others, key=lambda s: s.start):
        if slot.start < other.end and other.start < slot.end:
            check.errors["start_time"] = _(
                "Waktu ini bertumpang tindih dengan entri lain pada hari yang sama (%(start)s–%(end)s).",
                start=hhmm(other.start), end=hhmm(other.end))
            break
    if not is_working_day:
        check.flags.append("Dicatat pada hari libur atau akhir pekan.")
    elif office_hours is not None and (slot.start < office_hours.start or slot.end > office_hours.end):
        check.flags.append(f"Di luar jam kerja ({hhmm(office_hours.start)}–{hhmm(office_hours.end)}).")
    total = check.minutes + sum(o.minutes for o in others)
    if total > daily_cap:
        check.flags.append(f"Total hari ini {total} menit, melebihi batas harian {daily_cap} menit.")
    return check
