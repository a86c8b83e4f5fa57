"""Error pages stay inside the app and speak Indonesian; a stale security token loses nothing saved."""
from sqlalchemy import select

from app.extensions import db
from app.models import Plan
from tests.conftest import text_of
from tests.helpers import case_of, open_task
from tests.web.conftest import skp_form


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
