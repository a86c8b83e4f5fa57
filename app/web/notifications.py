"""The user's notifications: list, mark read (and follow the link), mark all read."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core import notifications
from app.extensions import db
from app.models import Notification
from app.web.auth import _safe_next
from app.web.errors import action_form_required
from app.web.paging import paginate
from forms.common import ActionForm

bp = Blueprint("notifications", __name__)


@bp.route("/notifications")
@login_required
def index():
    unread = request.args.get("unread") == "1"
    page = paginate(db.session, notifications.list_query(current_user.id, unread))
    return render_template("notifications.html", page=page, unread=unread, action_form=ActionForm())


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@login_required
@action_form_required
def open_(notification_id):
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    notifications.mark_read(db.session, current_user.id, row.id)
    db.session.commit()
    return redirect(_safe_next(row.link) if row.link else url_for("notifications.index"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
@action_form_required
def read_all():
    notifications.mark_read(db.session, current_user.id)
    db.session.commit()
    return redirect(url_for("notifications.index"))
