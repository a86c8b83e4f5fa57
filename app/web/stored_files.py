"""Sending an uploaded file (work-log evidence, complaint attachments) once access is checked:
from outside the web root, never sniffed as another type, never kept by a shared cache."""
from flask import abort, send_file

from app.rules import uploads as upload_rules
from app.services.monitoring import evidence


def send_stored(item):
    """`item` has `stored_name`, `content_type` and `original_name`; 404 when the file is gone."""
    path = evidence.path_of(item.stored_name)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=item.content_type, download_name=item.original_name,
                         as_attachment=item.content_type not in upload_rules.INLINE_TYPES)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=0"
    return response
