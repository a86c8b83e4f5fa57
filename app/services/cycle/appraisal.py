"""Dialogs and ratings: record what the supervisor said, and derive the grade from the matrix."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.errors import ServiceError
from app.engine.lanes import supervisor_on
from app.models import Appraisal, Case, Dialog, FollowUp
from app.rules.grade_matrix import explain_grade
from app.rules.ratings import BERAKHLAK, RATINGS
from app.services.cycle import unit_results


def record_dialog(session: Session, case: Case, period_key: str, notes: str, follow_ups: str,
                  held_on, user_id: int) -> Dialog:
    if not (notes or "").strip():
        raise ServiceError(_("Catatan dialog wajib diisi."))
    dialog = session.scalars(select(Dialog).where(Dialog.case_id == case.id, Dialog.period_key == period_key)).first()
    if dialog is None:
        dialog = Dialog(case_id=case.id, period_key=period_key, held_by_id=user_id, held_on=held_on, notes="")
        session.add(dialog)
    dialog.notes = notes.strip()
    dialog.follow_ups = (follow_ups or "").strip()
    dialog.held_on = held_on
    dialog.held_by_id = user_id
    return dialog


def record_rating(session: Session, case: Case, period_key: str, results: str, behaviour: dict,
                  notes: str, user_id: int, on) -> Appraisal:
    required = unit_results.head_results_rating(session, case.employee, period_key)
    if required is not None:
        results = required
    if results not in RATINGS:
        raise ServiceError(_("Pilih penilaian hasil kerja."))
    missing = [str(label) for key, label in BERAKHLAK if behaviour.get(key) not in RATINGS]
    if missing:
        raise ServiceError(_("Nilai perilaku belum diisi: %(values)s", values=", ".join(missing)))
    # Looked up before a new row is added, so the row is inserted once, complete, at the next flush.
    rater = supervisor_on(session, case.employee_id, on)
    appraisal = session.scalars(
        select(Appraisal).where(Appraisal.case_id == case.id, Appraisal.period_key == period_key)
    ).first()
    if appraisal is None:
        appraisal = Appraisal(case_id=case.id, period_key=period_key)
        session.add(appraisal)
    appraisal.results_rating = results
    appraisal.behaviour_ratings = {key: behaviour[key] for key, _ in BERAKHLAK}
    appraisal.notes = (notes or "").strip()
    appraisal.rated_by_id = user_id
    appraisal.rater_employee_id = rater.id if rater else None
    appraisal.position_id = case.employee.position_id
    appraisal.unit_id = case.employee.unit_id
    appraisal.rated_at = utcnow()
    appraisal.grade = None
    return appraisal


def compute_grade(session: Session, case: Case, period_key: str) -> str:
    appraisal = session.scalars(
        select(Appraisal).where(Appraisal.case_id == case.id, Appraisal.period_key == period_key)
    ).first()
    if appraisal is None:
        raise ServiceError(f"Belum ada penilaian untuk periode {period_key}.")
    explained = explain_grade(appraisal.results_rating, appraisal.behaviour_ratings)
    appraisal.behaviour_overall = explained["behaviour"]
    appraisal.grade = explained["grade"]
    appraisal.explanation = explained["text"]
    return appraisal.grade


def record_follow_up(session: Session, case: Case, kind: str, decision: str, notes: str, user_id: int) -> FollowUp:
    if not (notes or "").strip():
        raise ServiceError(_("Catatan tindak lanjut wajib diisi."))
    follow_up = FollowUp(case_id=case.id, kind=kind, decision=decision or "", notes=notes.strip(),
                         recorded_by_id=user_id)
    session.add(follow_up)
    return follow_up
