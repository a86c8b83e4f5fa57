"""Login, logout and the language switch."""
from urllib.parse import urlparse

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.core.errors import ServiceError
from app.extensions import db
from app.services.trust import login as auth_service
from forms.common import LoginForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: browsers read "/\\host" like "//host", so backslashes are refused."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not urlparse(target).netloc and not urlparse(target).scheme):
        return target
    return url_for("inbox.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("inbox.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = auth_service.authenticate(
                db.session, form.username.data, form.password.data,
                request.remote_addr or "-", request.headers.get("User-Agent", ""), current_app.config,
            )
        except ServiceError as err:
            db.session.commit()  # the failed attempt counts toward the limits
            form.password.errors.append(str(err))
            status = 401
        else:
            db.session.commit()
            language = session.get("lang")
            session.clear()
            if language:
                session["lang"] = language
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # The sign-in page after this one speaks the language the user was reading.
    if current_user.language in current_app.config["LANGUAGES"]:
        session.setdefault("lang", current_user.language)
    logout_user()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>")
def set_language(code):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    back = urlparse(request.referrer or "")
    # Only the path and query of the page the user came from: never another site.
    return redirect(_safe_next(back.path + (f"?{back.query}" if back.query else "") if back.path else None))
