"""Every private SpiffWorkflow name the adapter relies on, and the one module allowed to touch them.

Why SpiffWorkflow is pinned to 3.2.0 (pyproject.toml): the adapter needs a few things Spiff has
no public API for, and Spiff changes its underscored names between minor releases without notice.
Each one is wrapped below with the reason it is needed; nothing else in the app uses an
underscored Spiff name or one of Spiff's internal-data keys. tests/engine/test_spiff_internals.py
checks every name and behaviour used here against the installed Spiff, so an upgrade that removes
or changes one fails there, naming this module, instead of corrupting stored cases at run time.
To upgrade: bump the pin, run that test, and adapt only this module.
"""
from uuid import UUID

from SpiffWorkflow.task import TaskState

# Spiff's timer events keep their deadline and whether they fired in the task's internal data
# under these keys (TimerEventDefinition.has_fired reads them; they are stored with the case).
EVENT_VALUE = "event_value"
EVENT_FIRED = "event_fired"


# -- timers ------------------------------------------------------------------------------
# The runner fires timers by its own clock and sets their deadlines in working days of the agency
# calendar (runner.py, timers.py); Spiff only offers its own wall-clock check, so both write the
# state Spiff's timer events read.

def timer_value(task):
    """The timer's deadline as Spiff stores it (an ISO text once set), or None before it is set."""
    return task._get_internal_data(EVENT_VALUE)


def set_timer_value(task, value) -> None:
    task._set_internal_data(**{EVENT_VALUE: value})


def timer_fired(task) -> bool:
    return task._get_internal_data(EVENT_FIRED, False)


def mark_timer_fired(task) -> None:
    """Make Spiff treat the timer as fired at its next refresh."""
    task._set_internal_data(**{EVENT_FIRED: True})


# -- retry -------------------------------------------------------------------------------

def force_ready(task) -> None:
    """Put a task in ERROR back to READY so HR's retry runs it again.

    The public `Task.state` setter refuses a step backwards (ERROR is above READY), and Spiff has
    no public "retry" for a task; `_set_state` is the method its own engine uses to move a task."""
    task._set_state(TaskState.READY)


# -- serialization -----------------------------------------------------------------------
# The fast converter (serialization.py) writes the tree as Spiff's TaskConverter does, by ids.
# The public `parent`/`children` properties take and give tasks, looked up in the workflow, which
# during a load are not all there yet; so the converter reads and writes the ids Spiff stores.

def tree_links(task) -> tuple[UUID | None, list[UUID]]:
    """The ids of the task's parent (None for the root) and children, as Spiff stores them."""
    return task._parent, task._children


def set_tree_links(task, parent: UUID | None, children: list[UUID]) -> None:
    task._parent = parent
    task._children = children


# -- migration ---------------------------------------------------------------------------
# Moving a running case to a new version (migration.py) needs what SpecDiff and the engine do
# internally: align one more part of the spec, drop a predicted branch, predict it again.

def align_from(diff, spec, original, new) -> None:
    """Align `spec` and everything reachable from it; `SpecDiff` itself starts only from the start
    event, so an event subprocess, started by its message, is never reached along the flows."""
    diff._align(spec, original, new)


def remove_task(workflow, task_id: UUID) -> None:
    """Remove a task and its subtree from the workflow (Spiff's own pruning of predicted tasks)."""
    workflow._remove_task(task_id)


def predict_children(task) -> None:
    """Let the task's (new) spec create its predicted children, as Spiff does when it predicts."""
    task.task_spec._predict_hook(task)


def predict(task, mask: int) -> None:
    """Predict the branch below `task` for the tasks whose state is in `mask`."""
    task.task_spec._predict(task, mask=mask)
