"""unpaid leave: one name for it in attendance and in the allowance rules

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 01:00:00

Leave outside the state's responsibility (cuti di luar tanggungan negara) was recorded on an
absence as `cuti_luar_tanggungan`, while the allowance rules (and every saved rule set) know it as
`cltn`, its BKN abbreviation: such a month was computed with a warning and no deduction. Absences
take the rules' name.
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE absence SET kind = 'cltn' WHERE kind = 'cuti_luar_tanggungan'")


def downgrade():
    op.execute("UPDATE absence SET kind = 'cuti_luar_tanggungan' WHERE kind = 'cltn'")
