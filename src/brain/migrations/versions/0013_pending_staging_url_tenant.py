"""Course distribution: a pending staging URL belongs to its course's tenant.

The consumer looks pending URLs up by tenant and course, like every other lookup it makes. Rows
written before this revision get the tenant of the `course.deployed.staging` event that left
them; a row whose event is gone cannot be attributed and is dropped (the next deployment of the
course sends its URL again).

Revision ID: 0013
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "distribution_pending_staging_urls"


def upgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("tenant_id", sa.Uuid(), nullable=True))
    pending = sa.table(TABLE, sa.column("course_id", sa.Uuid()), sa.column("tenant_id", sa.Uuid()))
    events = sa.table(
        "events",
        sa.column("pk", sa.BigInteger()),
        sa.column("type", sa.String()),
        sa.column("aggregate_id", sa.String()),
        sa.column("tenant_id", sa.Uuid()),
    )
    bind = op.get_bind()
    for (course_id,) in bind.execute(sa.select(pending.c.course_id)).all():
        tenant_id = bind.scalar(
            sa.select(events.c.tenant_id)
            .where(
                events.c.type == "course.deployed.staging",
                events.c.aggregate_id == str(course_id),
            )
            .order_by(events.c.pk.desc())
            .limit(1)
        )
        bind.execute(
            sa.update(pending).where(pending.c.course_id == course_id).values(tenant_id=tenant_id)
        )
    bind.execute(sa.delete(pending).where(pending.c.tenant_id.is_(None)))
    with op.batch_alter_table(TABLE) as batch:
        batch.alter_column("tenant_id", existing_type=sa.Uuid(), nullable=False)
        batch.create_foreign_key(
            op.f(f"fk_{TABLE}_tenant_id_tenants"),
            "tenants",
            ["tenant_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_constraint(op.f(f"fk_{TABLE}_tenant_id_tenants"), type_="foreignkey")
        batch.drop_column("tenant_id")
