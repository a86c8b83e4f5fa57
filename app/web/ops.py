"""The operations page: background queues, workers, running and failed jobs, with a retry."""
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import ServiceError
from app.core.jobs import overview as ops
from app.core.jobs import queue
from app.web.errors import action_form_required
from forms.common import ActionForm

bp = Blueprint("ops", __name__, url_prefix="/ops")
PER_PAGE = 20


def ops_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not (current_user.has_role("hr") or current_user.has_role("it")):
            abort(403, _("Halaman ini khusus pengelola kinerja (HR) dan tim TI."))
        return view(*args, **kwargs)
    return wrapped


@bp.route("")
@login_required
@ops_required
def index():
    page = max(1, request.args.get("page", 1, type=int))
    status = ops.status((page - 1) * PER_PAGE, PER_PAGE)
    pages = max(1, (status.failed_total + PER_PAGE - 1) // PER_PAGE)
    return render_template("ops.html", status=status, page=page, pages=pages, action_form=ActionForm(),
                           worker_command=f"rq worker --with-scheduler -w {queue.WORKER_CLASS}")


@bp.route("/failed/<job_id>/retry", methods=["POST"])
@login_required
@ops_required
@action_form_required
def retry(job_id):
    try:
        ops.retry(job_id)
    except ServiceError as err:
        flash(str(err), "danger")
    else:
        flash(_("Pekerjaan dimasukkan kembali ke antrean."), "success")
    return redirect(url_for("ops.index"))
