"""Deployed diagram versions: validated once, stored immutably, parsed once per sha256."""
import hashlib
import threading
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.engine import timers, validation
from app.engine.validation import DiagramRejected, Problem
from app.models import ProcessVersion


@dataclass(frozen=True)
class ParsedSpec:
    sha256: str
    process_id: str
    name: str
    spec: object
    subprocess_specs: dict
    # bpmn_id -> (name, lane, properties) for every user task, so mirrors need no spec walk.
    user_tasks: dict = field(default_factory=dict)


_cache: dict[str, ParsedSpec] = {}
# Versions are immutable, so a version id maps to one spec forever; this spares the hot path
# from loading the (large) BPMN text of the version row.
_by_version_id: dict[int, ParsedSpec] = {}
_lock = threading.Lock()


def sha256_of(xml: str) -> str:
    return hashlib.sha256(xml.encode("utf-8")).hexdigest()


def main_process_id(root) -> str:
    problems = validation.main_process_problems(root)
    if problems:
        raise DiagramRejected(problems)
    processes = list(root.iterfind(f"{{{validation.BPMN}}}process"))
    return next((p for p in processes if p.get("isExecutable") == "true"), processes[0]).get("id")


def _parse(xml: str, sha: str) -> ParsedSpec:
    root = validation.parse_xml(xml)
    process_id = main_process_id(root)
    parser = SpiffBpmnParser()
    try:
        parser.add_bpmn_str(xml.encode("utf-8"), filename=f"{process_id}.bpmn")
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as err:
        raise DiagramRejected([Problem(err.id or "-", err.name or "", str(err).split(".")[0])]) from err
    user_tasks = {}
    for wf_spec in [spec, *subprocess_specs.values()]:
        _wire_event_subprocesses(wf_spec)
        for ts in wf_spec.task_specs.values():
            timers.use_step_clock(ts)
            if getattr(ts, "manual", False):
                props = (getattr(ts, "extensions", None) or {}).get("properties", {})
                user_tasks[ts.bpmn_id] = (ts.bpmn_name or ts.bpmn_id, ts.lane, props)
    return ParsedSpec(sha, process_id, spec.description or process_id, spec, subprocess_specs, user_tasks)


def _wire_event_subprocesses(wf_spec) -> None:
    """Wire each message-started event subprocess the way Spiff does on its first message.

    Spiff connects such a subprocess to the process's start and end the first time a message
    starts one, which changes the shared, cached spec: every workflow started after that would
    start an instance at once, and the cases of one process would differ by which worker served
    them. Wired here, it is the same in every process from the start. Only the inputs list names
    the start task, so a new workflow does not open an instance before the first message."""
    start = wf_spec.start
    for name in getattr(start, "trigger_specs", ()):
        event_subprocess = wf_spec.task_specs[name]
        if start not in event_subprocess.inputs:
            event_subprocess.inputs = [*event_subprocess.inputs, start]
            event_subprocess.connect(wf_spec.end)


def parse(xml: str) -> ParsedSpec:
    sha = sha256_of(xml)
    cached = _cache.get(sha)
    if cached is None:
        with _lock:
            cached = _cache.get(sha) or _parse(xml, sha)
            _cache[sha] = cached
    return cached


def for_version(version: ProcessVersion) -> ParsedSpec:
    cached = _cache.get(version.sha256)
    return cached if cached is not None else parse(version.bpmn_xml)


def for_version_id(session: Session, version_id: int) -> ParsedSpec:
    parsed = _by_version_id.get(version_id)
    if parsed is None:
        parsed = for_version(session.get(ProcessVersion, version_id))
        _by_version_id[version_id] = parsed
    return parsed


def forget_version_ids() -> None:
    """Version ids are never reused in a real database; a test database that is emptied between
    tests reuses them, so its fixtures call this."""
    with _lock:
        _by_version_id.clear()


def validate(xml: str, form_keys: frozenset[str], operator_names: frozenset[str]) -> ParsedSpec:
    """Raise DiagramRejected listing every problem; return the parsed spec when clean."""
    root = validation.parse_xml(xml)
    problems = validation.check(root, form_keys, operator_names)
    if problems:
        raise DiagramRejected(problems)
    return parse(xml)


def deploy(
    session: Session,
    xml: str,
    form_keys: frozenset[str],
    operator_names: frozenset[str],
    deployed_by_id: int | None = None,
    note: str = "",
) -> ProcessVersion:
    """Store the next version and make it active; identical text re-uses the active version.

    Two deploys at once may pick the same number; the unique (process_id, version) constraint
    refuses the second, whose caller rolls back and tries again (see services.designer)."""
    parsed = validate(xml, form_keys, operator_names)
    active = active_version(session, parsed.process_id)
    if active is not None and active.sha256 == parsed.sha256:
        return active
    latest = session.scalar(
        select(func.max(ProcessVersion.version)).where(ProcessVersion.process_id == parsed.process_id)
    )
    version = ProcessVersion(
        process_id=parsed.process_id,
        version=(latest or 0) + 1,
        name=parsed.name,
        bpmn_xml=xml,
        sha256=parsed.sha256,
        is_active=True,
        note=note,
        deployed_by_id=deployed_by_id,
    )
    session.add(version)
    session.flush()
    _only_active(session, version)
    return version


def _only_active(session: Session, version: ProcessVersion) -> None:
    session.execute(
        update(ProcessVersion)
        .where(ProcessVersion.process_id == version.process_id, ProcessVersion.id != version.id,
               ProcessVersion.is_active.is_(True))
        .values(is_active=False)
    )


def activate(session: Session, version: ProcessVersion) -> None:
    """Make an earlier (or later) version the one new cases start on; running cases are untouched."""
    version.is_active = True
    session.flush()
    _only_active(session, version)


def active_version(session: Session, process_id: str) -> ProcessVersion | None:
    return session.scalars(
        select(ProcessVersion).where(ProcessVersion.process_id == process_id, ProcessVersion.is_active.is_(True))
    ).first()
