"""Course distribution: durable tracking buckets (views and clicks not yet in an aggregated event).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "distribution_tracking_buckets",
        sa.Column("distribution_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("distribution_id", name=op.f("pk_distribution_tracking_buckets")),
    )
    op.create_index(
        op.f("ix_distribution_tracking_buckets_last_published_at"),
        "distribution_tracking_buckets",
        ["last_published_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_distribution_tracking_buckets_last_published_at"),
        table_name="distribution_tracking_buckets",
    )
    op.drop_table("distribution_tracking_buckets")
