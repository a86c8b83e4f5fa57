"""Jobs are named by dotted path (`workers.jobs.sweep`), so a job enqueued by the web process runs
the same function in an RQ worker or in the in-process runner."""
import importlib

SWEEP_JOB = "workers.jobs.sweep"
REMINDERS_JOB = "workers.jobs.send_reminders"
FIRE_TIMERS_JOB = "workers.jobs.fire_timers_at"


def resolve(name: str):
    module, _, func = name.rpartition(".")
    return getattr(importlib.import_module(module), func)
