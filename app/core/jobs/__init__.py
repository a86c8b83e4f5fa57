"""Background jobs: enqueue by name to RQ (REDIS_URL set) or to the in-process runner thread,
schedule timer jobs after a step commits, and report queues and failures for the operations page."""
