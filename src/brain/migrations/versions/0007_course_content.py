"""Course content: kinds (seeded with `unit` and `assignment`), the content tree in the shape the
deployment refactoring starts from (the deployment columns still on `course_content`), and the
example library (examples, versions, their files by SHA-256).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import UserDefinedType

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


class _Ltree(UserDefinedType[str]):
    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "LTREE"


KINDS = [
    {
        "id": "unit",
        "title": "Unit",
        "has_ascendants": True,
        "has_descendants": True,
        "submittable": False,
    },
    {
        "id": "assignment",
        "title": "Assignment",
        "has_ascendants": True,
        "has_descendants": False,
        "submittable": True,
    },
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS ltree")
    kinds = op.create_table(
        "course_content_kind",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("has_ascendants", sa.Boolean(), nullable=False),
        sa.Column("has_descendants", sa.Boolean(), nullable=False),
        sa.Column("submittable", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_content_kind")),
    )
    op.bulk_insert(kinds, KINDS)
    op.create_table(
        "example",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("identifier", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_example_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_example")),
        sa.UniqueConstraint(
            "tenant_id", "identifier", name=op.f("uq_example_tenant_id_identifier")
        ),
    )
    op.create_table(
        "example_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_example_blob")),
    )
    op.create_table(
        "example_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("example_id", sa.Uuid(), nullable=False),
        sa.Column("version_tag", sa.String(length=64), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("meta", JSON, nullable=False),
        sa.Column("files_count", sa.Integer(), nullable=False),
        sa.Column("total_bytes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["example_id"],
            ["example.id"],
            name=op.f("fk_example_version_example_id_example"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_example_version")),
        sa.UniqueConstraint(
            "example_id", "version_tag", name=op.f("uq_example_version_example_id_version_tag")
        ),
        sa.UniqueConstraint(
            "example_id",
            "version_number",
            name=op.f("uq_example_version_example_id_version_number"),
        ),
    )
    op.create_table(
        "example_version_file",
        sa.Column("example_version_id", sa.Uuid(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["example_version_id"],
            ["example_version.id"],
            name=op.f("fk_example_version_file_example_version_id_example_version"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["example_blob.sha256"],
            name=op.f("fk_example_version_file_sha256_example_blob"),
        ),
        sa.PrimaryKeyConstraint("example_version_id", "path", name=op.f("pk_example_version_file")),
    )
    op.create_index(
        op.f("ix_example_version_file_sha256"), "example_version_file", ["sha256"], unique=False
    )
    op.create_table(
        "course_content",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column(
            "path", sa.String(length=700).with_variant(_Ltree(), "postgresql"), nullable=False
        ),
        sa.Column("kind_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("max_submissions", sa.Integer(), nullable=True),
        sa.Column("max_group_size", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("example_id", sa.Uuid(), nullable=True),
        sa.Column("example_version_id", sa.Uuid(), nullable=True),
        sa.Column("deployment_status", sa.String(length=32), nullable=True),
        sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["kind_id"],
            ["course_content_kind.id"],
            name=op.f("fk_course_content_kind_id_course_content_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_course_content_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_content")),
        sa.UniqueConstraint("course_id", "path", name=op.f("uq_course_content_course_id_path")),
    )
    op.create_index("ix_course_content_path", "course_content", ["path"], postgresql_using="gist")
    op.create_index("ix_course_content_tenant_course", "course_content", ["tenant_id", "course_id"])


def downgrade() -> None:
    op.drop_index("ix_course_content_tenant_course", table_name="course_content")
    op.drop_index("ix_course_content_path", table_name="course_content")
    op.drop_table("course_content")
    op.drop_index(op.f("ix_example_version_file_sha256"), table_name="example_version_file")
    op.drop_table("example_version_file")
    op.drop_table("example_version")
    op.drop_table("example_blob")
    op.drop_table("example")
    op.drop_table("course_content_kind")
