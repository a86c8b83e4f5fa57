"""WTForms classes for task forms and pages. Which form a diagram's form key uses is its task type's
business (`app.services.tasks.types`)."""
