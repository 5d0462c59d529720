"""Course content: deployments in their own table, one per submittable content, with an
append-only history; the assigned contents move over with a `migrated` history entry.

The old columns of `course_content` (`example_id`, `example_version_id`, `deployment_status`,
`deployed_at`) stay in place and are no longer written; the downgrade copies each deployment's
current state back into them before it drops the new tables. The database enforces both rules:
only submittable content has a deployment, and history entries are never changed or removed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
STATUSES = ("pending", "deploying", "deployed", "failed", "unassigned")

content = sa.table(
    "course_content",
    sa.column("id", sa.Uuid()),
    sa.column("tenant_id", sa.Uuid()),
    sa.column("kind_id", sa.String()),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("example_id", sa.Uuid()),
    sa.column("example_version_id", sa.Uuid()),
    sa.column("deployment_status", sa.String()),
    sa.column("deployed_at", sa.DateTime(timezone=True)),
)
kinds = sa.table("course_content_kind", sa.column("id", sa.String()), sa.column("submittable"))
versions = sa.table(
    "example_version",
    sa.column("id", sa.Uuid()),
    sa.column("example_id", sa.Uuid()),
    sa.column("version_number", sa.Integer()),
    sa.column("version_tag", sa.String()),
)
deployments = sa.table(
    "course_content_deployment",
    sa.column("id", sa.Uuid()),
    sa.column("course_content_id", sa.Uuid()),
    sa.column("example_version_id", sa.Uuid()),
    sa.column("deployment_status", sa.String()),
    sa.column("assigned_at", sa.DateTime(timezone=True)),
    sa.column("deployed_at", sa.DateTime(timezone=True)),
    sa.column("metadata", JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
history = sa.table(
    "deployment_history",
    sa.column("id", sa.Uuid()),
    sa.column("deployment_id", sa.Uuid()),
    sa.column("course_content_id", sa.Uuid()),
    sa.column("tenant_id", sa.Uuid()),
    sa.column("action", sa.String()),
    sa.column("example_version_id", sa.Uuid()),
    sa.column("version_tag", sa.String()),
    sa.column("message", sa.String()),
    sa.column("created_by", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)

POSTGRES_TRIGGERS = [
    """
    CREATE FUNCTION validate_deployment_submittable() RETURNS trigger AS $$
    BEGIN
      IF NOT EXISTS (
        SELECT 1 FROM course_content c JOIN course_content_kind k ON k.id = c.kind_id
        WHERE c.id = NEW.course_content_id AND k.submittable
      ) THEN
        RAISE EXCEPTION 'course content % is not submittable: only submittable content can have '
          'a deployment', NEW.course_content_id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER trg_validate_deployment_submittable
    BEFORE INSERT OR UPDATE OF course_content_id ON course_content_deployment
    FOR EACH ROW EXECUTE FUNCTION validate_deployment_submittable()
    """,
    """
    CREATE FUNCTION deployment_history_append_only() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'deployment_history is append-only: % is refused', TG_OP
        USING ERRCODE = 'restrict_violation';
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER trg_deployment_history_append_only
    BEFORE UPDATE OR DELETE ON deployment_history
    FOR EACH ROW EXECUTE FUNCTION deployment_history_append_only()
    """,
]
POSTGRES_DROPS = [
    "DROP TRIGGER IF EXISTS trg_deployment_history_append_only ON deployment_history",
    "DROP FUNCTION IF EXISTS deployment_history_append_only()",
    "DROP TRIGGER IF EXISTS trg_validate_deployment_submittable ON course_content_deployment",
    "DROP FUNCTION IF EXISTS validate_deployment_submittable()",
]
_NOT_SUBMITTABLE = """
    WHEN NOT EXISTS (
      SELECT 1 FROM course_content c JOIN course_content_kind k ON k.id = c.kind_id
      WHERE c.id = NEW.course_content_id AND k.submittable
    )
    BEGIN
      SELECT RAISE(ABORT, 'only submittable course content can have a deployment');
    END
"""
SQLITE_TRIGGERS = [
    "CREATE TRIGGER trg_validate_deployment_submittable BEFORE INSERT ON "
    "course_content_deployment FOR EACH ROW" + _NOT_SUBMITTABLE,
    "CREATE TRIGGER trg_validate_deployment_submittable_update BEFORE UPDATE OF "
    "course_content_id ON course_content_deployment FOR EACH ROW" + _NOT_SUBMITTABLE,
    """
    CREATE TRIGGER trg_deployment_history_no_update BEFORE UPDATE ON deployment_history
    BEGIN SELECT RAISE(ABORT, 'deployment_history is append-only: UPDATE is refused'); END
    """,
    """
    CREATE TRIGGER trg_deployment_history_no_delete BEFORE DELETE ON deployment_history
    BEGIN SELECT RAISE(ABORT, 'deployment_history is append-only: DELETE is refused'); END
    """,
]
SQLITE_DROPS = [
    "DROP TRIGGER IF EXISTS trg_deployment_history_no_delete",
    "DROP TRIGGER IF EXISTS trg_deployment_history_no_update",
    "DROP TRIGGER IF EXISTS trg_validate_deployment_submittable_update",
    "DROP TRIGGER IF EXISTS trg_validate_deployment_submittable",
]


def upgrade() -> None:
    op.create_table(
        "course_content_deployment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("course_content_id", sa.Uuid(), nullable=False),
        sa.Column("example_version_id", sa.Uuid(), nullable=True),
        sa.Column("deployment_status", sa.String(length=16), nullable=False),
        sa.Column("deployment_message", sa.String(length=500), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deployment_path", sa.String(length=700), nullable=True),
        sa.Column("version_identifier", sa.String(length=64), nullable=True),
        sa.Column("metadata", JSON, nullable=False),
        sa.Column("workflow_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_content_id"],
            ["course_content.id"],
            name=op.f("fk_course_content_deployment_course_content_id_course_content"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["example_version_id"],
            ["example_version.id"],
            name=op.f("fk_course_content_deployment_example_version_id_example_version"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_content_deployment")),
        sa.UniqueConstraint(
            "course_content_id", name=op.f("uq_course_content_deployment_course_content_id")
        ),
    )
    op.create_index(
        op.f("ix_course_content_deployment_example_version_id"),
        "course_content_deployment",
        ["example_version_id"],
        unique=False,
    )
    op.create_table(
        "deployment_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deployment_id", sa.Uuid(), nullable=False),
        sa.Column("course_content_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("example_version_id", sa.Uuid(), nullable=True),
        sa.Column("previous_example_version_id", sa.Uuid(), nullable=True),
        sa.Column("version_tag", sa.String(length=64), nullable=True),
        sa.Column("workflow_id", sa.String(length=200), nullable=True),
        sa.Column("commit_sha", sa.String(length=64), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment_history")),
    )
    op.create_index(
        "ix_deployment_history_deployment",
        "deployment_history",
        ["deployment_id", "created_at"],
        unique=False,
    )
    move_assignments_into_deployments()
    dialect = op.get_bind().dialect.name
    for statement in POSTGRES_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def move_assignments_into_deployments() -> None:
    """Every submittable content with an assigned example becomes a deployment; stale columns on
    other content are left as they are and never become one."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            content.c.id,
            content.c.tenant_id,
            content.c.updated_at,
            content.c.example_id,
            content.c.example_version_id,
            content.c.deployment_status,
            content.c.deployed_at,
        )
        .join(kinds, kinds.c.id == content.c.kind_id)
        .where(
            kinds.c.submittable.is_(True),
            sa.or_(content.c.example_version_id.is_not(None), content.c.example_id.is_not(None)),
        )
    ).all()
    now = datetime.now(UTC)
    for row in rows:
        version = _version_of(bind, row.example_version_id, row.example_id)
        if version is None:
            continue
        status = row.deployment_status if row.deployment_status in STATUSES else "pending"
        deployment_id = uuid.uuid4()
        bind.execute(
            deployments.insert().values(
                id=deployment_id,
                course_content_id=row.id,
                example_version_id=version.id,
                deployment_status=status,
                assigned_at=row.updated_at or now,
                deployed_at=row.deployed_at,
                metadata={"migrated_from": "course_content"},
                created_at=now,
                updated_at=now,
            )
        )
        bind.execute(
            history.insert().values(
                id=uuid.uuid4(),
                deployment_id=deployment_id,
                course_content_id=row.id,
                tenant_id=row.tenant_id,
                action="migrated",
                example_version_id=version.id,
                version_tag=version.version_tag,
                message=f"moved from course_content (status {row.deployment_status or 'none'})",
                created_by="system",
                created_at=now,
            )
        )


def _version_of(
    bind: sa.Connection, version_id: uuid.UUID | None, example_id: uuid.UUID | None
) -> sa.Row[Any, Any] | None:
    """The assigned version; an example without one assigned its newest version."""
    query = sa.select(versions.c.id, versions.c.version_tag)
    if version_id is not None:
        return bind.execute(query.where(versions.c.id == version_id)).first()
    return bind.execute(
        query.where(versions.c.example_id == example_id)
        .order_by(versions.c.version_number.desc())
        .limit(1)
    ).first()


def downgrade() -> None:
    bind = op.get_bind()
    for statement in POSTGRES_DROPS if bind.dialect.name == "postgresql" else SQLITE_DROPS:
        op.execute(statement)
    current = bind.execute(
        sa.select(
            deployments.c.course_content_id,
            deployments.c.example_version_id,
            deployments.c.deployment_status,
            deployments.c.deployed_at,
            versions.c.example_id,
        ).outerjoin(versions, versions.c.id == deployments.c.example_version_id)
    ).all()
    for row in current:
        bind.execute(
            content.update()
            .where(content.c.id == row.course_content_id)
            .values(
                example_id=row.example_id,
                example_version_id=row.example_version_id,
                deployment_status=row.deployment_status,
                deployed_at=row.deployed_at,
            )
        )
    op.drop_index("ix_deployment_history_deployment", table_name="deployment_history")
    op.drop_table("deployment_history")
    op.drop_index(
        op.f("ix_course_content_deployment_example_version_id"),
        table_name="course_content_deployment",
    )
    op.drop_table("course_content_deployment")
