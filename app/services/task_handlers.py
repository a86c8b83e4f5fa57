"""What completing a task with a given form key does to the domain, and the data it hands the diagram.

Each handler gets the cleaned form data (plain dicts, no WTForms) and returns the small decisions
the diagram's gateways read. The set of keys here is the set of form keys a diagram may use.
"""
from datetime import date
from typing import Callable

from app.models import Case, HumanTask, User
from app.services import appraisal, attendance, audit, complaint_steps, plans, work_logs


def _skp(session, case: Case, task: HumanTask, user: User, data: dict) -> dict:
    plan = plans.plan_for_case(session, case)
    plans.save_draft(session, plan, data, user.id)
    session.flush()
    plans.mark_submitted(session, plan, case.employee.is_jpt)
    return {}


def _skp_review(session, case, task, user, data) -> dict:
    plan = plans.plan_for_case(session, case)
    return plans.review(session, plan, data.get("decision"), data.get("note", ""), data.get("expectations") or {})


def _dialog(session, case, task, user, data) -> dict:
    appraisal.record_dialog(session, case, task.period_key or "", data.get("notes", ""), data.get("follow_ups", ""),
                            data.get("held_on") or date.today(), user.id)
    return {}


def _rating(period_key_of: Callable[[HumanTask], str]):
    def handler(session, case, task, user, data) -> dict:
        appraisal.record_rating(session, case, period_key_of(task), data.get("results_rating"),
                                data.get("behaviour") or {}, data.get("notes", ""), user.id, date.today())
        return {}
    return handler


def _follow_up(kind: str):
    def handler(session, case, task, user, data) -> dict:
        appraisal.record_follow_up(session, case, kind, data.get("decision", ""), data.get("notes", ""), user.id)
        return {}
    return handler


def _month_validation(session, case, task, user, data) -> dict:
    work_logs.close_month(session, task, user)
    return {}


def _leave_review(session, case, task, user, data) -> dict:
    return attendance.record_leave_decision(session, case.id, user, data.get("decision"), data.get("note", ""))


def _approval(session, case, task, user, data) -> dict:
    audit.record(session, user.id, "approval", f"{task.name}: {data.get('decision')} {data.get('note', '')}", case.id)
    return {"decision": data.get("decision"), f"{task.bpmn_id}_decision": data.get("decision")}


def _acknowledge(session, case, task, user, data) -> dict:
    return {}


def _note(session, case, task, user, data) -> dict:
    audit.record(session, user.id, "note", f"{task.name}: {data.get('notes', '')}", case.id)
    return {}


HANDLERS: dict[str, Callable] = {
    "skp": _skp,
    "skp_review": _skp_review,
    "dialog": _dialog,
    "period_rating": _rating(lambda task: task.period_key or ""),
    "annual_rating": _rating(lambda task: "annual"),
    "reward": _follow_up("reward"),
    "development_plan": _follow_up("development_plan"),
    "sanction_review": _follow_up("sanction_review"),
    "month_validation": _month_validation,
    "complaint_pic": complaint_steps.staff_step("pic"),
    "complaint_it": complaint_steps.staff_step("it"),
    "complaint_info": complaint_steps.provide_info,
    "complaint_confirm": complaint_steps.confirm,
    "leave_review": _leave_review,
    "approval": _approval,
    "acknowledge": _acknowledge,
    "note": _note,
}
FORM_KEYS = frozenset(HANDLERS)
