"""The help page: answers to the questions employees ask most, open to everyone (also before login)."""
from flask import Blueprint, current_app, render_template

from app.rules import uploads as upload_rules

bp = Blueprint("help", __name__)


@bp.route("/help")
def index():
    return render_template("help.html", max_files=upload_rules.MAX_FILES,
                           max_mb=current_app.config["EVIDENCE_MAX_BYTES"] // 1048576)
