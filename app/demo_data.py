"""Demo data: one agency with a unit tree, 34 employees across position types, and accounts.

Everything here goes through the same models a real import would; nothing in the app depends
on these names.
"""
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Agency, Employee, Holiday, OrgUnit, Position, RoleGrant, SupervisorAssignment, User
from app.services.attendance import calendars
from app.services.trust.login import hash_password

DEMO_PASSWORD = "demo12345"

UNITS = [
    # code, name, parent code
    ("DINKES", "Dinas Kesehatan Provinsi Kalimantan Tengah", None),
    ("SEKRE", "Sekretariat", "DINKES"),
    ("UMPEG", "Subbagian Umum dan Kepegawaian", "SEKRE"),
    ("YANKES", "Bidang Pelayanan Kesehatan", "DINKES"),
    ("RUJUK", "Seksi Pelayanan Kesehatan Rujukan", "YANKES"),
    ("P2P", "Bidang Pencegahan dan Pengendalian Penyakit", "DINKES"),
    ("SURV", "Seksi Surveilans dan Imunisasi", "P2P"),
]

# username, name, unit, position name, type, class, rank, supervisor username, heads unit
PEOPLE = [
    ("kadis", "dr. Suyuti Syamsul, M.P.H.", "DINKES", "Kepala Dinas", "jpt", 15, "IV/c", None, "DINKES"),
    ("sekretaris", "Hj. Rahmawati, S.K.M., M.Kes.", "SEKRE", "Sekretaris Dinas", "administrator", 12, "IV/b", "kadis", "SEKRE"),
    ("kabid.yankes", "dr. Andi Pratama, M.Kes.", "YANKES", "Kepala Bidang Pelayanan Kesehatan", "administrator", 12, "IV/a", "kadis", "YANKES"),
    ("kabid.p2p", "Yulianti Damanik, S.K.M., M.Epid.", "P2P", "Kepala Bidang P2P", "administrator", 12, "IV/a", "kadis", "P2P"),
    ("kasubbag.umpeg", "Budi Santoso, S.Sos.", "UMPEG", "Kepala Subbagian Umum dan Kepegawaian", "pengawas", 9, "III/d", "sekretaris", "UMPEG"),
    ("kasi.rujukan", "Ns. Maria Ulfa, S.Kep.", "RUJUK", "Kepala Seksi Pelayanan Rujukan", "pengawas", 9, "III/d", "kabid.yankes", "RUJUK"),
    ("kasi.surv", "Agus Wibowo, S.K.M.", "SURV", "Kepala Seksi Surveilans dan Imunisasi", "pengawas", 9, "III/c", "kabid.p2p", "SURV"),
]

STAFF_NAMES = [
    "Siti Aminah", "Rudi Hartono", "Dewi Lestari", "Ahmad Fauzi", "Rina Marlina", "Joko Susilo",
    "Nurhayati", "Hendra Gunawan", "Fitri Handayani", "Yusuf Maulana", "Lina Kartika", "Bambang Irawan",
    "Wulan Sari", "Taufik Hidayat", "Indah Permata", "Eko Prasetyo", "Ratna Dewi", "Dedi Kurniawan",
    "Sri Wahyuni", "Arif Rahman", "Maya Anggraini", "Fajar Nugroho", "Putri Ayu", "Irfan Hakim",
    "Desi Ratnasari", "Gilang Ramadhan", "Ani Suryani",
]
STAFF_UNITS = [("UMPEG", "kasubbag.umpeg"), ("RUJUK", "kasi.rujukan"), ("SURV", "kasi.surv")]
STAFF_POSITIONS = [
    ("Pengadministrasi Perkantoran", "pelaksana", 5, "II/c"),
    ("Penata Layanan Operasional", "pelaksana", 7, "III/a"),
    ("Epidemiolog Kesehatan Ahli Pertama", "fungsional", 8, "III/b"),
    ("Perawat Ahli Muda", "fungsional", 9, "III/c"),
]

HOLIDAYS_2026 = [
    (date(2026, 1, 1), "Tahun Baru Masehi"), (date(2026, 1, 16), "Isra Mikraj"),
    (date(2026, 2, 17), "Tahun Baru Imlek"), (date(2026, 3, 19), "Hari Suci Nyepi"),
    (date(2026, 3, 20), "Idulfitri"), (date(2026, 3, 23), "Cuti bersama Idulfitri"),
    (date(2026, 4, 3), "Wafat Yesus Kristus"), (date(2026, 5, 1), "Hari Buruh"),
    (date(2026, 5, 14), "Kenaikan Yesus Kristus"), (date(2026, 5, 27), "Iduladha"),
    (date(2026, 5, 31), "Hari Raya Waisak"), (date(2026, 6, 1), "Hari Lahir Pancasila"),
    (date(2026, 6, 16), "Tahun Baru Islam"), (date(2026, 8, 17), "Hari Kemerdekaan"),
    (date(2026, 8, 25), "Maulid Nabi"), (date(2026, 12, 25), "Hari Raya Natal"),
]


def is_empty(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Agency)) == 0


def _nip(index: int, sex: int) -> str:
    birth = date(1970 + index % 25, 1 + index % 12, 1 + index % 28)
    appointed = f"{birth.year + 24}{1 + index % 12:02d}"
    return f"{birth:%Y%m%d}{appointed}{sex}{index + 1:03d}"


def load(session: Session) -> None:
    agency = Agency(code="DINKES-KALTENG", name="Dinas Kesehatan Provinsi Kalimantan Tengah",
                    timezone="Asia/Jakarta", appraisal_scheme="quarterly")
    session.add(agency)
    session.flush()
    units: dict[str, OrgUnit] = {}
    for code, name, parent in UNITS:
        unit = OrgUnit(agency_id=agency.id, code=code, name=name, parent_id=units[parent].id if parent else None)
        session.add(unit)
        session.flush()
        unit.path = (units[parent].path if parent else "/") + f"{unit.id}/"
        units[code] = unit
    for day, name in HOLIDAYS_2026:
        session.add(Holiday(agency_id=None, day=day, name=name))
    session.flush()
    # The demo's own 2026 list stays as the worked examples count it; this year and the next come
    # from the official lists, so the demo keeps working when it is run in a later year.
    this_year = agency.today().year
    for year in calendars.missing_years(session, (this_year, this_year + 1)):
        calendars.load_national(session, year, None)

    password = hash_password(DEMO_PASSWORD)
    people: dict[str, Employee] = {}
    start = date(2025, 1, 1)

    def add_person(index, username, name, unit_code, pos_name, pos_type, klass, rank, supervisor):
        position = Position(unit_id=units[unit_code].id, name=pos_name, position_type=pos_type, class_level=klass)
        session.add(position)
        session.flush()
        employee = Employee(nip=_nip(index, 1 + index % 2), name=name, agency_id=agency.id,
                            unit_id=units[unit_code].id, position_id=position.id, rank_group=rank)
        session.add(employee)
        session.flush()
        session.add(User(username=username, display_name=name, password_hash=password, employee_id=employee.id))
        if supervisor:
            session.add(SupervisorAssignment(employee_id=employee.id, supervisor_id=people[supervisor].id,
                                             valid_from=start))
        people[username] = employee

    for index, (username, name, unit_code, pos, ptype, klass, rank, sup, heads) in enumerate(PEOPLE):
        add_person(index, username, name, unit_code, pos, ptype, klass, rank, sup)
        units[heads].head_employee_id = people[username].id
    for i, name in enumerate(STAFF_NAMES):
        unit_code, supervisor = STAFF_UNITS[i % len(STAFF_UNITS)]
        pos_name, ptype, klass, rank = STAFF_POSITIONS[i % len(STAFF_POSITIONS)]
        add_person(len(PEOPLE) + i, f"staf{i + 1:02d}", name, unit_code, pos_name, ptype, klass, rank, supervisor)

    root = units["DINKES"]
    session.add(User(username="hr.admin", display_name="Pengelola Kinerja BKPSDM", password_hash=password))
    session.add(User(username="auditor", display_name="Auditor Inspektorat", password_hash=password))
    session.add(User(username="tim.it", display_name="Tim TI Dinas", password_hash=password))
    session.flush()
    by_name = {u.username: u for u in session.scalars(select(User))}
    session.add(RoleGrant(user_id=by_name["hr.admin"].id, role="hr", unit_id=root.id))
    session.add(RoleGrant(user_id=by_name["auditor"].id, role="auditor", unit_id=root.id))
    session.add(RoleGrant(user_id=by_name["tim.it"].id, role="it", unit_id=root.id))
    # A PIC in each unit, chosen among its staff.
    for code, _name, _parent in UNITS[1:]:
        staff = [u for u in by_name.values() if u.employee and u.employee.unit_id == units[code].id]
        pic = staff[-1] if staff else by_name["hr.admin"]
        session.add(RoleGrant(user_id=pic.id, role="pic", unit_id=units[code].id))
    session.flush()


def logins_text() -> str:
    rows = [
        ("hr.admin", "Pengelola kinerja (HR): mulai siklus, tutup periode"),
        ("kadis", "Kepala Dinas (JPT), atasan para kepala bidang"),
        ("kabid.yankes", "Kepala Bidang (administrator)"),
        ("kasi.rujukan", "Kepala Seksi (pengawas), atasan staf02, staf05, ..."),
        ("staf02", "Pegawai pelaksana di Seksi Rujukan"),
        ("staf26", "PIC Seksi Rujukan: menangani pengaduan kendala teknis"),
        ("tim.it", "Tim TI: pengaduan yang diteruskan, target SLA, laporan"),
        ("auditor", "Auditor: hanya membaca"),
    ]
    lines = [f"  {u:<16} {DEMO_PASSWORD}   {role}" for u, role in rows]
    return "Akun demo (kata sandi sama untuk semua):\n" + "\n".join(lines)
