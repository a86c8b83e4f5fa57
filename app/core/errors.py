"""Errors services raise for the web layer to turn into messages or status codes."""


class ServiceError(Exception):
    """Bad input or a refused act, with a message for the user, translated where it is raised (a
    message that may also be stored is raised lazily; see `app.core.language`)."""


class Forbidden(ServiceError):
    """The user may not see or do this (the web layer answers 403)."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """What the user acted on changed meanwhile; the web layer shows the case as it is now.

    `case_id` names that case when the raiser knows it; without it the user is sent to the inbox."""

    def __init__(self, message: str, case_id: int | None = None):
        super().__init__(message)
        self.case_id = case_id


class TaskNotOpen(Conflict):
    """The task was completed or cancelled meanwhile."""
