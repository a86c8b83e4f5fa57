"""Every error a page can meet answered in one place: HTTP errors, the service errors views let
through (refused, not found, conflict), a stale form, a missing holiday calendar.

Views raise or let pass; this module decides the status code, the page and its wording."""
from functools import wraps

from flask import Flask, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.core.errors import Conflict, Forbidden, NotFound
from app.engine.runner import CaseChanged
from app.extensions import db
from app.models import Case
from app.rules.working_days import CalendarYearMissing
from app.services.access import scope
from forms.common import ActionForm

# The service errors answered here. A view that shows a ServiceError's message itself (a flash, a
# field error) lets these pass first (`except HANDLED: raise`), so they get their error page.
HANDLED = (Forbidden, NotFound)

FORBIDDEN_TITLE, FORBIDDEN_DEFAULT = _l("Akses ditolak"), _l("Anda tidak berhak membuka halaman ini.")
NOT_FOUND_TITLE = _l("Tidak ditemukan")
NOT_FOUND_DEFAULT = _l("Halaman atau data yang diminta tidak ada. Periksa alamatnya, atau kembali ke kotak tugas.")


def action_form_required(view):
    """For a button that only posts (its form holds nothing but the CSRF token): a post whose form
    does not validate is answered 400 before the view runs."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not ActionForm().validate_on_submit():
            abort(400)
        return view(*args, **kwargs)
    return wrapped


def _page(code: int, title: str, message: str):
    return render_template("error.html", code=code, title=title, message=message), code


def _to_case(case_id: int | None, message: str):
    """The case as it is now, with the reason on top; the inbox for a user who may not see the case."""
    flash(message, "warning")
    case = db.session.get(Case, case_id) if case_id is not None else None
    if case is not None and scope.can_view_case(db.session, current_user, case):
        return redirect(url_for("cases.detail", case_id=case.id))
    return redirect(url_for("inbox.index"))


def register(app: Flask) -> None:
    # -- service errors: the session is rolled back first, so nothing of a refused act is left in it

    @app.errorhandler(Forbidden)
    def forbidden(err):
        db.session.rollback()
        return _page(403, FORBIDDEN_TITLE, str(err) or FORBIDDEN_DEFAULT)

    # The service's wording names the missing row; the page says what every missing page says.
    @app.errorhandler(NotFound)
    def not_found(err):
        db.session.rollback()
        return _page(404, NOT_FOUND_TITLE, NOT_FOUND_DEFAULT)

    @app.errorhandler(Conflict)
    @app.errorhandler(CaseChanged)
    def conflict(err):
        db.session.rollback()
        return _to_case(err.case_id, str(err))

    # A step or page that met a year with no holiday list: say which year HR must load.
    @app.errorhandler(CalendarYearMissing)
    def calendar_missing(err):
        db.session.rollback()
        return _page(422, _("Kalender belum lengkap"), str(err))

    # -- HTTP errors. Werkzeug's own pages are English and leave the app; these keep the user in it,
    # in the user's language.

    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return _page(400, _("Formulir kedaluwarsa"),
                     _("Formulir ini dikirim dari halaman lama atau sesi Anda telah berganti, jadi tidak diproses. "
                       "Kembali ke halaman sebelumnya (isian Anda biasanya masih ada), muat ulang halaman, "
                       "lalu kirim lagi."))

    @app.errorhandler(400)
    def bad_request(err):
        return _page(400, _("Permintaan tidak valid"),
                     _("Permintaan ini tidak dapat diproses. Muat ulang halaman lalu coba lagi."))

    # A page's own reason (abort(403, "...")) is shown as given; Werkzeug's English default is not.
    for code, title, default in (
            (403, FORBIDDEN_TITLE, FORBIDDEN_DEFAULT),
            (404, NOT_FOUND_TITLE, NOT_FOUND_DEFAULT),
            (409, _l("Kasus telah berubah"),
             _l("Kasus ini telah berubah; buka kembali untuk melihat keadaannya sekarang."))):
        def handler(err, code=code, title=title, default=default):
            message = getattr(err, "description", "")
            if not message or message == type(err).description:
                message = default
            return _page(code, title, message)
        app.register_error_handler(code, handler)

    @app.errorhandler(405)
    def method_not_allowed(err):
        return _page(405, _("Tindakan tidak tersedia"), _("Alamat ini tidak menerima cara pengiriman tersebut."))

    @app.errorhandler(413)
    def too_large(err):
        return _page(413, _("Berkas terlalu besar"),
                     _("Kiriman ini melebihi batas ukuran, jadi tidak diproses. Setiap berkas bukti paling besar "
                       "%(mb)s MB. Kembali, kecilkan atau pilih berkas lain, lalu kirim lagi; isian Anda masih "
                       "tersimpan di peramban.", mb=current_app.config["EVIDENCE_MAX_BYTES"] // 1048576))

    @app.errorhandler(500)
    def server_error(err):
        db.session.rollback()  # a failed transaction must not break the error page too
        return _page(500, _("Terjadi kesalahan"),
                     _("Terjadi kesalahan pada server; tidak ada yang tersimpan dari tindakan ini. "
                       "Coba lagi; bila berulang, hubungi PIC unit Anda."))
