"""designer: drafts, case migration runs

Revision ID: 0003
Revises: 0006
Create Date: 2026-11-22 06:48:02.622106

HR's shared working drafts of diagrams, and the runs that precheck and migrate running cases
from one deployed version to another (one item per case).

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('migration_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.String(length=100), nullable=False),
    sa.Column('from_version_id', sa.Integer(), nullable=False),
    sa.Column('to_version_id', sa.Integer(), nullable=False),
    sa.Column('unit_path', sa.String(length=400), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('checked', sa.Integer(), nullable=False),
    sa.Column('migratable', sa.Integer(), nullable=False),
    sa.Column('to_migrate', sa.Integer(), nullable=False),
    sa.Column('migrated', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_migration_run_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['from_version_id'], ['process_version.id'], name=op.f('fk_migration_run_from_version_id_process_version')),
    sa.ForeignKeyConstraint(['to_version_id'], ['process_version.id'], name=op.f('fk_migration_run_to_version_id_process_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_migration_run'))
    )
    with op.batch_alter_table('migration_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_migration_run_process_id'), ['process_id'], unique=False)

    op.create_table('process_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.String(length=100), nullable=False),
    sa.Column('bpmn_xml', sa.Text(), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['base_version_id'], ['process_version.id'], name=op.f('fk_process_draft_base_version_id_process_version')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_process_draft_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_draft')),
    sa.UniqueConstraint('process_id', name=op.f('uq_process_draft_process_id'))
    )
    op.create_table('migration_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('migratable', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('queued', sa.Boolean(), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_migration_item_case_id_case')),
    sa.ForeignKeyConstraint(['run_id'], ['migration_run.id'], name=op.f('fk_migration_item_run_id_migration_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_migration_item')),
    sa.UniqueConstraint('run_id', 'case_id', name=op.f('uq_migration_item_run_id'))
    )
    with op.batch_alter_table('migration_item', schema=None) as batch_op:
        batch_op.create_index('ix_migration_item_run_state', ['run_id', 'migratable', 'result'], unique=False)

def downgrade():
    with op.batch_alter_table('migration_item', schema=None) as batch_op:
        batch_op.drop_index('ix_migration_item_run_state')

    op.drop_table('migration_item')
    op.drop_table('process_draft')
    with op.batch_alter_table('migration_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_migration_run_process_id'))

    op.drop_table('migration_run')

