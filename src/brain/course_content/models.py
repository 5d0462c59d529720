"""Tables of the course content: kinds, the content tree, the example library with its versions
and stored files, one deployment per submittable content and its append-only history.

`course_id` names a course of course_factory; there is no foreign key across modules. The
deployment history keeps no foreign key to its deployment either: it is an audit log and outlives
a deployment removed with its content. The database itself refuses a deployment of
non-submittable content and any UPDATE or DELETE of the history (triggers installed by the
migrations, `docs/decisions/0017-course-content-tree-and-deployments-in-the-database.md`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

from brain.kernel.clock import utcnow
from brain.kernel.db import Base, UTCDateTime
from brain.kernel.ids import new_id

JsonType = JSON().with_variant(JSONB(), "postgresql")
PATH_LENGTH = 700


class LTREE(UserDefinedType[str]):
    """PostgreSQL's `ltree` (the extension's label path); asyncpg exchanges it as text."""

    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "LTREE"


class ContentPath(TypeDecorator[str]):
    """A dotted label path: `ltree` on PostgreSQL (GiST-indexed, `<@` subtree queries), the same
    text on SQLite (subtree by prefix)."""

    impl = String(PATH_LENGTH)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(LTREE())
        return dialect.type_descriptor(String(PATH_LENGTH))


class DeploymentStatus(StrEnum):
    PENDING = "pending"
    DEPLOYING = "deploying"
    DEPLOYED = "deployed"
    FAILED = "failed"
    UNASSIGNED = "unassigned"


class HistoryAction(StrEnum):
    ASSIGNED = "assigned"
    REASSIGNED = "reassigned"
    UPDATED = "updated"
    UNASSIGNED = "unassigned"
    DEPLOYING = "deploying"
    DEPLOYED = "deployed"
    FAILED = "failed"
    ROLLED_BACK = "rolled_back"
    MIGRATED = "migrated"


SYSTEM = "system"
"""`created_by` of history entries written by the platform itself (migration, release)."""


class ContentKind(Base):
    """What a node of the tree is; the tree's rules come from these flags, never from the id."""

    __tablename__ = "course_content_kind"
    __table_args__ = {"info": {"reference_data": True}}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    has_ascendants: Mapped[bool] = mapped_column(Boolean)
    """May sit below a parent (else only at the root)."""
    has_descendants: Mapped[bool] = mapped_column(Boolean)
    """May have children."""
    submittable: Mapped[bool] = mapped_column(Boolean)
    """Learners submit it; only such content has a deployment."""


class CourseContent(Base):
    __tablename__ = "course_content"
    __table_args__ = (
        UniqueConstraint("course_id", "path"),
        Index("ix_course_content_path", "path", postgresql_using="gist"),
        Index("ix_course_content_tenant_course", "tenant_id", "course_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    course_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    path: Mapped[str] = mapped_column(ContentPath)
    kind_id: Mapped[str] = mapped_column(ForeignKey("course_content_kind.id"))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    max_submissions: Mapped[int | None] = mapped_column(Integer)
    max_group_size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Deprecated: the shape before deployments had their own table. Kept (never written) while
    # the old API is still served; the deployment table is the one source of truth.
    example_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    example_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    deployment_status: Mapped[str | None] = mapped_column(String(32))
    deployed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Example(Base):
    __tablename__ = "example"
    __table_args__ = (UniqueConstraint("tenant_id", "identifier"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    identifier: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ExampleVersion(Base):
    __tablename__ = "example_version"
    __table_args__ = (
        UniqueConstraint("example_id", "version_tag"),
        UniqueConstraint("example_id", "version_number"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    example_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("example.id", ondelete="CASCADE"))
    version_tag: Mapped[str] = mapped_column(String(64))
    version_number: Mapped[int] = mapped_column(Integer)
    meta: Mapped[dict[str, Any]] = mapped_column(JsonType)
    """The parsed `meta.yaml`."""
    files_count: Mapped[int] = mapped_column(Integer)
    total_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))


class ExampleBlob(Base):
    """File contents by SHA-256 (ADR `0016-example-files-stored-in-the-database-by-sha256`)."""

    __tablename__ = "example_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ExampleVersionFile(Base):
    __tablename__ = "example_version_file"

    example_version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("example_version.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(String(500), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("example_blob.sha256"), index=True)
    size: Mapped[int] = mapped_column(Integer)


class CourseContentDeployment(Base):
    __tablename__ = "course_content_deployment"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    course_content_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("course_content.id", ondelete="CASCADE"), unique=True
    )
    example_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("example_version.id", ondelete="RESTRICT"), index=True
    )
    deployment_status: Mapped[str] = mapped_column(String(16), default=DeploymentStatus.PENDING)
    deployment_message: Mapped[str | None] = mapped_column(String(500))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deployed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deployment_path: Mapped[str | None] = mapped_column(String(700))
    version_identifier: Mapped[str | None] = mapped_column(String(64))
    """The commit SHA of the release that deployed it."""
    deployment_metadata: Mapped[dict[str, Any]] = mapped_column("metadata", JsonType, default=dict)
    workflow_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class DeploymentHistory(Base):
    __tablename__ = "deployment_history"
    __table_args__ = (Index("ix_deployment_history_deployment", "deployment_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    deployment_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    course_content_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(16))
    example_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    previous_example_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    version_tag: Mapped[str | None] = mapped_column(String(64))
    workflow_id: Mapped[str | None] = mapped_column(String(200))
    commit_sha: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReleaseStatus(StrEnum):
    REQUESTED = "requested"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


ACTIVE_RELEASE = (ReleaseStatus.REQUESTED.value, ReleaseStatus.RUNNING.value)


class ContentRelease(Base):
    """One run of the release workflow (`release-<course_id>`, one run at a time per course)."""

    __tablename__ = "course_content_release"
    __table_args__ = (
        UniqueConstraint("workflow_id", "run_id"),
        Index("ix_course_content_release_course_created", "course_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    course_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    workflow_id: Mapped[str] = mapped_column(String(200))
    run_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=ReleaseStatus.REQUESTED)
    mode: Mapped[dict[str, Any]] = mapped_column(JsonType)
    """What was asked: `content_ids`, `all_pending`, `force_redeploy`."""
    requested_by: Mapped[str] = mapped_column(String(64))
    commit_sha: Mapped[str | None] = mapped_column(String(64))
    deployed_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(500))
    timings: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    """Seconds spent building files, in git and in the database (the benchmark reads them)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ContentReleaseItem(Base):
    """A deployment a release carries, with its outcome."""

    __tablename__ = "course_content_release_item"

    release_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("course_content_release.id", ondelete="CASCADE"), primary_key=True
    )
    deployment_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    course_content_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    path: Mapped[str] = mapped_column(String(PATH_LENGTH))
    example_version_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version_tag: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), default="pending")
    """`pending`, `deployed` or `failed`."""
    message: Mapped[str | None] = mapped_column(String(500))


class LearnerRepositoryState(Base):
    """A course's learner repository as the platform last wrote it."""

    __tablename__ = "course_content_repository"

    course_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    head_sha: Mapped[str | None] = mapped_column(String(64))
    remote_url: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
