"""The registry of Python operations that service tasks in a diagram may call.

Operations are registered by the services layer (the engine does not know the domain); an
unknown operator in a diagram is a deploy-time error.
"""
from dataclasses import dataclass
from typing import Any, Callable


class OperationError(Exception):
    """A domain failure inside an operation; the case goes to the error state with this message."""


@dataclass(frozen=True)
class Operation:
    name: str
    label: str
    func: Callable[..., Any]


_REGISTRY: dict[str, Operation] = {}


def operation(name: str, label: str):
    def register(func):
        _REGISTRY[name] = Operation(name=name, label=label, func=func)
        return func

    return register


def get(name: str) -> Operation | None:
    return _REGISTRY.get(name)


def names() -> frozenset[str]:
    return frozenset(_REGISTRY)

