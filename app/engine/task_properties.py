"""What a newly ready user task's inbox row shows, read from its `spiffworkflow:properties`.

`label` (the name shown, e.g. with the month), `period_key` (what the task belongs to; default the
`period` variable), `due_anchor` (a date the `due` duration counts from, to the end of that day, or
from now when that is later; default now) and `due_at` (an ISO date-time deadline computed by an
operation, used when there is no `due`; a bare one is in the agency's zone) are expressions over the
task's data. An empty value means the property's default. A property that fails (a missing
variable, a division by zero, a value that is not a date) is a failing step like any other: the
runner puts the case in error naming the task and the property, and HR retries after fixing the
data, rather than the task showing a made-up name or no due date.
"""
from dataclasses import dataclass
from datetime import date, datetime, time

from app.engine import expressions
from app.rules.working_days import WorkCalendar, due_date

# Working days past a task's due date before it is offered to its `escalate_to` role.
ESCALATE_AFTER = "P2D"


class PropertyFailed(Exception):
    """A task property could not be read; the message, for HR, names the property."""

    def __init__(self, key: str, reason: str):
        super().__init__(f"Properti '{key}' tidak dapat dihitung: {reason}")


@dataclass(frozen=True)
class InboxFields:
    """The row's fields read from the task's data. Its dates also need the agency calendar, a
    query the runner makes only after the case row is written (see `due_dates`)."""
    name: str
    period_key: str | None
    due_from: datetime
    deadline: datetime | None
    due: str | None
    escalate_after: str | None

    def due_dates(self, calendar: WorkCalendar) -> tuple[datetime | None, datetime | None]:
        """The due date (`due` counted from `due_from`, else the `due_at` deadline) and when the
        task is offered to its `escalate_to` role."""
        due_at = due_date(self.due_from, self.due, calendar) if self.due else self.deadline
        if due_at is None or self.escalate_after is None:
            return due_at, None
        return due_at, due_date(due_at, self.escalate_after, calendar)


def of(task_spec) -> dict:
    return (task_spec.extensions or {}).get("properties", {})


def _value(task, props: dict, key: str):
    if not props.get(key):
        return None
    try:
        return expressions.evaluate(props[key], task.data, task.workflow.script_engine.functions)
    except (expressions.ExpressionError, expressions.UnsafeExpression) as err:
        raise PropertyFailed(key, str(err)) from err


def _not_a(kind: str, value) -> str:
    return f"hasilnya {str(value)[:60]!r} bukan {kind} ISO"


def _due_from(task, props: dict, now: datetime) -> datetime:
    anchor = _value(task, props, "due_anchor")
    if not anchor:
        return now
    try:
        day = date.fromisoformat(str(anchor)[:10])
    except ValueError as err:
        raise PropertyFailed("due_anchor", _not_a("tanggal", anchor)) from err
    # An anchor already past (a month opened late) counts from now: no task is born overdue.
    return max(now, datetime.combine(day, time(23, 59), now.tzinfo))


def _deadline(task, props: dict, zone) -> datetime | None:
    value = _value(task, props, "due_at")
    if not value:
        return None
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError as err:
        raise PropertyFailed("due_at", _not_a("tanggal-waktu", value)) from err
    return at if at.tzinfo else at.replace(tzinfo=zone)


def read(task, now: datetime) -> InboxFields:
    """The inbox fields of a ready user task at `now` (in the agency's zone); raises PropertyFailed.

    Every property is read, even one that `due` makes unused: one that fails is a broken diagram."""
    spec = task.task_spec
    props = of(spec)
    name = _value(task, props, "label") or spec.bpmn_name or spec.bpmn_id
    period_key = _value(task, props, "period_key") or task.data.get("period")
    return InboxFields(
        name=str(name)[:200],
        period_key=str(period_key)[:20] if period_key else None,
        due_from=_due_from(task, props, now),
        deadline=_deadline(task, props, now.tzinfo),
        due=props.get("due") or None,
        escalate_after=(props.get("escalate_after") or ESCALATE_AFTER) if props.get("escalate_to") else None,
    )
