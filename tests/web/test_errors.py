"""Error pages stay inside the app and speak Indonesian; a stale security token loses nothing saved;
service errors get their page (or the case as it is now) from one set of handlers."""
import pytest
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from app.core.errors import Conflict
from app.engine.runner import CASE_CHANGED, CaseChanged, CaseRunner, TaskUnavailable
from app.extensions import db
from app.models import Plan, WorkLog
from app.services.access import task_access
from app.services.tasks import completion as task_service
from app.web.errors import action_form_required
from tests.conftest import text_of
from tests.helpers import case_of, open_task
from tests.web.conftest import review_form, skp_form, submit_plan_via_service, visible
from tests.web.test_work_logs import log_form


def test_missing_csrf_token_gets_an_indonesian_page(app, login, cycle_started):
    client = login("staf02")
    task = open_task("staf02", "susun_skp")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/tasks/{task.id}", data=skp_form(None, action="save"))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    page = text_of(response)
    assert "Formulir kedaluwarsa" in page and "Kembali ke halaman sebelumnya" in page
    assert "Kotak tugas" in page  # still inside the app, with its navigation
    assert db.session.scalars(select(Plan).where(Plan.case_id == case_of("staf02").id)).first() is None


def test_csrf_token_in_every_form_when_enabled(app, login, cycle_started):
    client = login("staf02")
    task = open_task("staf02", "susun_skp")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        html = client.get(f"/tasks/{task.id}").get_data(as_text=True)
        login_html = app.test_client().get("/login").get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert html.count('name="csrf_token"') == html.count("<form")
    assert 'name="csrf_token"' in login_html


def test_wrong_method_page(login):
    response = login("staf02").get("/logout")
    assert response.status_code == 405
    assert "Tindakan tidak tersedia" in text_of(response)


def test_unknown_address_gets_an_indonesian_not_found_page(login):
    response = login("staf02").get("/tidak-ada-halaman-ini")
    assert response.status_code == 404
    page = text_of(response)
    assert "Tidak ditemukan" in page and "Halaman atau data yang diminta tidak ada" in page
    assert "requested URL" not in page


def test_a_pages_own_reason_for_refusing_is_kept(login, cycle_started):
    task = open_task("staf02", "susun_skp")
    response = login("staf05").get(f"/tasks/{task.id}")
    assert response.status_code == 403
    assert "Tugas ini bukan milik Anda." in text_of(response)


# -- service errors answered by app/web/errors.py, whichever view meets them -----------------------

def _saved_log(client) -> WorkLog:
    assert client.post("/logs/new", data=log_form()).status_code == 302
    return db.session.scalars(select(WorkLog)).one()


def test_forbidden_from_a_service_is_a_403_page_with_the_services_reason(login):
    log = _saved_log(login("staf02"))
    assert login("staf02").get(f"/logs/{log.id}/edit").status_code == 200
    client = login("staf05")
    response = client.get(f"/logs/{log.id}/edit")
    assert response.status_code == 403
    page = text_of(response)
    assert "Akses ditolak" in page and "Entri ini bukan milik Anda." in page
    assert "Kotak tugas" in page  # inside the app, with its navigation


def test_forbidden_passes_a_views_own_error_message_by(login):
    """Deleting shows a service's refusal as a flash; another's entry is still the 403 page."""
    log = _saved_log(login("staf02"))
    response = login("staf05").post(f"/logs/{log.id}/delete")
    assert response.status_code == 403 and "Entri ini bukan milik Anda." in text_of(response)
    assert db.session.get(WorkLog, log.id) is not None
    assert login("staf02").post(f"/logs/{log.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(WorkLog, log.id) is None


def test_not_found_from_a_service_is_the_general_404_page(login):
    response = login("staf02").get("/logs/999999/edit")
    assert response.status_code == 404
    page = text_of(response)
    assert "Tidak ditemukan" in page and "Halaman atau data yang diminta tidak ada" in page
    assert "Entri aktivitas tidak ditemukan" not in page  # the service's wording is not shown, as before
    response = login("hr.admin").post("/hr/calendar/holidays/999999/delete")
    assert response.status_code == 404 and "Tidak ditemukan" in text_of(response)


def _review_in_two_tabs(login):
    submit_plan_via_service("staf02")
    review = open_task("staf02", "review_skp")
    client = login("kasi.rujukan")
    assert client.get(f"/tasks/{review.id}").status_code == 200
    return client, review


def _refuse_with(monkeypatch, error):
    def complete(self, *args, **kwargs):
        raise error
    monkeypatch.setattr(CaseRunner, "complete", complete)


def test_task_closed_meanwhile_shows_the_case_with_the_reason(login, chain_approved, monkeypatch):
    client, review = _review_in_two_tabs(login)
    _refuse_with(monkeypatch, TaskUnavailable(review.task_guid))
    response = client.post(f"/tasks/{review.id}", data=review_form("approve"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{review.case_id}")
    assert task_access.NOT_OPEN in visible(client.get(response.headers["Location"]))
    assert open_task("staf02", "review_skp").id == review.id  # nothing was completed


def test_case_changed_meanwhile_shows_the_case_with_the_reason(login, chain_approved, monkeypatch):
    client, review = _review_in_two_tabs(login)
    _refuse_with(monkeypatch, CaseChanged(review.case_id))
    response = client.post(f"/tasks/{review.id}", data=review_form("approve"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{review.case_id}")
    assert CASE_CHANGED in visible(client.get(response.headers["Location"]))
    assert open_task("staf02", "review_skp").id == review.id


def test_conflict_without_a_case_shows_the_inbox_with_the_reason(login, chain_approved, monkeypatch):
    client, review = _review_in_two_tabs(login)

    def complete(*args, **kwargs):
        raise Conflict("Data ini baru saja berubah.")
    monkeypatch.setattr(task_service, "complete", complete)
    response = client.post(f"/tasks/{review.id}", data=review_form("approve"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")
    assert "Data ini baru saja berubah." in visible(client.get(response.headers["Location"]))


def test_claiming_a_closed_task_still_says_so_in_the_inbox(login, chain_approved):
    """A task no longer open is a conflict, but claiming answers it with the inbox, as before."""
    client, review = _review_in_two_tabs(login)
    assert client.post(f"/tasks/{review.id}", data=review_form("approve")).status_code == 302
    response = client.post(f"/tasks/{review.id}/claim")
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")
    assert task_access.NOT_OPEN in visible(client.get("/inbox"))


def test_a_button_post_whose_form_does_not_validate_is_400(app, ctx):
    ran = []
    view = action_form_required(lambda: ran.append(True) or "ok")
    with app.test_request_context("/", method="POST"):
        assert view() == "ok"  # the suite posts without CSRF tokens
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with app.test_request_context("/", method="POST"), pytest.raises(BadRequest):
            view()
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert ran == [True]
