"""Background jobs: RQ with Redis when REDIS_URL is set, an in-process runner thread otherwise."""
