"""What the shipped diagrams may call, registered by the app factory (every process that runs
steps: web, workers, CLI): the operators of their service tasks and the task type of each form key
of their user tasks. A new form key is one `TaskType` in its area's `task_types` module, listed
here."""
from app.engine import operations
from app.services.attendance import task_types as attendance_task_types
from app.services.complaints import operations as complaint_operations
from app.services.complaints import task_types as complaint_task_types
from app.services.cycle import operations as cycle_operations
from app.services.cycle import task_types as cycle_task_types
from app.services.monitoring import task_types as monitoring_task_types
from app.services.tasks import task_types as generic_task_types
from app.services.tasks import types


def register_operators() -> None:
    operations.register(cycle_operations)
    operations.register(complaint_operations)


def register_task_types() -> None:
    for area in (cycle_task_types, monitoring_task_types, attendance_task_types, complaint_task_types,
                 generic_task_types):
        types.register(*area.TASK_TYPES)
