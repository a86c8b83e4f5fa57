"""The `rq cron` schedule: `rq cron workers/cron.py --url $REDIS_URL`, one process beside the workers.

Timers are scheduled one by one at their due time (workers run `--with-scheduler`); this sweep is
the safety net for a job that was lost (Redis flushed, scheduling failed while Redis was down) and
for reminders and escalations of overdue tasks, which are only ever swept. The monitoring's daily
reminders (no log yesterday, validation overdue) run once a day.
"""
from rq import cron

from app.core.jobs.queue import QUEUE_NAME
from workers import jobs

SWEEP_SECONDS = 60

cron.register(jobs.sweep, queue_name=QUEUE_NAME, interval=SWEEP_SECONDS, job_timeout=600)
# Cron fields are in the cron process's local time; the image runs in UTC, so 01:00 is 08:00 WIB.
cron.register(jobs.send_reminders, queue_name=QUEUE_NAME, cron="0 1 * * *", job_timeout=1800)
