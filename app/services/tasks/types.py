"""Task types: everything keyed by a form key (the `form` property of a diagram's user task).

One `TaskType` holds the form, the page, the help, the decisions, what completing it does to the
domain (the handler) and what its page shows beside the form. Each area declares its own types
next to its services (`<area>/task_types.py`) and the app factory registers them once, through
`app.services.wiring`; deploy validation, task completion and the task page all read this
registry, so a diagram can only use a form key that has all of them.

This module imports no area: the areas import it (an area whose handler needs `tasks` would
otherwise form a cycle with it).
"""
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import Case, HumanTask, User

# Gets the cleaned form data (plain dicts, no WTForms) and returns the small decisions the
# diagram's gateways read.
Handler = Callable[[Session, Case, HumanTask, User, dict], dict]
# What a task's page needs from the services, by template variable.
PageHook = Callable[[Session, HumanTask], dict]
# What the form shows before the user types; None for the form's own defaults.
InitialData = Callable[[Session, HumanTask], dict | None]


# The label, the help and the decisions' labels are lazy translations (`_l`): each page renders
# them in its reader's language.
@dataclass(frozen=True)
class TaskType:
    key: str
    label: str  # the inbox's "type" filter and the designer's pick-list
    form_class: type
    template: str
    help: str
    handler: Handler
    decisions: tuple[tuple[str, str], ...] = ()  # the choices of the form's `decision` field
    context: PageHook | None = None
    initial_data: InitialData | None = None


class DuplicateTaskType(ValueError):
    pass


_REGISTRY: dict[str, TaskType] = {}


def register(*task_types: TaskType) -> None:
    """Register each type under its key. Registering the very same type again is a no-op (every
    app the process creates registers them); another type under a taken key is refused."""
    for task_type in task_types:
        existing = _REGISTRY.get(task_type.key)
        if existing is not None and existing is not task_type:
            raise DuplicateTaskType(f"Jenis tugas '{task_type.key}' sudah terdaftar.")
        _REGISTRY[task_type.key] = task_type


def get(key: str) -> TaskType:
    return _REGISTRY[key]


def keys() -> frozenset[str]:
    return frozenset(_REGISTRY)


def all_types() -> list[TaskType]:
    return sorted(_REGISTRY.values(), key=lambda task_type: task_type.key)


def decision_labels() -> dict[str, str]:
    """Every decision's label by its value, for pages that show a decision already taken."""
    return {value: label for task_type in _REGISTRY.values() for value, label in task_type.decisions}
