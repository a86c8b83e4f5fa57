"""unit results: a unit's own result per period

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-22 07:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('unit_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period_key', sa.String(length=20), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=False),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['set_by_id'], ['user_account.id'], name=op.f('fk_unit_result_set_by_id_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_unit_result_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_result')),
    sa.UniqueConstraint('unit_id', 'period_key', name=op.f('uq_unit_result_unit_id'))
    )


def downgrade():
    op.drop_table('unit_result')
