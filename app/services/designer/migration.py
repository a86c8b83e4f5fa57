"""Moving running cases to a newer version: a precheck of every case, then one case or all.

Both phases run as background jobs that commit one case at a time, so progress shows while they
run and a retried job continues where it stopped. A case that cannot move, or fails while
moving, stays on its old version exactly as it was; every attempt is written to its history.
"""
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import Forbidden, NotFound, ServiceError
from app.core.language import stored
from app.engine import specs
from app.engine.migration import MigrationError, plan
from app.engine.runner import CaseChanged, CaseRunner
from app.models import Case, MigrationItem, MigrationRun, ProcessVersion, User
from app.models.roles import Role
from app.models.statuses import OPEN_CASE_STATUSES, MigrationItemResult, MigrationRunState
from app.services.access import scope

BATCH = 50


def _hr_path(user: User) -> str:
    paths = sorted(user.scope_paths(Role.HR))
    if not paths:
        raise Forbidden(_("Hanya pengelola kinerja yang dapat memigrasikan kasus."))
    return paths[0]


def start_precheck(session: Session, user: User, from_version: ProcessVersion, to_version: ProcessVersion) -> MigrationRun:
    if from_version.process_id != to_version.process_id:
        raise ServiceError(_("Versi asal dan tujuan harus dari proses yang sama."))
    if from_version.id == to_version.id:
        raise ServiceError(_("Pilih versi tujuan yang berbeda dari versi asal."))
    unit_path = _hr_path(user)
    total = session.scalar(select(func.count()).select_from(Case).where(*_case_filter(from_version.id, unit_path)))
    run = MigrationRun(process_id=from_version.process_id, from_version_id=from_version.id,
                       to_version_id=to_version.id, unit_path=unit_path, state=MigrationRunState.CHECKING, total=total,
                       created_by_id=user.id, created_at=utcnow())
    session.add(run)
    session.flush()
    audit.record(session, user.id, "migration_precheck",
                 f"Pemeriksaan migrasi {from_version.process_id} v{from_version.version} ke v{to_version.version}: "
                 f"{total} kasus", detail={"run_id": run.id})
    session.commit()
    return run


def _case_filter(version_id: int, unit_path: str):
    return (Case.process_version_id == version_id, Case.status.in_(OPEN_CASE_STATUSES),
            Case.unit_path.like(f"{unit_path}%"))


def get_run(session: Session, user: User, run_id: int) -> MigrationRun:
    run = session.get(MigrationRun, run_id)
    if run is None:
        raise NotFound(_("Migrasi tidak ditemukan."))
    if not scope.is_hr_for(user, run.unit_path):
        raise Forbidden(_("Migrasi ini di luar wewenang Anda."))
    return run


def precheck(session: Session, run_id: int) -> None:
    """Job: list each case of the old version as migratable or not, with the reason."""
    run = session.get(MigrationRun, run_id)
    target = specs.for_version(run.to_version)
    done = set(session.scalars(select(MigrationItem.case_id).where(MigrationItem.run_id == run.id)))
    case_ids = [i for i in session.scalars(select(Case.id).where(*_case_filter(run.from_version_id, run.unit_path))
                                           .order_by(Case.id)) if i not in done]
    runner = CaseRunner(session)
    for start in range(0, len(case_ids), BATCH):
        for case_id in case_ids[start:start + BATCH]:
            case = session.get(Case, case_id)
            try:
                moved = plan(runner.load(case, None), target.spec, target.subprocess_specs)
                ok, reason = moved.possible, " ".join(moved.blockers or moved.notes)
            except Exception as err:  # a case whose state cannot even be read is reported, not fatal
                ok, reason = False, f"Keadaan kasus tidak dapat dibaca: {err}"
            session.add(MigrationItem(run_id=run.id, case_id=case_id, migratable=ok, reason=reason[:2000]))
        session.flush()
        _recount(session, run)
        session.commit()
    run.state = MigrationRunState.CHECKED
    _recount(session, run)
    session.commit()


def _recount(session: Session, run: MigrationRun) -> None:
    def count(*where):
        return session.scalar(select(func.count()).select_from(MigrationItem)
                              .where(MigrationItem.run_id == run.id, *where))

    run.checked = count()
    run.migratable = count(MigrationItem.migratable.is_(True))
    run.to_migrate = count(MigrationItem.queued.is_(True))
    run.migrated = count(MigrationItem.result == MigrationItemResult.MIGRATED)
    run.failed = count(MigrationItem.result == MigrationItemResult.FAILED)


def _migrate_item(session: Session, run: MigrationRun, item_id: int, actor_user_id: int | None) -> MigrationItem:
    """One case in its own transaction: either it moves and says so in its history, or nothing of
    it changes and the failure is written to its history instead."""
    session.commit()
    item = session.get(MigrationItem, item_id)
    case = item.case
    from_number, to_number = run.from_version.version, run.to_version.version
    try:
        if case.process_version_id != run.from_version_id:
            raise MigrationError("Kasus ini sudah tidak berada pada versi asal.")
        if case.status not in OPEN_CASE_STATUSES:
            raise MigrationError("Kasus ini sudah selesai.")
        notes = CaseRunner(session).migrate(case, run.to_version, actor_user_id)
        item.result, item.message = MigrationItemResult.MIGRATED, " ".join(notes)
    except (MigrationError, CaseChanged) as err:
        session.rollback()
        item = session.get(MigrationItem, item_id)
        reason = stored(err)  # CaseChanged's message is also shown, so it is raised lazily
        item.result, item.message = MigrationItemResult.FAILED, reason[:2000]
        audit.record(session, actor_user_id, "case_migration_failed",
                     f"Migrasi dari versi {from_number} ke versi {to_number} gagal; kasus tetap pada versi "
                     f"{from_number}: {reason}", case_id=item.case_id, detail={"run_id": run.id})
    item.queued = False
    item.done_at = utcnow()
    session.flush()
    _recount(session, run)
    session.commit()
    return item


def migrate_one(session: Session, user: User, run: MigrationRun, item_id: int) -> MigrationItem:
    item = session.get(MigrationItem, item_id)
    if item is None or item.run_id != run.id:
        raise NotFound(_("Kasus tidak ada dalam migrasi ini."))
    if item.result == MigrationItemResult.MIGRATED:
        raise ServiceError(_("Kasus ini sudah dimigrasikan."))
    return _migrate_item(session, run, item.id, user.id)


def queue_all(session: Session, user: User, run: MigrationRun) -> int:
    """Mark every migratable case not yet moved for the bulk job; returns how many."""
    if run.state == MigrationRunState.CHECKING:
        raise ServiceError(_("Pemeriksaan belum selesai; tunggu hingga semua kasus diperiksa."))
    queued = session.execute(
        update(MigrationItem)
        .where(MigrationItem.run_id == run.id, MigrationItem.migratable.is_(True), MigrationItem.result.is_(None))
        .values(queued=True)
    ).rowcount
    if not queued:
        raise ServiceError(_("Tidak ada kasus yang dapat dimigrasikan dan belum dimigrasikan."))
    run.state = MigrationRunState.MIGRATING
    _recount(session, run)
    audit.record(session, user.id, "migration_started",
                 f"Migrasi {run.process_id} v{run.from_version.version} ke v{run.to_version.version}: "
                 f"{queued} kasus diantrekan", detail={"run_id": run.id})
    session.commit()
    return queued


def migrate_queued(session: Session, run_id: int, actor_user_id: int | None) -> None:
    """Job: migrate the queued cases one by one; safe to run again after an interruption."""
    run = session.get(MigrationRun, run_id)
    item_ids = session.scalars(select(MigrationItem.id).where(
        MigrationItem.run_id == run_id, MigrationItem.queued.is_(True), MigrationItem.result.is_(None))
        .order_by(MigrationItem.id)).all()
    for item_id in item_ids:
        _migrate_item(session, run, item_id, actor_user_id)
    run = session.get(MigrationRun, run_id)
    run.state = MigrationRunState.FINISHED
    run.finished_at = utcnow()
    _recount(session, run)
    session.commit()


def items_query(run: MigrationRun, show: str = ""):
    stmt = select(MigrationItem).where(MigrationItem.run_id == run.id)
    if show == "migratable":
        stmt = stmt.where(MigrationItem.migratable.is_(True), MigrationItem.result.is_(None))
    elif show == "blocked":
        stmt = stmt.where(MigrationItem.migratable.is_(False))
    elif show in tuple(MigrationItemResult):
        stmt = stmt.where(MigrationItem.result == show)
    return stmt.order_by(MigrationItem.id)


def runs_query(process_id: str, user: User):
    paths = user.scope_paths(Role.HR)
    return (select(MigrationRun).where(MigrationRun.process_id == process_id,
                                       MigrationRun.unit_path.in_(paths) if paths else False)
            .order_by(MigrationRun.id.desc()))


def progress(run: MigrationRun) -> dict:
    if run.state == MigrationRunState.CHECKING:
        done, total = run.checked, run.total
    else:
        done, total = run.migrated + run.failed, max(run.to_migrate + run.migrated + run.failed, 0)
        if run.state == MigrationRunState.CHECKED:
            done, total = run.checked, run.total
    percent = 100 if not total else int(100 * min(done, total) / total)
    return {"state": run.state, "done": done, "total": total, "percent": percent, "checked": run.checked,
            "migratable": run.migratable, "migrated": run.migrated, "failed": run.failed}
