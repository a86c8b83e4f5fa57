"""Deployed diagram versions: validated once, stored immutably, parsed once per sha256."""
import hashlib
import threading
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

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


def _main_process_id(root) -> str:
    processes = [p for p in root.iterfind(f"{{{validation.BPMN}}}process")]
    executable = [p for p in processes if p.get("isExecutable") == "true"]
    candidates = executable or processes
    if len(candidates) != 1:
        raise DiagramRejected(
            [Problem("-", "", "Diagram harus memiliki tepat satu proses utama (isExecutable=\"true\").")]
        )
    return candidates[0].get("id")


def _parse(xml: str, sha: str) -> ParsedSpec:
    root = validation.parse_xml(xml)
    process_id = _main_process_id(root)
    parser = SpiffBpmnParser()
    try:
        parser.add_bpmn_str(xml.encode("utf-8"), filename=f"{process_id}.bpmn")
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as err:
        raise DiagramRejected([Problem(err.id or "-", err.name or "", str(err).split(".")[0])]) from err
    user_tasks = {}
    for wf_spec in [spec, *subprocess_specs.values()]:
        for ts in wf_spec.task_specs.values():
            timers.use_step_clock(ts)
            if getattr(ts, "manual", False):
                props = (getattr(ts, "extensions", None) or {}).get("properties", {})
                user_tasks[ts.bpmn_id] = (ts.bpmn_name or ts.bpmn_id, ts.lane, props)
    return ParsedSpec(sha, process_id, spec.description or process_id, spec, subprocess_specs, user_tasks)


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
    """Store the next version and make it active; identical text re-uses the active version."""
    parsed = validate(xml, form_keys, operator_names)
    active = active_version(session, parsed.process_id)
    if active is not None and active.sha256 == parsed.sha256:
        return active
    latest = session.scalar(
        select(func.max(ProcessVersion.version)).where(ProcessVersion.process_id == parsed.process_id)
    )
    if active is not None:
        active.is_active = False
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
    return version


def active_version(session: Session, process_id: str) -> ProcessVersion | None:
    return session.scalars(
        select(ProcessVersion).where(ProcessVersion.process_id == process_id, ProcessVersion.is_active.is_(True))
    ).first()
