"""A Spiff script engine that never runs Python from a diagram.

Conditions, parameters and timer expressions go through `app.engine.expressions`; script tasks
are refused at deploy and, as a second line, here; service tasks call registered operations.
"""
import json

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from app.engine import expressions, operations

SCRIPT_REFUSED = "Script task tidak diizinkan: proses dimodelkan dengan tugas layanan dan ekspresi."


def _step_functions(context) -> dict | None:
    """What an expression's functions see of the step: `today()` is the step's date in the
    agency's zone, not the server's, so a step replayed or migrated later reads the same day."""
    return None if context is None else {"today": context.today}


class SafeEnvironment(BasePythonScriptEngineEnvironment):
    """Also used by Spiff directly (e.g. for correlation keys), so it must be safe on its own."""

    def __init__(self, context=None):
        super().__init__()
        self.context = context

    def evaluate(self, expression, context, external_context=None):
        return expressions.evaluate(expression, context, _step_functions(self.context))

    def execute(self, script, context, external_context=None):
        raise PermissionError(SCRIPT_REFUSED)

    def call_service(self, context, **kwargs):
        raise PermissionError("Layanan dipanggil lewat mesin skrip, bukan lingkungan.")


class SafeScriptEngine(PythonScriptEngine):
    def __init__(self, context):
        super().__init__(environment=SafeEnvironment(context))
        self.context = context
        self.functions = _step_functions(context)

    def validate(self, expression):
        expressions.validate(expression)

    def evaluate(self, task, expression, external_context=None):
        try:
            return expressions.evaluate(expression, task.data, self.functions)
        except (expressions.ExpressionError, expressions.UnsafeExpression) as err:
            raise WorkflowTaskException(str(err), task=task, exception=err) from err

    def execute(self, task, script, external_context=None):
        raise WorkflowTaskException(SCRIPT_REFUSED, task=task)

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        operation = operations.get(operation_name)
        if operation is None:
            raise WorkflowTaskException(f"Operasi '{operation_name}' tidak terdaftar", task=task)
        params = {name: param["value"] for name, param in (operation_params or {}).items()}
        try:
            result = operation.func(self.context.for_task(task), **params)
        except operations.OperationError as err:
            raise WorkflowTaskException(str(err), task=task, exception=err) from err
        return json.dumps(result)
