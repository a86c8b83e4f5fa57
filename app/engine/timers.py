"""Timers that read the step's clock instead of the wall clock.

Spiff's timer events compare with the server's wall clock. A step here has one `now` (the runner's),
so a case advanced "as of" a time (the timer sweeper catching up, a test) sees that time in
its timers too, and a timer and the task it releases agree on the date.
"""
from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)

from app.core import clock
from app.engine import spiff_internals


def _step_now(my_task) -> datetime:
    context = getattr(my_task.workflow.script_engine, "context", None)
    return getattr(context, "now", None) or clock.utcnow()


class StepClockTimeDate(TimeDateEventDefinition):
    def has_fired(self, my_task):
        event_value = spiff_internals.timer_value(my_task)
        if event_value is None:
            event_value = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            spiff_internals.set_timer_value(my_task, event_value)
        if TimerEventDefinition.parse_time_or_duration(event_value) <= _step_now(my_task):
            spiff_internals.mark_timer_fired(my_task)
        return spiff_internals.timer_fired(my_task)


class StepClockDuration(DurationTimerEventDefinition):
    def has_fired(self, my_task):
        event_value = spiff_internals.timer_value(my_task)
        if event_value is None:
            expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            parsed = TimerEventDefinition.parse_iso_duration(expression)
            now = _step_now(my_task)
            event_value = (now + TimerEventDefinition.get_timedelta_from_start(parsed, now)).isoformat()
            spiff_internals.set_timer_value(my_task, event_value)
        if TimerEventDefinition.get_datetime(event_value) <= _step_now(my_task):
            spiff_internals.mark_timer_fired(my_task)
        return spiff_internals.timer_fired(my_task)


_REPLACEMENTS = {TimeDateEventDefinition: StepClockTimeDate, DurationTimerEventDefinition: StepClockDuration}


def use_step_clock(task_spec) -> None:
    """Switch a parsed timer event to the step clock (the definition's data stays as parsed)."""
    definition = getattr(task_spec, "event_definition", None)
    replacement = _REPLACEMENTS.get(type(definition))
    if replacement is not None:
        definition.__class__ = replacement
