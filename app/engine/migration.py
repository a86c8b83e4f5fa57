"""Moving a running case's workflow onto a newer version of its diagram.

Spiff's `SpecDiff` aligns the old version's task specs with the new one's (by BPMN id, then by
position) and lists what changed. On top of it this decides, per case, whether the move is safe:
what already happened must still mean the same thing in the new version, and what is active now
must still exist. A safe move swaps every task's spec for its counterpart, restarts waiting
elements whose definition changed, and predicts the not-yet-reached part again from the new
version; tasks already completed keep their data and history.
"""
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.util.diff import SpecDiff
from SpiffWorkflow.task import TaskState

from app.engine import serialization, spiff_internals

FINISHED = TaskState.COMPLETED | TaskState.CANCELLED
ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
AHEAD = TaskState.FUTURE | TaskState.LIKELY | TaskState.MAYBE

# Attributes whose change does not alter what a finished task did.
COSMETIC = frozenset({"bpmn_name", "description", "documentation", "lane", "extensions", "inputs"})
WHAT = {
    "outputs": "alur keluarnya", "inputs": "alur masuknya", "cond_task_specs": "kondisinya",
    "default_task_spec": "alur default-nya", "event_definition": "peristiwanya", "typename": "jenis elemennya",
    "extensions": "propertinya", "operation_name": "operatornya", "operation_params": "parameter operatornya",
    "cardinality": "jumlah pengulangannya", "data_input": "data pengulangannya", "condition": "syarat selesainya",
}


class MigrationError(Exception):
    """The case cannot be moved; the message says why, for HR."""


@dataclass
class _Part:
    workflow: object
    new_spec: object
    diff: SpecDiff
    changed: set = field(default_factory=set)   # ids of tasks whose spec changed
    removed: set = field(default_factory=set)   # ids of tasks whose spec is gone


@dataclass
class Plan:
    parts: list
    blockers: list[str]
    notes: list[str]

    @property
    def possible(self) -> bool:
        return not self.blockers


def _label(task) -> str:
    spec = task.task_spec
    return spec.bpmn_name or spec.bpmn_id or spec.name


def _describe(changes) -> str:
    return ", ".join(dict.fromkeys(WHAT.get(c, f"pengaturan '{c}'") for c in changes))


def _spec_diff(registry, old, new) -> SpecDiff:
    """Spiff aligns the task specs it reaches from the start along the flows; an event subprocess
    is started by its message, not by a flow, so it is aligned from its own spec as well."""
    diff = SpecDiff(registry, old, new)
    for name in getattr(old.start, "trigger_specs", ()):
        spec = old.task_specs[name]
        if spec not in diff.alignment:
            spiff_internals.align_from(diff, spec, old, new)
    return diff


def plan(workflow, new_spec, new_subprocess_specs: dict) -> Plan:
    registry = serialization.spec_registry()
    blockers, notes, parts = [], [], []
    workflows = [(workflow, new_spec)]
    for sub in workflow.subprocesses.values():
        target = new_subprocess_specs.get(sub.spec.name)
        if target is None:
            blockers.append(f"Subproses '{sub.spec.name}' sedang berjalan tetapi tidak ada lagi di versi baru.")
            continue
        workflows.append((sub, target))
    for wf, target in workflows:
        part = _Part(wf, target, _spec_diff(registry, wf.spec, target))
        for task in wf.tasks.values():
            aligned = part.diff.alignment.get(task.task_spec)
            changes = set(part.diff.comparisons.get(task.task_spec) or ())
            if aligned is None:
                part.removed.add(task.id)
                if task.has_state(FINISHED):
                    blockers.append(f"Langkah '{_label(task)}' sudah selesai tetapi dihapus di versi baru.")
                elif task.has_state(ACTIVE):
                    blockers.append(f"Langkah '{_label(task)}' sedang berjalan tetapi dihapus di versi baru.")
                continue
            if not changes:
                continue
            part.changed.add(task.id)
            if task.has_state(AHEAD):
                continue
            if "typename" in changes:
                blockers.append(f"Langkah '{_label(task)}' sudah dimulai tetapi jenis elemennya diubah.")
            elif task.has_state(FINISHED) and changes - COSMETIC:
                blockers.append(f"Langkah '{_label(task)}' sudah selesai, tetapi {_describe(changes - COSMETIC)} "
                                "diubah di versi baru.")
            elif task.has_state(TaskState.STARTED) and changes - COSMETIC - {"outputs"}:
                blockers.append(f"Langkah '{_label(task)}' sedang berjalan, tetapi "
                                f"{_describe(changes - COSMETIC - {'outputs'})} diubah di versi baru.")
            elif task.has_state(TaskState.WAITING) and changes - COSMETIC:
                notes.append(f"'{_label(task)}' yang sedang menunggu dimulai ulang dari saat migrasi.")
        parts.append(part)
    return Plan(parts, list(dict.fromkeys(blockers)), list(dict.fromkeys(notes)))


def _predicted_subtree(task) -> bool:
    return task.has_state(AHEAD) and all(_predicted_subtree(c) for c in task.children)


def _stale_ahead(task, part: _Part) -> bool:
    """Whether the predicted part below an active task was drawn from a spec that changed."""
    stack = [c for c in task.children if c.has_state(AHEAD)]
    while stack:
        child = stack.pop()
        if child.id in part.changed or child.id in part.removed:
            return True
        stack.extend(c for c in child.children if c.has_state(AHEAD))
    return False


def _predict_again(task) -> None:
    for child in list(task.children):
        if not child.triggered and _predicted_subtree(child):
            spiff_internals.remove_task(task.workflow, child.id)
    spiff_internals.predict_children(task)
    for child in task.children:
        if child.has_state(AHEAD):
            spiff_internals.predict(child, AHEAD)


def apply(migration: Plan, workflow, new_spec, new_subprocess_specs: dict) -> None:
    """Move the workflow in place; raises MigrationError when the plan has blockers or the result
    does not fit the new version (the caller then discards the workflow object)."""
    if not migration.possible:
        raise MigrationError(" ".join(migration.blockers))
    for part in migration.parts:
        wf = part.workflow
        stale = {t.id for t in wf.tasks.values() if t.has_state(ACTIVE) and (t.id in part.changed
                                                                            or _stale_ahead(t, part))}
        restart = {t.id for t in wf.tasks.values() if t.id in part.changed
                   and t.has_state(TaskState.WAITING | TaskState.ERROR)}
        wf.spec = part.new_spec
        for task in wf.tasks.values():
            aligned = part.diff.alignment.get(task.task_spec)
            if aligned is not None:
                task.task_spec = aligned
        for task_id in restart:
            if task_id in wf.tasks:
                wf.tasks[task_id].reset_branch(None)
        for task_id in stale - restart:
            if task_id in wf.tasks:
                _predict_again(wf.tasks[task_id])
        if wf.last_task is not None and wf.last_task.id not in wf.tasks:
            wf.last_task = None
    workflow.subprocess_specs = new_subprocess_specs
    for part in migration.parts:
        for task in part.workflow.tasks.values():
            if part.new_spec.task_specs.get(task.task_spec.name) is not task.task_spec:
                raise MigrationError(f"Langkah '{_label(task)}' tidak dapat dipetakan ke versi baru.")
