"""Human tasks: the registry of task types by form key (`types`), inboxes, claim and release,
completing a task through the case runner with its task type's handler, escalation of overdue
tasks, and the navigation counts."""
