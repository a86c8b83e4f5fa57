"""The roles, defined once: lane names in diagrams, role grants, and who may read or act on what.

employee / supervisor / unit_head follow from the org data (who one is, whom one supervises, which
unit one heads); hr / pic / it / auditor are granted for a unit and its subtree (`role_grant`).
"""
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    EMPLOYEE = "employee"
    SUPERVISOR = "supervisor"
    UNIT_HEAD = "unit_head"
    HR = "hr"
    PIC = "pic"
    IT = "it"
    AUDITOR = "auditor"


ROLE_LABELS = {
    Role.EMPLOYEE: _l("Pegawai"),
    Role.SUPERVISOR: _l("Atasan langsung"),
    Role.UNIT_HEAD: _l("Pimpinan unit kerja"),
    Role.HR: _l("Pengelola kinerja (BKPSDM)"),
    Role.PIC: _l("PIC unit"),
    Role.IT: _l("Tim TI"),
    Role.AUDITOR: _l("Auditor"),
}

# Roles that follow from the org data; a lane of one of these is a person.
ORG_ROLES = (Role.EMPLOYEE, Role.SUPERVISOR, Role.UNIT_HEAD)
# Roles granted explicitly for a unit (the values `role_grant.role` may hold).
GRANTED_ROLES = (Role.HR, Role.PIC, Role.IT, Role.AUDITOR)
# Granted roles a diagram lane may name: a candidate group its members claim from.
GROUP_ROLES = (Role.HR, Role.PIC, Role.IT)

# Who reads what in their grants' units.
# HR and the auditor see every employee, case, allowance and unit result.
OVERSEER_ROLES = (Role.HR, Role.AUDITOR)
# The PIC and IT teams handle complaints (the desk, and the complaint's diagram lanes).
COMPLAINT_STAFF_ROLES = (Role.PIC, Role.IT)
# Complaints are read by those who handle them and by HR and the auditor; supervisors do not read
# them: a complaint is not work.
COMPLAINT_READER_ROLES = (Role.PIC, Role.IT, Role.HR, Role.AUDITOR)
# The complaint report, and the SLA targets of the agencies of one's grants.
COMPLAINT_REPORT_ROLES = (Role.HR, Role.IT, Role.AUDITOR)
SLA_TARGET_ROLES = (Role.HR, Role.IT)
# The operations pages (jobs, workers).
OPS_ROLES = (Role.HR, Role.IT)
