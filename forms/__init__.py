"""WTForms classes for task forms and pages, and the registry from a diagram's form key to its form."""
from forms.registry import FORM_REGISTRY, TaskFormSpec

__all__ = ["FORM_REGISTRY", "TaskFormSpec"]
