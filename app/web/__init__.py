"""Blueprints, error pages, the user loader and template helpers."""
from zoneinfo import ZoneInfo

from flask import Flask, render_template
from flask_login import current_user

from app.engine.lanes import LANE_LABELS
from app.extensions import db, login_manager
from app.models import User
from app.models._types import utcnow
from app.rules.grade_matrix import UNIT_RESULT_LABELS
from app.rules.ratings import BERAKHLAK, GRADE_LABELS, RATING_LABELS

STATUS_LABELS = {
    "running": "Berjalan", "error": "Galat", "completed": "Selesai", "open": "Terbuka",
    "cancelled": "Dibatalkan", "draft": "Draf", "submitted": "Menunggu persetujuan",
    "returned": "Dikembalikan", "approved": "Disetujui", "closed": "Ditutup",
}


@login_manager.user_loader
def load_user(user_id: str):
    return db.session.get(User, int(user_id))


def _local(value, fmt="%d-%m-%Y %H:%M"):
    if value is None:
        return "—"
    return value.astimezone(ZoneInfo("Asia/Jakarta")).strftime(fmt) + " WIB"


def register_web(app: Flask) -> None:
    from app.web import auth, cases, hr, inbox

    for module in (auth, inbox, cases, hr):
        app.register_blueprint(module.bp)

    app.jinja_env.filters["local"] = _local
    app.jinja_env.globals.update(
        GRADE_LABELS=GRADE_LABELS, RATING_LABELS=RATING_LABELS, STATUS_LABELS=STATUS_LABELS,
        LANE_LABELS=LANE_LABELS, BERAKHLAK=BERAKHLAK, UNIT_RESULT_LABELS=UNIT_RESULT_LABELS,
    )

    @app.context_processor
    def inject_counts():
        if not current_user.is_authenticated:
            return {}
        from app.services.tasks import inbox_counts

        return {"task_counts": inbox_counts(db.session, current_user), "now_ts": utcnow().timestamp()}

    for code, title in ((403, "Akses ditolak"), (404, "Tidak ditemukan"), (409, "Kasus telah berubah")):
        def handler(err, code=code, title=title):
            return render_template("error.html", code=code, title=title, message=getattr(err, "description", "")), code
        app.register_error_handler(code, handler)
