"""One owner per transaction: the request or the job commits, services flush.

A service that commits takes the decision away from its caller: a view can no longer undo it when
a later step fails, and a job can no longer make its work one unit. Only three kinds of service
function may commit, each for a reason the caller cannot take over; they are listed here, and a
new `commit()` anywhere else in app/services fails this test.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "app" / "services"

# Commits the record a job will read, then enqueues the job, and undoes the record if the queue
# cannot be reached: a worker must find what it was sent, and the user must hear that Redis is down.
DISPATCHERS = {
    ("allowance/runs.py", "start"), ("allowance/runs.py", "_enqueue_pending"), ("allowance/runs.py", "resume"),
    ("allowance/runs.py", "compute_for_period"),
    ("cycle/periods.py", "request_close"), ("cycle/periods.py", "resume"), ("cycle/periods.py", "retry_failed"),
    ("designer/migration.py", "start_precheck"), ("designer/migration.py", "queue_all"),
}
# The body of a batch job: one transaction per chunk or per case, so that a worker killed halfway
# loses one chunk, and one case's failure is recorded without undoing the others.
BATCH_BODIES = {
    ("allowance/runs.py", "_compute_batch"), ("allowance/runs.py", "finish"),
    ("cycle/period_batches.py", "prepare_items"), ("cycle/period_batches.py", "_advance_chunk"),
    ("cycle/period_batches.py", "_advance_item"), ("cycle/period_batches.py", "finish"),
    ("cycle/periods.py", "close_period"),
    ("designer/migration.py", "precheck"), ("designer/migration.py", "_migrate_item"),
    ("designer/migration.py", "migrate_queued"),
    ("cases/timers.py", "fire_case"),
    ("tasks/escalation.py", "remind_overdue"), ("tasks/escalation.py", "escalate_overdue"),
}
# Runs its unit of work again whole when it loses a race for a unique version number.
RETRIED_UNITS = {("designer/processes.py", "deploy")}
ALLOWED = DISPATCHERS | BATCH_BODIES | RETRIED_UNITS


def _commits() -> set[tuple[str, str]]:
    found = set()
    for path in SERVICES.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "commit"):
                    found.add((path.relative_to(SERVICES).as_posix(), function.name))
    return found


def test_services_commit_only_where_the_caller_cannot():
    unexpected = _commits() - ALLOWED
    assert not unexpected, (
        f"services that commit: {sorted(unexpected)}. Flush instead and let the view or the job "
        "commit; if the function really is a dispatcher, a batch body or a retried unit, list it "
        "in tests/test_transactions.py with the others")


def test_the_list_names_only_functions_that_still_commit():
    stale = ALLOWED - _commits()
    assert not stale, f"listed as committing but they no longer do (remove them): {sorted(stale)}"
