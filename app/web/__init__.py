"""Blueprints, error pages, the user loader and template helpers."""
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, render_template
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.engine.lanes import LANE_LABELS
from app.extensions import db, login_manager
from app.models import User
from app.models._types import utcnow
from app.rules.grade_matrix import UNIT_RESULT_LABELS
from app.rules.ratings import BERAKHLAK, GRADE_LABELS, RATING_LABELS
from app.rules.timezones import abbreviation

STATUS_LABELS = {
    "running": "Berjalan", "error": "Galat", "completed": "Selesai", "open": "Terbuka",
    "cancelled": "Dibatalkan", "draft": "Draf", "submitted": "Menunggu persetujuan",
    "returned": "Dikembalikan", "approved": "Disetujui", "closed": "Ditutup", "closing": "Sedang ditutup",
}


# What the inbox's "type" filter shows for each form key (the keys themselves are diagram ids).
FORM_LABELS = {
    "skp": "Susun SKP", "skp_review": "Persetujuan SKP", "dialog": "Dialog kinerja",
    "period_rating": "Penilaian periodik", "annual_rating": "Penilaian tahunan", "reward": "Penghargaan",
    "development_plan": "Rencana pengembangan", "sanction_review": "Telaah sanksi", "approval": "Persetujuan",
    "acknowledge": "Tanda sudah membaca", "note": "Catatan", "month_validation": "Validasi aktivitas bulanan",
    "complaint_pic": "Pengaduan (PIC)", "complaint_it": "Pengaduan (Tim TI)",
    "complaint_info": "Lengkapi informasi pengaduan", "complaint_confirm": "Konfirmasi penyelesaian pengaduan",
    "leave_review": "Persetujuan cuti / dinas luar",
}
LOG_STATUS_LABELS = {"submitted": "Menunggu validasi", "validated": "Divalidasi", "rejected": "Ditolak"}
ABSENCE_STATUS_LABELS = {"requested": "Diajukan", "approved": "Disetujui", "rejected": "Ditolak",
                         "cancelled": "Dibatalkan"}
MIGRATION_STATES = {"checking": "Sedang diperiksa", "checked": "Sudah diperiksa", "migrating": "Sedang dimigrasikan",
                    "finished": "Selesai"}
FOLLOW_UP_LABELS = {"reward": "Penghargaan", "development_plan": "Rencana pengembangan",
                    "sanction_review": "Telaah sanksi"}


@login_manager.user_loader
def load_user(user_id: str):
    return db.session.get(User, int(user_id))


def _viewer_zone() -> str:
    """The zone of the agency the signed-in user belongs to (through their employee record or,
    for accounts without one, their first role grant); the configured default otherwise."""
    if "viewer_zone" not in g:
        zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
        if current_user.is_authenticated:
            if current_user.employee is not None:
                zone = current_user.employee.unit.agency.timezone
            elif current_user.grants:
                zone = current_user.grants[0].unit.agency.timezone
        g.viewer_zone = zone
    return g.viewer_zone


def _local(value, fmt="%d-%m-%Y %H:%M"):
    if value is None:
        return "—"
    zone = _viewer_zone()
    return value.astimezone(ZoneInfo(zone)).strftime(fmt) + " " + abbreviation(zone)


def _number(value) -> str:
    """A target as people here write it: 12, 2,5, 1.250 (no float noise such as 12.0)."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _rupiah(value) -> str:
    """Rp 4.312.500, the way amounts are written here; a deduction shows with a minus sign."""
    if value is None:
        return "—"
    amount = int(value)
    text = f"{abs(amount):,}".replace(",", ".")
    return f"-Rp {text}" if amount < 0 else f"Rp {text}"


def register_web(app: Flask) -> None:
    from app.services import complaints as complaint_service
    from app.web import (allowance, attendance, auth, cases, complaints, designer, help, hr, inbox, monitoring,
                         notifications, ops, periods, units)

    for module in (auth, inbox, cases, hr, periods, allowance, ops, monitoring, attendance, notifications, units,
                   designer, complaints, help):
        app.register_blueprint(module.bp)

    from forms.plan import PERSPECTIVE_CHOICES
    from forms.registry import FORM_REGISTRY

    app.jinja_env.filters["local"] = _local
    app.jinja_env.filters["number"] = _number
    app.jinja_env.filters["rupiah"] = _rupiah
    app.jinja_env.globals.update(
        GRADE_LABELS=GRADE_LABELS, RATING_LABELS=RATING_LABELS, STATUS_LABELS=STATUS_LABELS,
        LANE_LABELS=LANE_LABELS, BERAKHLAK=BERAKHLAK, UNIT_RESULT_LABELS=UNIT_RESULT_LABELS,
        PERSPECTIVE_LABELS={k: v for k, v in PERSPECTIVE_CHOICES if k},
        FOLLOW_UP_LABELS=FOLLOW_UP_LABELS, FORM_LABELS=FORM_LABELS, LOG_STATUS_LABELS=LOG_STATUS_LABELS,
        ABSENCE_STATUS_LABELS=ABSENCE_STATUS_LABELS, MIGRATION_STATES=MIGRATION_STATES,
        CATEGORY_LABELS=complaint_service.CATEGORY_LABELS, COMPLAINT_STATUS_LABELS=complaint_service.STATUS_LABELS,
        MESSAGE_LABELS=complaint_service.MESSAGE_LABELS, LEVEL_LABELS=complaint_service.LEVEL_LABELS,
        TARGET_LABELS=complaint_service.TARGET_LABELS,
        DECISION_LABELS={k: v for spec in FORM_REGISTRY.values() for k, v in spec.decisions},
    )

    @app.context_processor
    def inject_counts():
        if not current_user.is_authenticated:
            return {}
        from app.services.navigation import nav_counts

        counts = nav_counts(db.session, current_user)
        return {"task_counts": counts.task_counts, "now_ts": utcnow().timestamp(),
                "unread_notifications": counts.unread,
                "nav_units": counts.heads_a_unit or current_user.has_role("hr") or current_user.has_role("auditor")}

    @app.errorhandler(413)
    def too_large(err):
        return render_template("error.html", code=413, title="Berkas terlalu besar",
                               message="Kiriman ini melebihi batas ukuran, jadi tidak diproses. Setiap berkas bukti "
                                       f"paling besar {current_app.config['EVIDENCE_MAX_BYTES'] // 1048576} MB. "
                                       "Kembali, kecilkan atau pilih berkas lain, lalu kirim lagi; isian Anda masih "
                                       "tersimpan di peramban."), 413

    # A page's own reason (abort(403, "...")) is shown as given; Werkzeug's English default is not.
    for code, title, default in (
            (403, "Akses ditolak", "Anda tidak berhak membuka halaman ini."),
            (404, "Tidak ditemukan", "Halaman atau data yang diminta tidak ada. Periksa alamatnya, atau kembali "
                                     "ke kotak tugas."),
            (409, "Kasus telah berubah", "Kasus ini telah berubah; buka kembali untuk melihat keadaannya sekarang.")):
        def handler(err, code=code, title=title, default=default):
            message = getattr(err, "description", "")
            if not message or message == type(err).description:
                message = default
            return render_template("error.html", code=code, title=title, message=message), code
        app.register_error_handler(code, handler)

    # Werkzeug's own pages are English and leave the app; these keep the user in it, in Indonesian.
    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return render_template(
            "error.html", code=400, title="Formulir kedaluwarsa",
            message="Formulir ini dikirim dari halaman lama atau sesi Anda telah berganti, jadi tidak diproses. "
                    "Kembali ke halaman sebelumnya (isian Anda biasanya masih ada), muat ulang halaman, "
                    "lalu kirim lagi."), 400

    @app.errorhandler(400)
    def bad_request(err):
        return render_template("error.html", code=400, title="Permintaan tidak valid",
                               message="Permintaan ini tidak dapat diproses. Muat ulang halaman lalu coba lagi."), 400

    @app.errorhandler(405)
    def method_not_allowed(err):
        return render_template("error.html", code=405, title="Tindakan tidak tersedia",
                               message="Alamat ini tidak menerima cara pengiriman tersebut."), 405

    @app.errorhandler(500)
    def server_error(err):
        db.session.rollback()  # a failed transaction must not break the error page too
        return render_template("error.html", code=500, title="Terjadi kesalahan",
                               message="Terjadi kesalahan pada server; tidak ada yang tersimpan dari tindakan ini. "
                                       "Coba lagi; bila berulang, hubungi PIC unit Anda."), 500
