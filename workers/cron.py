"""The `rq cron` schedule: `rq cron workers/cron.py --url $REDIS_URL`, one process beside the workers.

Timers are scheduled one by one at their due time (workers run `--with-scheduler`); this sweep is
the safety net for a job that was lost (Redis flushed, scheduling failed while Redis was down) and
for reminders and escalations of overdue tasks, which are only ever swept.
"""
from rq import cron

from workers import jobs
from workers.queue import QUEUE_NAME

SWEEP_SECONDS = 60

cron.register(jobs.sweep, queue_name=QUEUE_NAME, interval=SWEEP_SECONDS, job_timeout=600)
