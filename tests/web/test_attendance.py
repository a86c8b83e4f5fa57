"""Attendance: check-in within the office radius, device import (idempotent, line-numbered
refusals, nothing half-imported), leave and travel, and the day classes the allowance reads."""
import io
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import AttendanceDay, AttendancePunch, OfficeLocation, OrgUnit
from app.services.attendance.days import classify_range
from tests.conftest import employee, text_of
from tests.web.conftest import visible

OFFICE = (-2.2096, 113.9213)  # Palangka Raya


def _office(code="DINKES", radius=100):
    unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == code)).one()
    db.session.add(OfficeLocation(unit_id=unit.id, name="Kantor Dinkes", latitude=OFFICE[0], longitude=OFFICE[1],
                                  radius_m=radius))
    db.session.commit()


def _punches(username="staf02"):
    return db.session.scalar(select(func.count()).select_from(AttendancePunch).where(
        AttendancePunch.employee_id == employee(username).id))


def test_check_in_near_the_office_is_recorded(login):
    _office()
    client = login("staf02")
    assert client.get("/attendance").status_code == 200
    response = client.post("/attendance", data={"kind": "in", "latitude": "-2.2097", "longitude": "113.9214",
                                                "accuracy": "12"}, follow_redirects=True)
    assert "Presensi datang tercatat." in visible(response)
    punch = db.session.scalars(select(AttendancePunch)).one()
    assert (punch.kind, punch.source, punch.distance_m <= 20) == ("in", "web", True)


def test_check_in_far_away_shows_the_distance(login):
    _office()
    response = login("staf02").post("/attendance", data={"kind": "in", "latitude": "-2.2186", "longitude": "113.9213"})
    assert response.status_code == 422
    text = visible(response)
    assert "Presensi ditolak: Anda berada 1001 m dari Kantor Dinkes, di luar radius 100 m." in text
    assert _punches() == 0


def test_check_in_without_location_or_office(login):
    client = login("staf02")
    no_office = client.post("/attendance", data={"kind": "in", "latitude": "-2.2", "longitude": "113.9"})
    assert "Lokasi kantor unit Anda belum diatur" in visible(no_office)
    _office()
    no_location = client.post("/attendance", data={"kind": "in"})
    assert no_location.status_code == 422
    assert "Lokasi perangkat tidak terbaca" in visible(no_location)
    assert _punches() == 0


def test_attendance_page_needs_an_employee(login):
    assert login("hr.admin").get("/attendance").status_code == 403


def _csv(*lines, header="NIP,timestamp,device"):
    return "\n".join([header, *lines]).encode()


def _import(client, content, skip=False, name="mesin.csv"):
    data = {"file": (io.BytesIO(content), name)}
    if skip:
        data["skip_invalid"] = "y"
    return client.post("/hr/attendance/import", data=data, content_type="multipart/form-data")


def test_import_is_idempotent(login):
    nip = employee("staf02").nip
    content = _csv(f"{nip},2026-04-06 07:25:10,FP-01", f"{nip},2026-04-06 16:05:00,FP-01")
    client = login("hr.admin")
    first = _import(client, content)
    assert first.status_code == 200
    assert "2 baris baru, 0 sudah ada sebelumnya, 0 ditolak" in visible(first)
    second = _import(client, content)
    assert "0 baris baru, 2 sudah ada sebelumnya" in visible(second)
    assert _punches() == 2


def test_import_refuses_bad_rows_with_line_numbers_and_saves_nothing(login):
    nip = employee("staf02").nip
    content = _csv(f"{nip},2026-04-06 07:25,FP-01", "12345,2026-04-06 07:30,FP-01", f"{nip},kemarin pagi,FP-01",
                   "199001012015011999,2026-04-06 07:30,FP-01")
    client = login("hr.admin")
    response = _import(client, content)
    assert response.status_code == 422
    text = visible(response)
    assert "Tidak ada yang disimpan" in text
    assert "3 NIP '12345' tidak valid" in text
    assert "4 waktu 'kemarin pagi' tidak dikenali" in text
    assert "5 NIP 199001012015011999 tidak ditemukan di unit Anda" in text
    assert _punches() == 0
    partial = _import(client, content, skip=True)
    assert "1 baris baru" in visible(partial) and _punches() == 1


def test_import_with_wrong_columns_names_them(login):
    response = _import(login("hr.admin"), _csv("1,2", header="nomor,jam"))
    assert response.status_code == 422
    assert "Kolom wajib tidak ada: nip, timestamp, device" in visible(response)


def test_import_accepts_semicolons_and_indonesian_dates(login):
    nip = employee("staf02").nip
    response = _import(login("hr.admin"), _csv(f"{nip};06/04/2026 07:31;FP-02", header="NIP;waktu;perangkat"))
    assert "1 baris baru" in visible(response)
    punch = db.session.scalars(select(AttendancePunch)).one()
    assert punch.at == datetime(2026, 4, 6, 0, 31, tzinfo=UTC)  # 07:31 WIB


def test_hr_attendance_pages_refuse_others(login):
    for username in ("staf02", "kasi.rujukan", "auditor"):
        client = login(username)
        for url in ("/hr/attendance/import", "/hr/absences", "/hr/calendar", "/hr/offices"):
            assert client.get(url).status_code == 403, (username, url)
        assert _import(client, _csv()).status_code == 403


def test_hr_attendance_pages_render(login):
    client = login("hr.admin")
    for url in ("/hr/attendance/import", "/hr/absences", "/hr/calendar?year=2026", "/hr/offices"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Bantuan halaman ini" in text_of(response)
    assert "Idulfitri" in visible(client.get("/hr/calendar?year=2026"))


def test_leave_recorded_by_hr_and_the_day_classes(login):
    staf02 = employee("staf02")
    client = login("hr.admin")
    response = client.post("/hr/absences", data={"nip": staf02.nip, "kind": "cuti_tahunan", "starts_on": "2026-04-08",
                                                  "ends_on": "2026-04-08", "reason": "Keperluan keluarga"})
    assert response.status_code == 302
    clash = client.post("/hr/absences", data={"nip": staf02.nip, "kind": "dinas_luar", "starts_on": "2026-04-07",
                                              "ends_on": "2026-04-09"})
    assert clash.status_code == 422 and "Bertumpang tindih dengan cuti tahunan" in visible(clash)
    client.post("/hr/absences", data={"nip": staf02.nip, "kind": "dinas_luar", "starts_on": "2026-04-09",
                                      "ends_on": "2026-04-09"})
    nip = staf02.nip
    _import(client, _csv(f"{nip},2026-04-06 07:45,FP", f"{nip},2026-04-06 15:50,FP", f"{nip},2026-04-10 07:20,FP"))
    assert classify_range(db.session, [staf02.id], date(2026, 4, 2), date(2026, 4, 10)) == 9
    db.session.commit()
    days = {d.day.isoformat(): (d.status, d.arrival_code, d.departure_code, d.leave_type)
            for d in db.session.scalars(select(AttendanceDay))}
    assert days == {
        "2026-04-02": ("no_record", None, None, None),
        "2026-04-03": ("holiday", None, None, None),        # Good Friday
        "2026-04-04": ("holiday", None, None, None),
        "2026-04-05": ("holiday", None, None, None),
        "2026-04-06": ("present", "TL1", "PSW1", None),
        "2026-04-07": ("no_record", None, None, None),
        "2026-04-08": ("leave", None, None, "cuti_tahunan"),
        "2026-04-09": ("travel", None, None, "dinas_luar"),
        "2026-04-10": ("present", None, "PSW4", None),      # no check-out on Friday
    }
    classify_range(db.session, [staf02.id], date(2026, 4, 2), date(2026, 4, 10))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AttendanceDay)) == 9  # re-run: same rows


def test_ramadan_hours_and_holidays_are_editable(login):
    client = login("hr.admin")
    response = client.post("/hr/calendar", data={
        "action": "schedule", "s-name": "Ramadan 1447 H", "s-starts_on": "2026-02-18", "s-ends_on": "2026-03-19",
        **{f"s-start_{i}": "08:00" for i in range(5)}, **{f"s-end_{i}": "15:00" for i in range(4)}, "s-end_4": "15:30"})
    assert response.status_code == 302
    bad = client.post("/hr/calendar", data={"action": "schedule", "s-start_0": "16:00", "s-end_0": "08:00"})
    assert bad.status_code == 422 and "Jam pulang hari ke-1 harus setelah jam masuk." in visible(bad)
    assert client.post("/hr/calendar", data={"action": "holiday", "h-day": "2026-04-07", "h-name": "Libur daerah",
                                             "h-kind": "libur_nasional"}).status_code == 302
    nip = employee("staf02").nip
    _import(client, _csv(f"{nip},2026-03-02 08:10,FP", f"{nip},2026-03-02 15:00,FP"))
    staf02 = employee("staf02")
    classify_range(db.session, [staf02.id], date(2026, 3, 2), date(2026, 3, 2))
    classify_range(db.session, [staf02.id], date(2026, 4, 7), date(2026, 4, 7))
    db.session.commit()
    days = {d.day.isoformat(): (d.status, d.arrival_code, d.departure_code) for d in db.session.scalars(select(AttendanceDay))}
    assert days == {"2026-03-02": ("present", "TL1", None), "2026-04-07": ("holiday", None, None)}
