"""The performance cycle's task types: the plan (SKP) and its review, the dialog, the ratings and
the follow-ups of a grade."""
from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from app.models import HumanTask
from app.services.cycle import appraisal, plans, unit_results
from app.services.tasks.types import TaskType
from forms.plan import PlanForm
from forms.tasks import DialogForm, FollowUpForm, RatingForm, ReviewForm


def _skp(session, case, task, user, data) -> dict:
    plan = plans.plan_for_case(session, case)
    plans.save_draft(session, plan, data, user.id)
    session.flush()
    plans.mark_submitted(session, plan, case.employee.is_jpt)
    return {}


def _skp_review(session, case, task, user, data) -> dict:
    plan = plans.plan_for_case(session, case)
    return plans.review(session, plan, data.get("decision"), data.get("note", ""), data.get("expectations") or {})


def _review_initial(session, task) -> dict:
    """The review starts from the expectations already in the plan, so approving without touching
    them keeps them instead of blanking them."""
    plan = plans.plan_for_case(session, task.case)
    return {"expectations": {e.value_key: e.expectation for e in plan.expectations}}


def _dialog(session, case, task, user, data) -> dict:
    appraisal.record_dialog(session, case, task.period_key or "", data.get("notes", ""), data.get("follow_ups", ""),
                            data.get("held_on") or case.employee.unit.agency.today(), user.id)
    return {}


def _rating(key: str, label: str, help_text: str, period_key_of: Callable[[HumanTask], str]) -> TaskType:
    """A rating of the period `period_key_of` names; a unit head's results rating is the one their
    unit's result dictates, shown on the page and preset in the form."""
    def handler(session, case, task, user, data) -> dict:
        appraisal.record_rating(session, case, period_key_of(task), data.get("results_rating"),
                                data.get("behaviour") or {}, data.get("notes", ""), user.id, case.employee.unit.agency.today())
        return {}

    def head_rating(session, task) -> str | None:
        return unit_results.head_results_rating(session, task.case.employee, period_key_of(task))

    def context(session, task) -> dict:
        return {"head_rating": head_rating(session, task)}

    def initial_data(session, task) -> dict | None:
        rating = head_rating(session, task)
        return None if rating is None else {"results_rating": rating}

    return TaskType(key, label, RatingForm, "forms/rating.html", help_text, handler, context=context,
                    initial_data=initial_data)


def _follow_up(kind: str, label: str, help_text: str, decisions: tuple[tuple[str, str], ...]) -> TaskType:
    def handler(session, case, task, user, data) -> dict:
        appraisal.record_follow_up(session, case, kind, data.get("decision", ""), data.get("notes", ""), user.id)
        return {}

    return TaskType(kind, label, FollowUpForm, "forms/simple.html", help_text, handler, decisions)


SKP = TaskType(
    "skp", _l("Susun SKP"), PlanForm, "forms/skp.html",
    _l("Susun RHK Anda: tiap RHK mengintervensi RHK atasan (JPT memilih perspektif), lengkap dengan indikator dan "
       "target. Simpan draf kapan saja; kirim bila sudah lengkap."),
    _skp)
SKP_REVIEW = TaskType(
    "skp_review", _l("Persetujuan SKP"), ReviewForm, "forms/skp_review.html",
    _l("Periksa SKP bawahan. Setujui untuk menguncinya, atau kembalikan dengan catatan."),
    _skp_review, initial_data=_review_initial)
DIALOG = TaskType(
    "dialog", _l("Dialog kinerja"), DialogForm, "forms/simple.html",
    _l("Catat dialog kinerja periode ini dan tindak lanjut yang disepakati; pegawai dapat membacanya di halaman "
       "kasusnya."),
    _dialog)
PERIOD_RATING = _rating("period_rating", _l("Penilaian periodik"),
                        _l("Nilai hasil kerja dan tiap nilai BerAKHLAK. Predikat dihitung dari matriks."),
                        lambda task: task.period_key or "")
ANNUAL_RATING = _rating("annual_rating", _l("Penilaian tahunan"),
                        _l("Penilaian tahunan: nilai hasil kerja dan perilaku sepanjang tahun."),
                        lambda task: unit_results.ANNUAL)
REWARD = _follow_up("reward", _l("Penghargaan"), _l("Catat penghargaan untuk pegawai berpredikat Sangat Baik."),
                    (("penghargaan", _l("Penghargaan")), ("prioritas_pengembangan", _l("Prioritas diklat/promosi"))))
DEVELOPMENT_PLAN = _follow_up("development_plan", _l("Rencana pengembangan"),
                              _l("Susun rencana pengembangan (pelatihan, coaching, mentoring)."),
                              (("pelatihan", _l("Pelatihan")), ("coaching", _l("Coaching")),
                               ("mentoring", _l("Mentoring"))))
SANCTION_REVIEW = _follow_up("sanction_review", _l("Telaah sanksi"),
                             _l("Telaah apakah proses hukuman disiplin perlu dimulai (PP 94/2021)."),
                             (("tidak_diproses", _l("Tidak diproses")), ("pemeriksaan", _l("Lanjut ke pemeriksaan"))))

TASK_TYPES = (SKP, SKP_REVIEW, DIALOG, PERIOD_RATING, ANNUAL_RATING, REWARD, DEVELOPMENT_PLAN, SANCTION_REVIEW)
