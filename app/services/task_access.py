"""Who may act on a task: pure checks on the task row and the user's grants.

Kept apart from `tasks` (which completes tasks through the form handlers) so that services the
handlers call, such as complaints, can check access without importing the handlers back."""
from app.models import HumanTask, User


def may_act(user: User, task: HumanTask) -> bool:
    return user.id in (task.assignee_user_id, task.claimed_by_id)


def in_candidate_group(user: User, task: HumanTask) -> bool:
    """A member of the task's candidate group, whether or not someone has claimed it."""
    return task.candidate_role is not None and any(
        g.role == task.candidate_role and (task.candidate_unit_path or "").startswith(g.unit.path)
        for g in user.grants)


def may_claim(user: User, task: HumanTask) -> bool:
    return task.claimed_by_id is None and in_candidate_group(user, task)
