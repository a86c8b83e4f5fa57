"""HR's process designer: drafts, validation, deploy, versions, rollback, and migrating running
cases to a newer version."""
