"""The registry of Python operations that service tasks in a diagram may call.

The services layer marks its operations with `@operation` and the app factory registers them,
module by module, through `register(module)` (the engine does not know the domain); an unknown
operator in a diagram is a deploy-time error.
"""
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any


class OperationError(Exception):
    """A domain failure inside an operation; the case goes to the error state with this message."""


@dataclass(frozen=True)
class Operation:
    name: str
    label: str
    func: Callable[..., Any]


_REGISTRY: dict[str, Operation] = {}


def operation(name: str, label: str):
    """Mark a function as the operator `name`; it is callable from diagrams once registered."""
    def mark(func):
        func.operation = Operation(name=name, label=label, func=func)
        return func

    return mark


def register(module: ModuleType) -> None:
    """Make every operator marked in `module` callable from diagrams."""
    for value in vars(module).values():
        marked = getattr(value, "operation", None)
        if isinstance(marked, Operation):
            _REGISTRY[marked.name] = marked


def get(name: str) -> Operation | None:
    return _REGISTRY.get(name)


def names() -> frozenset[str]:
    return frozenset(_REGISTRY)

