"""Errors services raise for the web layer to turn into messages or status codes."""


class ServiceError(Exception):
    """Bad input or a refused act, with a message for the user in Bahasa Indonesia."""


class Forbidden(ServiceError):
    """The user may not see or do this (the web layer answers 403)."""


class NotFound(ServiceError):
    pass


class TaskNotOpen(ServiceError):
    """The task was completed or cancelled meanwhile; the web layer shows the case as it is now."""
