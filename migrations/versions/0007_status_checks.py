"""status checks: every status column and role grants accept only the values the code writes

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-07 12:30:00

The chain is 0001, 0002, 0006, 0003, 0004, 0005, 0007: linear with one head (0006 was written
after 0002 and placed there; the ids stay as deployed databases record them).

The values are the StrEnums of app/models/statuses.py and app/models/roles.py on the day of this
migration, copied here so later changes to the enums need their own migration. Rows holding any
other value stop the upgrade with the table and the values named, before anything changes.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None

CHECKS = (
    ('case', 'status', ('running', 'error', 'completed')),
    ('human_task', 'status', ('open', 'completed', 'cancelled')),
    ('plan', 'status', ('draft', 'submitted', 'returned', 'approved')),
    ('period', 'state', ('open', 'closing', 'closed')),
    ('work_log', 'status', ('submitted', 'validated', 'rejected')),
    ('absence', 'status', ('requested', 'approved', 'rejected', 'cancelled')),
    ('attendance_day', 'status', ('present', 'no_record', 'leave', 'travel', 'holiday')),
    ('complaint', 'status', ('new', 'in_progress', 'waiting_employee', 'escalated', 'resolved', 'closed')),
    ('migration_run', 'state', ('checking', 'checked', 'migrating', 'finished')),
    ('migration_item', 'result', ('migrated', 'failed')),
    ('period_close_run', 'status', ('queued', 'running', 'finished')),
    ('period_close_item', 'status', ('pending', 'done', 'failed')),
    ('allowance_run', 'status', ('running', 'failed', 'finished')),
    ('allowance_batch', 'status', ('pending', 'done')),
    ('role_grant', 'role', ('hr', 'pic', 'it', 'auditor')),
)


def _condition(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _refuse_unknown_values():
    connection = op.get_bind()
    problems = []
    for table, column, values in CHECKS:
        t = sa.table(table, sa.column(column))
        found = connection.execute(
            sa.select(t.c[column]).distinct().where(t.c[column].is_not(None), t.c[column].not_in(values))
        ).scalars().all()
        if found:
            problems.append(f"{table}.{column}: {', '.join(sorted(map(str, found)))}")
    if problems:
        raise RuntimeError("Values the code does not write; correct these rows first: " + "; ".join(problems))


def _check_foreign_keys():
    connection = op.get_bind()
    if connection.dialect.name == 'sqlite':
        broken = connection.exec_driver_sql('PRAGMA foreign_key_check').fetchall()
        if broken:
            raise RuntimeError(f"Foreign keys broken after rebuilding tables: {broken[:10]}")


def upgrade():
    _refuse_unknown_values()
    for table, column, values in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f'ck_{table}_{column}'), _condition(column, values))
    _check_foreign_keys()


def downgrade():
    for table, column, _values in reversed(CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{column}'), type_='check')
    _check_foreign_keys()
