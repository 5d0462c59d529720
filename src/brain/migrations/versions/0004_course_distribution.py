"""Course distribution: distributions (SEO, CTA, visibility, counters), slug history, changelog,
staging URLs that arrived early.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "distribution_pending_staging_urls",
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("staging_url", sa.String(length=300), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("course_id", name=op.f("pk_distribution_pending_staging_urls")),
    )
    op.create_table(
        "course_distributions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "target_group", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("version", sa.String(length=8), nullable=False),
        sa.Column("derived_from", sa.Uuid(), nullable=True),
        sa.Column("seo", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("cta", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("visibility", sa.String(length=8), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("staging_url", sa.String(length=300), nullable=True),
        sa.Column("price_amount_minor", sa.Integer(), nullable=True),
        sa.Column("price_currency", sa.String(length=3), nullable=True),
        sa.Column("view_count", sa.Integer(), nullable=False),
        sa.Column("enrollment_click_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["derived_from"],
            ["course_distributions.id"],
            name=op.f("fk_course_distributions_derived_from_course_distributions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_course_distributions_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_distributions")),
        sa.UniqueConstraint("slug", name=op.f("uq_course_distributions_slug")),
    )
    with op.batch_alter_table("course_distributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_distributions_derived_from"), ["derived_from"], unique=False
        )
        batch_op.create_index(
            "ix_course_distributions_tenant_course", ["tenant_id", "course_id"], unique=False
        )
        batch_op.create_index(
            "ix_course_distributions_visibility_language", ["visibility", "language"], unique=False
        )

    op.create_table(
        "distribution_changelog",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("distribution_id", sa.Uuid(), nullable=False),
        sa.Column("from_version", sa.String(length=8), nullable=False),
        sa.Column("to_version", sa.String(length=8), nullable=False),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["course_distributions.id"],
            name=op.f("fk_distribution_changelog_distribution_id_course_distributions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distribution_changelog")),
    )
    with op.batch_alter_table("distribution_changelog", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_distribution_changelog_distribution_id"),
            ["distribution_id"],
            unique=False,
        )

    op.create_table(
        "distribution_slug_history",
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("distribution_id", sa.Uuid(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["course_distributions.id"],
            name=op.f("fk_distribution_slug_history_distribution_id_course_distributions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_distribution_slug_history")),
    )
    with op.batch_alter_table("distribution_slug_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_distribution_slug_history_distribution_id"),
            ["distribution_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("distribution_slug_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_distribution_slug_history_distribution_id"))

    op.drop_table("distribution_slug_history")
    with op.batch_alter_table("distribution_changelog", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_distribution_changelog_distribution_id"))

    op.drop_table("distribution_changelog")
    with op.batch_alter_table("course_distributions", schema=None) as batch_op:
        batch_op.drop_index("ix_course_distributions_visibility_language")
        batch_op.drop_index("ix_course_distributions_tenant_course")
        batch_op.drop_index(batch_op.f("ix_course_distributions_derived_from"))

    op.drop_table("course_distributions")
    op.drop_table("distribution_pending_staging_urls")
