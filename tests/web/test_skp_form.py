"""The SKP form (form key "skp") through the web: drafts, errors next to fields, submit."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Plan
from tests.conftest import text_of
from tests.helpers import case_of, open_bpmn_ids, open_task
from tests.web.conftest import has_row, parent_ids, skp_form, visible


def _plan_snapshot(username):
    db.session.expire_all()
    plan = db.session.scalars(select(Plan).where(Plan.case_id == case_of(username).id)).first()
    if plan is None:
        return None
    return (
        plan.status, plan.resource_support, plan.accountability, plan.updated_at,
        [(r.kind, r.text, r.parent_result_id, [(i.text, i.target, i.unit) for i in r.indicators])
         for r in plan.results],
        sorted((e.value_key, e.expectation) for e in plan.expectations),
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
    )


@pytest.fixture
def staf02(login, chain_approved):
    return login("staf02"), open_task("staf02", "susun_skp"), parent_ids("staf02")[0]


def test_page_offers_supervisor_results_to_cascade_from(staf02):
    client, task, parent = staf02
    response = client.get(f"/tasks/{task.id}")
    assert response.status_code == 200
    page = text_of(response)
    assert "RHK atasan yang diintervensi" in page
    assert f'<option value="{parent}">' in response.get_data(as_text=True)
    assert "Atasan Anda belum menyusun RHK" not in page


def test_save_draft_persists_and_reopens(staf02):
    client, task, parent = staf02
    response = client.post(f"/tasks/{task.id}", data=skp_form(parent, action="save"))
    assert response.status_code == 302
    assert f"/tasks/{task.id}" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html, visible = page.get_data(as_text=True), text_of(page)
    assert "Draf SKP tersimpan." in visible
    assert "Terlaksananya layanan rujukan pasien" in visible
    assert 'value="Jumlah pasien dirujuk"' in html
    assert 'value="pasien"' in html
    assert "Anggaran DPA 2026" in visible and "Laporan tepat waktu" in visible
    assert f'<option selected value="{parent}">' in html
    snap = _plan_snapshot("staf02")
    assert snap[0] == "draft" and snap[4][0][1] == "Terlaksananya layanan rujukan pasien"
    assert float(snap[4][0][3][0][1]) == 120
    # saving a draft does not move the case
    assert open_bpmn_ids("staf02") == {"susun_skp"}


def test_add_row_saves_and_offers_two_blank_rows(staf02):
    client, task, parent = staf02
    response = client.post(f"/tasks/{task.id}", data=skp_form(parent, action="add_row"))
    assert response.status_code == 302 and "rows=2" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "RHK 3" in text_of(page) and "RHK 4" not in text_of(page)
    assert 'name="results-2-text"' in html


def test_draft_may_be_incomplete(staf02):
    client, task, _parent = staf02
    response = client.post(f"/tasks/{task.id}", data=skp_form(None, indicator="", target="", unit="", action="save"))
    assert response.status_code == 302
    assert _plan_snapshot("staf02")[4][0][3] == []


@pytest.mark.parametrize("case, message", [
    ("no_rhk", "Isi paling sedikit satu RHK."),
    ("rhk_text_missing", "Isi teks RHK untuk indikator di baris ini"),
    ("indicator_text_missing", "Isi nama indikator untuk target ini"),
    ("no_indicator", "Setiap RHK membutuhkan paling sedikit satu indikator dengan target."),
    ("no_parent", "Pilih RHK atasan yang diintervensi."),
    ("no_target", "Isi target (bilangan positif)."),
    ("zero", "Target harus bilangan positif."),
    ("negative", "Target harus bilangan positif."),
    ("text", "Target harus bilangan positif."),
    ("huge", "Target terlalu besar"),
    ("no_utama", "Paling sedikit satu RHK harus berjenis Utama."),
])
def test_bad_submit_is_422_with_message_and_keeps_input_and_db(staf02, case, message):
    client, task, parent = staf02
    # a saved draft exists; a failed submit must leave it exactly as it was
    assert client.post(f"/tasks/{task.id}", data=skp_form(parent, text="RHK tersimpan", action="save")).status_code == 302
    before = _plan_snapshot("staf02")

    form = {
        "no_rhk": skp_form(parent, text="", indicator="", target="", unit=""),
        "rhk_text_missing": skp_form(parent, text=""),
        "indicator_text_missing": skp_form(parent, text="RHK baru", indicator=""),
        "no_indicator": skp_form(parent, text="RHK baru tanpa indikator", indicator="", target=""),
        "no_parent": skp_form(None, text="RHK baru tanpa intervensi"),
        "no_target": skp_form(parent, text="RHK baru", indicator="Jumlah laporan", target=""),
        "zero": skp_form(parent, text="RHK baru", target="0"),
        "negative": skp_form(parent, text="RHK baru", target="-5"),
        "text": skp_form(parent, text="RHK baru", target="abc"),
        "huge": skp_form(parent, text="RHK baru", target="1e20"),
        "no_utama": skp_form(parent, text="RHK baru", kind="tambahan"),
    }[case]
    response = client.post(f"/tasks/{task.id}", data=form)
    assert response.status_code == 422
    html, visible = response.get_data(as_text=True), text_of(response)
    assert message in visible
    assert "Periksa isian yang ditandai merah" in visible
    assert "is-invalid" in html
    # what the user typed is still there
    if form["results-0-text"]:
        assert form["results-0-text"] in visible
    if form["results-0-indicators-0-target"]:
        assert f'value="{form["results-0-indicators-0-target"]}"' in html
    if form["results-0-indicators-0-text"]:
        assert f'value="{form["results-0-indicators-0-text"]}"' in html
    assert "Anggaran DPA 2026" in visible and "Laporan tepat waktu" in visible
    # the message sits in the same row as the field it is about
    assert _plan_snapshot("staf02") == before
    assert open_bpmn_ids("staf02") == {"susun_skp"}


def test_target_error_is_next_to_the_target_field(staf02):
    client, task, parent = staf02
    response = client.post(f"/tasks/{task.id}", data=skp_form(parent, target="-5"))
    html = response.get_data(as_text=True)
    field_at = html.index('name="results-0-indicators-0-target"')
    error_at = html.index("Target harus bilangan positif.")
    assert 0 < error_at - field_at < 400
    assert "is-invalid" in html[html.rfind("<input", 0, field_at):field_at + 200]


def test_target_may_use_a_decimal_comma(staf02):
    client, task, parent = staf02
    response = client.post(f"/tasks/{task.id}", data=skp_form(parent, target="2,5", action="save"))
    assert response.status_code == 302
    assert float(_plan_snapshot("staf02")[4][0][3][0][1]) == 2.5


def test_non_number_target_message_is_indonesian_and_single(staf02):
    client, task, parent = staf02
    response = client.post(f"/tasks/{task.id}", data=skp_form(parent, target="abc"))
    page = visible(response)
    assert "Not a valid" not in page
    assert page.count("Target harus bilangan positif.") == 1


def test_bad_save_draft_is_refused_too(staf02):
    client, task, parent = staf02
    before = _plan_snapshot("staf02")
    response = client.post(f"/tasks/{task.id}", data=skp_form(parent, target="abc", action="save"))
    assert response.status_code == 422
    assert "Target harus bilangan positif." in text_of(response)
    assert _plan_snapshot("staf02") == before


def test_valid_submit_completes_task_and_supervisor_gets_review(staf02, login):
    client, task, parent = staf02
    response = client.post(f"/tasks/{task.id}", data=skp_form(parent))
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")
    inbox = client.get("/inbox")
    assert "Tugas 'Susun SKP' selesai." in visible(inbox)
    assert "Tidak ada tugas yang cocok." in text_of(inbox)
    snap = _plan_snapshot("staf02")
    assert snap[0] == "submitted" and snap[4][0][2] == parent
    assert open_bpmn_ids("staf02") == {"review_skp"}

    review = open_task("staf02", "review_skp")
    supervisor = login("kasi.rujukan")
    inbox = supervisor.get("/inbox")
    assert has_row(inbox, "Persetujuan SKP", "Rudi Hartono")
    page = supervisor.get(f"/tasks/{review.id}")
    assert page.status_code == 200
    assert "Terlaksananya layanan rujukan pasien" in text_of(page)
    assert "Jumlah pasien dirujuk" in text_of(page)
    # the employee can no longer edit: the old task page says it is closed
    assert login("staf02").get(f"/tasks/{task.id}").status_code == 409


def test_submit_without_supervisor_rhk_is_refused(login, cycle_started):
    client = login("staf02")
    task = open_task("staf02", "susun_skp")
    response = client.post(f"/tasks/{task.id}", data=skp_form(None))
    assert response.status_code == 422
    assert "Pilih RHK atasan yang diintervensi." in text_of(response)
    assert open_bpmn_ids("staf02") == {"susun_skp"}


def test_parent_from_someone_else_is_refused(staf02):
    """A result of kabid.yankes (not staf02's supervisor) cannot be cascaded from, even by a crafted post."""
    client, task, _parent = staf02
    foreign = parent_ids("kasi.rujukan")[0]  # kasi.rujukan's parent: a result in kabid.yankes's plan
    assert foreign not in parent_ids("staf02")
    before = _plan_snapshot("staf02")
    response = client.post(f"/tasks/{task.id}", data=skp_form(foreign, action="save"))
    assert response.status_code == 422
    assert "RHK atasan ini tidak tersedia." in text_of(response)
    assert _plan_snapshot("staf02") == before


def test_jpt_chooses_a_perspective(login, cycle_started):
    client = login("kadis")
    task = open_task("kadis", "susun_skp")
    page = client.get(f"/tasks/{task.id}")
    assert "Perspektif (JPT)" in text_of(page) and "RHK atasan yang diintervensi" not in text_of(page)
    response = client.post(f"/tasks/{task.id}", data=skp_form(None))
    assert response.status_code == 422
    assert "Pilih perspektif untuk RHK JPT." in text_of(response)
    response = client.post(f"/tasks/{task.id}", data=skp_form(None, extra={"results-0-perspective": "penerima_layanan"}))
    assert response.status_code == 302
    assert open_bpmn_ids("kadis") == {"review_skp"}
