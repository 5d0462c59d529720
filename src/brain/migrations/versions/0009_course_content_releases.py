"""Course content: releases into the course's learner repository (runs of the release workflow,
the deployments each carried with their outcome) and the repository's last known head.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "course_content_release",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_id", sa.String(length=200), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("mode", JSON, nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("commit_sha", sa.String(length=64), nullable=True),
        sa.Column("deployed_count", sa.Integer(), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("timings", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_course_content_release_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_content_release")),
        sa.UniqueConstraint(
            "workflow_id", "run_id", name=op.f("uq_course_content_release_workflow_id_run_id")
        ),
    )
    op.create_index(
        "ix_course_content_release_course_created",
        "course_content_release",
        ["course_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "course_content_release_item",
        sa.Column("release_id", sa.Uuid(), nullable=False),
        sa.Column("deployment_id", sa.Uuid(), nullable=False),
        sa.Column("course_content_id", sa.Uuid(), nullable=False),
        sa.Column("path", sa.String(length=700), nullable=False),
        sa.Column("example_version_id", sa.Uuid(), nullable=False),
        sa.Column("version_tag", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["course_content_release.id"],
            name=op.f("fk_course_content_release_item_release_id_course_content_release"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "release_id", "deployment_id", name=op.f("pk_course_content_release_item")
        ),
    )
    op.create_table(
        "course_content_repository",
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("head_sha", sa.String(length=64), nullable=True),
        sa.Column("remote_url", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_course_content_repository_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("course_id", name=op.f("pk_course_content_repository")),
    )


def downgrade() -> None:
    op.drop_table("course_content_repository")
    op.drop_table("course_content_release_item")
    op.drop_index("ix_course_content_release_course_created", table_name="course_content_release")
    op.drop_table("course_content_release")
