"""Allowance pages: the employee's own breakdown, HR's recap and XLSX, the rules form with its
refusals, sanctions and missed assemblies; each for the right and the wrong user."""
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import Allowance, AllowanceRuleSet, ApelAbsence, DisciplinarySanction, Period
from app.services.cycle import periods
from tests.allowance_data import WORKED_EXAMPLE, attendance, save_rules, validated_minutes
from tests.conftest import employee, text_of, user
from tests.helpers import start_cycle
from tests.web.conftest import has_row, visible


@pytest.fixture
def march_closed(ctx):
    save_rules()
    attendance("staf02", WORKED_EXAMPLE)
    validated_minutes("staf02", 6075)
    start_cycle()
    march = db.session.scalars(select(Period).where(Period.key == "2026-03")).one()
    periods.close_period(db.session, march.id, user("hr.admin").id)


def _row(username) -> Allowance:
    return db.session.scalars(select(Allowance).where(Allowance.employee_id == employee(username).id)).one()


def test_an_employee_reads_the_reason_for_every_rupiah(login, march_closed):
    client = login("staf02")
    listing = client.get("/tpp")
    assert has_row(listing, "2026-03", "Rp 4.312.500", "Rp 387.500", "Rp 258.750", "Rp 4.053.750")
    page = visible(client.get("/tpp/2026-03"))
    for line in ("Terlambat 1-30 menit (TL1) 02-03-2026 0,5% × Rp 5.000.000 -Rp 25.000",
                 "Terlambat 61-90 menit (TL3) 04-03-2026 1,25% × Rp 5.000.000 -Rp 62.500",
                 "Tidak masuk kerja tanpa keterangan (TK) 09-03-2026 3% × Rp 5.000.000 -Rp 150.000",
                 "Bagian kinerja Rp 2.700.000", "Bagian disiplin setelah potongan Rp 1.612.500",
                 "Bruto Rp 4.312.500", "Iuran pegawai -Rp 43.125", "Pajak (5%) -Rp 215.625",
                 "Diterima (neto) Rp 4.053.750", "6.075 dari target 6.750"):
        assert line in page, line


def test_an_employee_sees_only_their_own_months(login, march_closed):
    client = login("staf05")
    assert client.get("/tpp/2026-03").status_code == 200
    assert "Rp 4.053.750" not in visible(client.get("/tpp"))
    assert client.get("/tpp/2026-04").status_code == 404
    assert login("hr.admin").get("/tpp/2026-03").status_code == 404  # no employee record, no own allowance


def test_hr_recap_per_unit_and_employee_and_the_export(login, march_closed):
    client = login("hr.admin")
    page = client.get("/hr/tpp?month=2026-03")
    assert page.status_code == 200
    assert has_row(page, "Seksi Pelayanan Kesehatan Rujukan")
    searched = client.get("/hr/tpp?month=2026-03&q=" + employee("staf02").nip)
    assert "1 baris" in text_of(searched)
    staff = employee("staf02")
    assert (f"{staff.name} {staff.nip} Seksi Pelayanan Kesehatan Rujukan Rp 4.312.500 Rp 112.500 Rp 125.000 "
            "Rp 150.000 Rp 0 Rp 0 Rp 0 Rp 43.125 Rp 215.625 Rp 4.053.750") in visible(searched)
    detail = client.get(f"/hr/tpp/rows/{_row('staf02').id}")
    assert "Diterima (neto) Rp 4.053.750" in visible(detail)

    export = client.get("/hr/tpp/export.xlsx?month=2026-03")
    assert export.status_code == 200
    assert export.headers["Content-Disposition"] == 'attachment; filename="rekap-tpp-2026-03.xlsx"'
    book = load_workbook(BytesIO(export.data))
    assert book.sheetnames == ["Rekap per unit", "Per pegawai"]
    people = list(book["Per pegawai"].values)
    header, rows = people[0], {row[0]: row for row in people[1:]}
    staff = dict(zip(header, rows[employee("staf02").nip]))
    assert (staff["Bruto"], staff["Potongan TL"], staff["Pajak"], staff["Diterima (neto)"]) == (
        4_312_500, 112_500, 215_625, 4_053_750)
    totals = list(book["Rekap per unit"].values)
    assert totals[-1][0] == "Jumlah"
    assert totals[-1][1] == db.session.scalar(select(func.count()).select_from(Allowance))
    net_column = totals[1].index("Diterima (neto)")
    assert totals[-1][net_column] == db.session.scalar(select(func.sum(Allowance.net)))


def test_recap_is_for_hr_and_auditors_only(login, march_closed):
    assert login("auditor").get("/hr/tpp?month=2026-03").status_code == 200
    assert login("auditor").get("/hr/tpp/export.xlsx?month=2026-03").status_code == 200
    for username in ("staf02", "kasi.rujukan", "kadis"):
        client = login(username)
        assert client.get("/hr/tpp").status_code == 403
        assert client.get("/hr/tpp/export.xlsx").status_code == 403
        assert client.get(f"/hr/tpp/rows/{_row('staf02').id}").status_code == 403
    auditor = login("auditor")
    for url in ("/hr/tpp/rules", "/hr/tpp/rules/2026", "/hr/sanctions", "/hr/apel"):
        assert auditor.get(url).status_code == 403, url


def _rules_form(**changes) -> dict:
    data = {"effective_year": "2027", "performance_pct": "60", "discipline_pct": "40", "contribution_pct": "1"}
    data.update({f"base_{level}": f"{1_000_000 + 250_000 * level:,}".replace(",", ".") for level in range(1, 18)})
    data.update({"ded_TL1": "0,5", "ded_TL2": "1", "ded_TL3": "1,25", "ded_TL4": "1,5", "ded_PSW1": "0,5",
                 "ded_PSW2": "1", "ded_PSW3": "1,25", "ded_PSW4": "1,5", "ded_TK": "3", "ded_APEL": "0,5"})
    data.update({f"leave_{kind}": "0" for kind in ("cuti_sakit", "cuti_besar", "cuti_melahirkan",
                                                    "cuti_alasan_penting", "cltn")})
    data.update({"sanction_ringan": "10", "sanction_sedang": "25", "sanction_berat": "50"})
    data.update({f"grade_{g}": "100" for g in ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")})
    data.update({"tax_I": "0", "tax_II": "0", "tax_III": "5", "tax_IV": "15"})
    data.update({f"tax_PPPK_{g}": "0" for g in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI",
                                                "XII", "XIII", "XIV", "XV", "XVI", "XVII")})
    data.update(changes)
    return data


def test_rules_form_refuses_gaps_and_a_bad_split_field_by_field(login, ctx):
    client = login("hr.admin")
    page = client.get("/hr/tpp/rules/2027")
    assert page.status_code == 200
    assert 'value="60"' in page.get_data(as_text=True) and 'value="0,5"' in page.get_data(as_text=True)
    response = client.post("/hr/tpp/rules/2027", data=_rules_form(performance_pct="70", discipline_pct="20",
                                                                    base_7="", ded_TK="tiga"))
    assert response.status_code == 422
    page = visible(response)
    assert "Kelas jabatan 7 belum punya nilai dasar TPP." in page
    assert "Bagian kinerja (70%) dan bagian disiplin (20%) berjumlah 90%; harus 100%." in page
    assert "'tiga' bukan angka persen; contoh: 0,5 atau 1,25." in page
    assert db.session.scalar(select(func.count()).select_from(AllowanceRuleSet)) == 0


def test_rules_form_saves_complete_rules(login, ctx):
    client = login("hr.admin")
    response = client.post("/hr/tpp/rules/2027", data=_rules_form(), follow_redirects=True)
    assert "Aturan TPP berlaku mulai 2027 disimpan." in visible(response)
    assert has_row(response, "2027", "60% / 40%", "1%")
    row = db.session.scalars(select(AllowanceRuleSet)).one()
    assert (row.base_amounts["7"], row.deductions["TL1"], row.tax_rates["III"]) == (2_750_000, "0.5", "5")


def test_rules_pages_are_for_hr(login, ctx):
    for username in ("staf02", "kasi.rujukan", "tim.it"):
        client = login(username)
        assert client.get("/hr/tpp/rules").status_code == 403
        assert client.post("/hr/tpp/rules/2027", data=_rules_form()).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AllowanceRuleSet)) == 0


def test_sanctions_are_recorded_listed_and_revoked(login, ctx):
    client = login("hr.admin")
    form = {"nip": "199999999999999999", "level": "sedang", "kind": "Pemotongan TPP 25%",
            "decree_number": "800/1/2026", "starts_on": "2026-03-01", "months": "6", "cut_pct": "", "note": ""}
    response = client.post("/hr/sanctions", data=form)
    assert response.status_code == 422
    assert "tidak ditemukan di unit yang Anda kelola" in visible(response)
    response = client.post("/hr/sanctions", data=dict(form, nip=employee("staf02").nip), follow_redirects=True)
    assert has_row(response, employee("staf02").name, "Sedang: Pemotongan TPP 25%", "01-03-2026 – 31-08-2026",
                   "menurut tingkat")
    sanction = db.session.scalars(select(DisciplinarySanction)).one()
    response = client.post(f"/hr/sanctions/{sanction.id}/revoke", data={"reason": "SK dibatalkan"},
                           follow_redirects=True)
    assert "Hukuman disiplin dicabut." in visible(response)
    assert has_row(response, employee("staf02").name, "Dicabut: SK dibatalkan")
    assert login("staf02").get("/hr/sanctions").status_code == 403
    assert login("staf02").post(f"/hr/sanctions/{sanction.id}/revoke", data={"reason": "x"}).status_code == 403


def test_missed_assemblies_are_recorded_once_and_refused_on_a_holiday(login, ctx):
    client = login("hr.admin")
    nips = f"{employee('staf02').nip}\n{employee('staf05').nip}\n123\n{employee('staf02').nip}"
    response = client.post("/hr/apel", data={"day": "2026-03-02", "nips": nips}, follow_redirects=True)
    page = visible(response)
    assert "2 pegawai dicatat tidak hadir apel 02-03-2026, 1 sudah tercatat." in page
    assert "NIP tidak ditemukan di unit Anda: 123" in page
    assert has_row(response, "02-03-2026", employee("staf05").name)
    again = client.post("/hr/apel", data={"day": "2026-03-02", "nips": employee("staf02").nip}, follow_redirects=True)
    assert "0 pegawai dicatat tidak hadir apel 02-03-2026, 1 sudah tercatat." in visible(again)
    holiday = client.post("/hr/apel", data={"day": "2026-03-19", "nips": employee("staf02").nip})
    assert holiday.status_code == 422
    assert "19-03-2026 bukan hari kerja" in visible(holiday)
    assert db.session.scalar(select(func.count()).select_from(ApelAbsence)) == 2
    absence = db.session.scalars(select(ApelAbsence)).first()
    assert client.post(f"/hr/apel/{absence.id}/delete", follow_redirects=True).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(ApelAbsence)) == 1
    assert login("staf02").get("/hr/apel").status_code == 403


def test_a_closed_month_refuses_new_assembly_records(login, march_closed):
    response = login("hr.admin").post("/hr/apel", data={"day": "2026-03-02", "nips": employee("staf02").nip})
    assert response.status_code == 422
    assert "Periode 2026-03 sudah ditutup" in visible(response)


def test_a_missed_assembly_is_deducted_when_the_month_is_computed(login, ctx):
    save_rules()
    attendance("staf02")
    validated_minutes("staf02", 6750)
    login("hr.admin").post("/hr/apel", data={"day": "2026-03-03", "nips": employee("staf02").nip})
    start_cycle()
    march = db.session.scalars(select(Period).where(Period.key == "2026-03")).one()
    periods.close_period(db.session, march.id, user("hr.admin").id)
    row = _row("staf02")
    assert (row.deduction_apel, row.discipline_part) == (25_000, 1_975_000)
    assert date(2026, 3, 3).isoformat() in [i["day"] for i in row.items if i["code"] == "APEL"]
