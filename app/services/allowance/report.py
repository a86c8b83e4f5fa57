"""Reading the allowance: an employee's own months, HR's recap per unit and per employee, XLSX export.

Every query is scoped: employees read their own rows, HR and auditors the units their grants cover.
"""
from io import BytesIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from app.core.errors import Forbidden
from app.models import Allowance, Employee, OrgUnit, User
from app.models.roles import OVERSEER_ROLES

# The recap is read by HR and the auditor.
READ_ROLES = OVERSEER_ROLES
MONEY_COLUMNS = [
    ("gross", _l("Bruto")), ("performance_part", _l("Bagian kinerja")),
    ("discipline_base", _l("Bagian disiplin sebelum potongan")),
    ("deduction_tl", _l("Potongan TL")), ("deduction_psw", _l("Potongan PSW")), ("deduction_tk", _l("Potongan TK")),
    ("deduction_leave", _l("Potongan cuti")), ("deduction_apel", _l("Potongan apel")),
    ("deduction_applied", _l("Potongan disiplin diterapkan")), ("discipline_part", _l("Bagian disiplin")),
    ("sanction_cut", _l("Potongan hukuman disiplin")), ("contribution", _l("Iuran pegawai")), ("tax", _l("Pajak")),
    ("net", _l("Diterima (neto)")),
]


def can_read_recap(user: User) -> bool:
    return user.has_role(*READ_ROLES)


def _unit_scope(user: User):
    paths = user.scope_paths(*READ_ROLES)
    if not paths:
        raise Forbidden(_("Rekap TPP hanya untuk pengelola kinerja (HR) dan auditor."))
    return or_(*[OrgUnit.path.like(f"{path}%") for path in paths])


def months(session: Session, user: User) -> list[str]:
    return list(session.scalars(select(Allowance.period_key).join(OrgUnit, OrgUnit.id == Allowance.unit_id)
                                .where(_unit_scope(user)).group_by(Allowance.period_key)
                                .order_by(Allowance.period_key.desc())))


def units(session: Session, user: User) -> list[OrgUnit]:
    return list(session.scalars(select(OrgUnit).where(_unit_scope(user)).order_by(OrgUnit.path)))


def recap_query(user: User, month: str, unit_id: int | None = None, q: str = ""):
    stmt = (select(Allowance).join(OrgUnit, OrgUnit.id == Allowance.unit_id)
            .join(Employee, Employee.id == Allowance.employee_id)
            .where(_unit_scope(user), Allowance.period_key == month)
            .options(joinedload(Allowance.employee), joinedload(Allowance.unit)))
    if unit_id:
        stmt = stmt.where(Allowance.unit_id == unit_id)
    if q.strip():
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Employee.name.ilike(like), Employee.nip.like(like)))
    return stmt.order_by(OrgUnit.path, Employee.name)


def unit_totals(session: Session, user: User, month: str, unit_id: int | None = None) -> list[dict]:
    columns = [func.sum(getattr(Allowance, name)).label(name) for name, _label in MONEY_COLUMNS]
    stmt = (select(OrgUnit.id, OrgUnit.name, OrgUnit.path, func.count(Allowance.id).label("employees"), *columns)
            .join(Allowance, Allowance.unit_id == OrgUnit.id)
            .where(_unit_scope(user), Allowance.period_key == month)
            .group_by(OrgUnit.id, OrgUnit.name, OrgUnit.path).order_by(OrgUnit.path))
    if unit_id:
        stmt = stmt.where(OrgUnit.id == unit_id)
    return [dict(row._mapping) for row in session.execute(stmt)]


def own_rows(session: Session, user: User):
    if user.employee_id is None:
        return select(Allowance).where(Allowance.id.is_(None))
    return select(Allowance).where(Allowance.employee_id == user.employee_id).order_by(Allowance.period_key.desc())


def own_month(session: Session, user: User, month: str) -> Allowance | None:
    if user.employee_id is None:
        return None
    return session.scalars(select(Allowance).where(Allowance.employee_id == user.employee_id,
                                                   Allowance.period_key == month)).first()


def export_xlsx(session: Session, user: User, month: str, unit_id: int | None = None) -> bytes:
    """Two sheets: the totals per unit, and one line per employee with every deduction, in the
    reader's language (the cells take text, not lazy labels)."""
    money_labels = [str(label) for _name, label in MONEY_COLUMNS]
    book = Workbook()
    bold = Font(bold=True)
    totals_sheet = book.active
    totals_sheet.title = _("Rekap per unit")
    totals_sheet.append([_("Rekap TPP %(month)s", month=month)])
    totals_sheet["A1"].font = bold
    totals_sheet.append([_("Unit kerja"), _("Pegawai")] + money_labels)
    for cell in totals_sheet[2]:
        cell.font = bold
    grand = {name: 0 for name, _label in MONEY_COLUMNS}
    employees = 0
    for row in unit_totals(session, user, month, unit_id):
        totals_sheet.append([row["name"], row["employees"]] + [int(row[name] or 0) for name, _label in MONEY_COLUMNS])
        employees += row["employees"]
        for name in grand:
            grand[name] += int(row[name] or 0)
    totals_sheet.append([pgettext("total row", "Jumlah"), employees] + [grand[name] for name, _label in MONEY_COLUMNS])
    for cell in totals_sheet[totals_sheet.max_row]:
        cell.font = bold

    detail = book.create_sheet(_("Per pegawai"))
    header = [_("NIP"), _("Nama"), _("Unit kerja"), _("Kelas jabatan"), _("Golongan"), _("Hari kerja"),
              _("Menit tervalidasi"), _("Target menit"), _("Faktor kinerja"), _("Predikat")] + money_labels
    detail.append(header)
    for cell in detail[1]:
        cell.font = bold
    for row in session.scalars(recap_query(user, month, unit_id)).unique():
        detail.append([row.employee.nip, row.employee.name, row.unit.name, row.class_level, row.rank_group,
                       f"{row.days_covered}/{row.working_days}", row.validated_minutes, row.target_minutes,
                       float(row.performance_factor), row.grade or ""]
                      + [getattr(row, name) for name, _label in MONEY_COLUMNS])
    for sheet in (totals_sheet, detail):
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 50)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, int) and cell.column > 2:
                    cell.number_format = "#,##0"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
