"""Who may act on a task: checks on the task row and the user's grants.

Kept apart from `tasks` (which completes tasks through the form handlers) so that the areas whose
task types those handlers are, such as complaints and monitoring, check access without importing
the completion back."""
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload

from app.core.errors import Forbidden, NotFound, TaskNotOpen
from app.models import Case, Employee, HumanTask, OrgUnit, User
from app.models.statuses import TaskStatus

# Plain text, not lazy: the web layer puts them into pages and the tests look for them in pages, as
# text. The messages raised are the same texts, translated by the functions below.
NOT_YOURS = "Tugas ini bukan milik Anda."
NOT_OPEN = "Tugas ini sudah tidak terbuka (sudah diselesaikan atau dibatalkan)."


def not_yours_message() -> str:
    return _("Tugas ini bukan milik Anda.")


def not_open_message() -> str:
    return _("Tugas ini sudah tidak terbuka (sudah diselesaikan atau dibatalkan).")


def may_act(user: User, task: HumanTask) -> bool:
    return user.id in (task.assignee_user_id, task.claimed_by_id)


def in_candidate_group(user: User, task: HumanTask) -> bool:
    """A member of the task's candidate group, whether or not someone has claimed it."""
    return task.candidate_role is not None and user.covers(task.candidate_unit_path or "", task.candidate_role)


def may_claim(user: User, task: HumanTask) -> bool:
    return task.claimed_by_id is None and in_candidate_group(user, task)


def get_task(session: Session, task_id: int) -> HumanTask:
    # One query for the task, its case and the employee's unit and agency that the step needs;
    # none when this transaction already loaded it (the page's view, then `complete`).
    task = session.get(HumanTask, task_id, options=[
        joinedload(HumanTask.case).joinedload(Case.employee).joinedload(Employee.unit).joinedload(OrgUnit.agency)])
    if task is None:
        raise NotFound(_("Tugas tidak ditemukan."))
    return task


def check_can_complete(user: User, task: HumanTask) -> None:
    if task.status != TaskStatus.OPEN:
        raise TaskNotOpen(not_open_message())
    if not may_act(user, task):
        if may_claim(user, task):
            raise Forbidden(_("Ambil tugas ini terlebih dahulu sebelum menyelesaikannya."))
        raise Forbidden(not_yours_message())
