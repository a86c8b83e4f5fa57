"""HR's process designer: which processes exist, drafts, validation, deploy, versions and rollback."""
import inspect
import random
import time
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import NotFound, ServiceError
from app.engine import changes, interchange, lanes, layout, operations, specs, validation
from app.engine.validation import DiagramRejected, Problem
from app.models import Case, ProcessDraft, ProcessVersion, User
from app.models.statuses import OPEN_CASE_STATUSES
from app.services.designer.deployment import WORKFLOWS_DIR, deploy_xml
from app.services.tasks import types as task_types

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Every round of a race has one winner, so N deploys at once need at most N attempts; a short random
# pause keeps the losers from colliding again in lockstep.
DEPLOY_ATTEMPTS = 12


class DraftConflict(ServiceError):
    """Someone else saved the draft since it was opened; the caller keeps the user's copy."""


@dataclass
class ProcessSummary:
    process_id: str
    name: str
    active: ProcessVersion | None
    versions: int
    running: int
    draft: ProcessDraft | None
    shipped: str | None


@lru_cache(maxsize=1)
def _shipped_index(stamp: tuple) -> dict[str, str]:
    index = {}
    for path in sorted(WORKFLOWS_DIR.glob("*.bpmn")):
        try:
            index[specs.main_process_id(validation.parse_xml(path.read_text(encoding="utf-8")))] = path.name
        except DiagramRejected:
            continue  # a broken shipped file is reported by deploy_shipped, not hidden here
    return index


def shipped_processes() -> dict[str, str]:
    """process id -> file name of the diagrams shipped in workflows/ (re-read when a file changes)."""
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(WORKFLOWS_DIR.glob("*.bpmn")))
    return _shipped_index(stamp)


def process_ids(session: Session) -> list[str]:
    deployed = set(session.scalars(select(ProcessVersion.process_id).distinct()))
    drafts = set(session.scalars(select(ProcessDraft.process_id)))
    return sorted(deployed | drafts | set(shipped_processes()))


def overview(session: Session) -> list[ProcessSummary]:
    counts = dict(session.execute(
        select(ProcessVersion.process_id, func.count()).group_by(ProcessVersion.process_id)).all())
    running = dict(session.execute(
        select(Case.process_id, func.count()).where(Case.status.in_(OPEN_CASE_STATUSES))
        .group_by(Case.process_id)).all())
    drafts = {d.process_id: d for d in session.scalars(select(ProcessDraft))}
    shipped = shipped_processes()
    rows = []
    for pid in process_ids(session):
        active = specs.active_version(session, pid)
        name = active.name if active else pid
        if active is None and pid in drafts:
            name = _process_name(drafts[pid].bpmn_xml) or pid
        rows.append(ProcessSummary(pid, name, active, counts.get(pid, 0), running.get(pid, 0), drafts.get(pid),
                                   shipped.get(pid)))
    return rows


def _process_name(xml: str) -> str:
    try:
        root = validation.parse_xml(xml)
        pid = specs.main_process_id(root)
    except DiagramRejected:
        return ""
    process = root.find(f"{{{validation.BPMN}}}process[@id='{pid}']")
    return process.get("name") or "" if process is not None else ""


def known_process(session: Session, process_id: str) -> None:
    if process_id not in process_ids(session):
        raise NotFound(_("Proses tidak ditemukan."))


def draft_of(session: Session, process_id: str) -> ProcessDraft | None:
    return session.scalars(select(ProcessDraft).where(ProcessDraft.process_id == process_id)).first()


def working_xml(session: Session, process_id: str) -> tuple[str, str]:
    """What the modeler opens: the draft, else the active version, else the shipped file; with DI."""
    draft = draft_of(session, process_id)
    if draft is not None:
        return layout.with_diagram(draft.bpmn_xml), "draft"
    active = specs.active_version(session, process_id)
    if active is not None:
        return layout.with_diagram(active.bpmn_xml), "active"
    name = shipped_processes().get(process_id)
    if name is None:
        raise NotFound(_("Proses tidak ditemukan."))
    return layout.with_diagram((WORKFLOWS_DIR / name).read_text(encoding="utf-8")), "shipped"


def problems_in(xml: str) -> list[Problem]:
    """Every problem the validate action lists; empty when the diagram can be deployed."""
    try:
        root = validation.parse_xml(xml)
    except DiagramRejected as err:
        return err.problems
    problems = validation.check(root, task_types.keys(), operations.names())
    if problems:
        return problems
    try:
        specs.parse(xml)
    except DiagramRejected as err:
        return err.problems
    return []


def _own_process(xml: str, process_id: str) -> str:
    """The diagram in this product's terms, refused when it is not this process."""
    root = validation.parse_xml(xml)
    found = specs.main_process_id(root)
    if found != process_id:
        raise DiagramRejected([Problem("-", "", _("Diagram ini berisi proses '%(found)s', bukan '%(expected)s'. "
                                                  "Buka proses itu, atau unggah sebagai proses baru.",
                                                  found=found, expected=process_id))])
    return interchange.from_other_tools(xml)


def read_upload(data: bytes, filename: str) -> str:
    if not filename.lower().endswith((".bpmn", ".xml")):
        raise ServiceError(_("Berkas harus berekstensi .bpmn atau .xml."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ServiceError(_("Berkas terlalu besar (maksimum 2 MB)."))
    if not data.strip():
        raise ServiceError(_("Berkas kosong."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ServiceError(_("Berkas bukan teks UTF-8; simpan ulang diagram dari alat BPMN Anda.")) from err


def prepare_import(xml: str, process_id: str | None = None) -> tuple[str, str]:
    """An uploaded diagram ready for the modeler: this product's terms and DI. Returns (pid, xml)."""
    root = validation.parse_xml(xml)
    pid = specs.main_process_id(root)
    if process_id is not None:
        _own_process(xml, process_id)
    return pid, layout.with_diagram(interchange.from_other_tools(xml))


def save_draft(session: Session, user: User, process_id: str, xml: str, lock_version: int | None) -> ProcessDraft:
    """Store HR's working copy; no case and no version changes. `lock_version` is the draft version
    the editor opened (None for a new draft); a mismatch means someone else saved in between."""
    xml = _own_process(xml, process_id)
    draft = draft_of(session, process_id)
    if draft is None:
        if lock_version not in (None, 0):
            raise DraftConflict(_("Draf ini sudah dideploy atau dibuang oleh orang lain. Unduh salinan Anda, "
                                  "lalu buka ulang desainer."))
        active = specs.active_version(session, process_id)
        draft = ProcessDraft(process_id=process_id, bpmn_xml=xml, base_version_id=active.id if active else None,
                             updated_by_id=user.id, updated_at=utcnow())
        session.add(draft)
    else:
        if lock_version != draft.lock_version:
            who = draft.updated_by.display_name if draft.updated_by else _("pengguna lain")
            raise DraftConflict(_("Draf ini baru saja disimpan oleh %(who)s. Salinan Anda tidak hilang: unduh "
                                  "berkasnya, muat ulang desainer, lalu terapkan lagi perubahan Anda.", who=who))
        draft.bpmn_xml = xml
        draft.updated_by_id = user.id
        draft.updated_at = utcnow()
    session.flush()
    audit.record(session, user.id, "process_draft_saved", f"Draf proses {process_id} disimpan",
                 detail={"process_id": process_id})
    session.flush()
    return draft


def discard_draft(session: Session, user: User, process_id: str) -> None:
    draft = draft_of(session, process_id)
    if draft is None:
        return
    session.delete(draft)
    audit.record(session, user.id, "process_draft_discarded", f"Draf proses {process_id} dibuang",
                 detail={"process_id": process_id})
    session.flush()


def deploy(session: Session, user: User, process_id: str, note: str, xml: str | None = None) -> ProcessVersion:
    """Deploy the given text or the draft as the next version, with HR's note; the draft is then gone.

    Anything wrong leaves every version as it was. Two deploys at once get consecutive numbers: the
    one that loses the race on (process_id, version) starts again from the new latest version."""
    note = (note or "").strip()
    if not note:
        raise ServiceError(_("Catatan deploy wajib diisi: tulis apa yang berubah dan mengapa."))
    if xml is None:
        draft = draft_of(session, process_id)
        if draft is None:
            raise ServiceError(_("Belum ada draf untuk dideploy; simpan draf dahulu."))
        xml = draft.bpmn_xml
    xml = _own_process(xml, process_id)
    for _attempt in range(DEPLOY_ATTEMPTS):
        try:
            version = deploy_xml(session, xml, user.id, note)
            draft = draft_of(session, process_id)
            if draft is not None:
                session.delete(draft)
            audit.record(session, user.id, "process_deployed",
                         f"Proses {process_id} versi {version.version} dideploy: {note}",
                         detail={"process_id": process_id, "version": version.version})
            session.commit()
            return version
        except IntegrityError:
            session.rollback()
            time.sleep(random.uniform(0.01, 0.05))
    raise ServiceError(_("Terlalu banyak deploy bersamaan; tidak ada yang dideploy. Coba lagi sebentar lagi."))


def activate(session: Session, user: User, process_id: str, version_number: int, note: str = "") -> ProcessVersion:
    """Roll back (or forward): new cases start on this version; running cases stay on theirs."""
    version = session.scalars(select(ProcessVersion).where(
        ProcessVersion.process_id == process_id, ProcessVersion.version == version_number)).first()
    if version is None:
        raise NotFound(_("Versi tidak ditemukan."))
    if version.is_active:
        raise ServiceError(_("Versi %(version)s sudah aktif.", version=version_number))
    previous = specs.active_version(session, process_id)
    specs.activate(session, version)
    audit.record(session, user.id, "process_version_activated",
                 f"Proses {process_id}: versi {version_number} diaktifkan kembali"
                 + (f" menggantikan versi {previous.version}" if previous else "") + (f". {note}" if note else ""),
                 detail={"process_id": process_id, "version": version_number,
                         "previous": previous.version if previous else None})
    session.flush()
    return version


@dataclass
class VersionRow:
    version: ProcessVersion
    changes: list
    running: int


def versions(session: Session, process_id: str) -> list[VersionRow]:
    rows = session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                           .order_by(ProcessVersion.version.desc())).all()
    running = dict(session.execute(
        select(Case.process_version_id, func.count()).where(
            Case.process_id == process_id, Case.status.in_(OPEN_CASE_STATUSES))
        .group_by(Case.process_version_id)).all())
    by_number = {v.version: v for v in rows}
    out = []
    for v in rows:
        previous = by_number.get(v.version - 1)
        out.append(VersionRow(v, changes.cached_summary(previous.bpmn_xml if previous else None, v.bpmn_xml),
                              running.get(v.id, 0)))
    return out


def version(session: Session, process_id: str, number: int) -> ProcessVersion:
    row = session.scalars(select(ProcessVersion).where(
        ProcessVersion.process_id == process_id, ProcessVersion.version == number)).first()
    if row is None:
        raise NotFound(_("Versi tidak ditemukan."))
    return row


def _operator_parameters(func) -> list[str]:
    return [name for name in list(inspect.signature(func).parameters)[1:]]


def catalog() -> dict:
    """The pick-lists of the side panel, from the same registries deploy checks against, as JSON:
    the labels as text in the reader's language."""
    return {
        "lanes": [{"key": key, "label": str(lanes.LANE_LABELS.get(key, key))} for key in lanes.KNOWN_LANES],
        "forms": [{"key": t.key, "label": str(t.label), "help": str(t.help)} for t in task_types.all_types()],
        "operators": [{"key": name, "label": str(operations.get(name).label),
                       "parameters": _operator_parameters(operations.get(name).func)}
                      for name in sorted(operations.names())],
    }
