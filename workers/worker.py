"""The `rq worker` class the app runs (`rq worker -w workers.worker.Worker`).

rq's SimpleWorker runs each job in the worker process itself (see WORKER_CLASS in
app/core/jobs/queue.py for why), with one change: its command channel polls every second instead
of every 60 s. rq listens for commands on a Redis pubsub channel in a thread, and at shutdown it
unsubscribes and joins that thread; when the unsubscription lands between two polls, redis-py
waits out the whole poll timeout for a subscription that never comes. A warm shutdown then took
up to a minute after the last job, longer than `docker stop`'s grace period.
"""
from rq.worker import SimpleWorker

# How long the command channel's thread waits per poll, so also the longest a shutdown waits for it.
COMMAND_POLL_SECONDS = 1


class Worker(SimpleWorker):
    def subscribe(self):
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=COMMAND_POLL_SECONDS, daemon=True, exception_handler=self._pubsub_exception_handler)
