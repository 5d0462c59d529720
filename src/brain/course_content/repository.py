"""SQL of the course content; every read for an operator is scoped to a tenant."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from brain.course_content.models import (
    ACTIVE_RELEASE,
    ContentKind,
    ContentPath,
    ContentRelease,
    ContentReleaseItem,
    CourseContent,
    CourseContentDeployment,
    DeploymentHistory,
    DeploymentStatus,
    Example,
    ExampleBlob,
    ExampleVersion,
    ExampleVersionFile,
    LearnerRepositoryState,
    ReleaseStatus,
)

ContentReleaseAlias = aliased(ContentRelease)


class ContentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    async def flush(self) -> None:
        await self.session.flush()

    # -- kinds -----------------------------------------------------------------------------

    async def kinds(self) -> list[ContentKind]:
        return list(await self.session.scalars(select(ContentKind).order_by(ContentKind.id)))

    async def kind(self, kind_id: str) -> ContentKind | None:
        return await self.session.get(ContentKind, kind_id)

    # -- the tree --------------------------------------------------------------------------

    def _within(self, root: str) -> ColumnElement[bool]:
        """The node at `root` and every node below it."""
        if self.dialect == "postgresql":
            return CourseContent.path.op("<@")(bindparam("root", root, type_=ContentPath()))
        return or_(
            CourseContent.path == root,
            func.substr(CourseContent.path, 1, len(root) + 1) == root + ".",
        )

    async def add(self, content: CourseContent) -> CourseContent:
        self.session.add(content)
        await self.session.flush()
        return content

    async def content(
        self, content_id: uuid.UUID, *, tenant_id: uuid.UUID | None = None
    ) -> CourseContent | None:
        query = select(CourseContent).where(CourseContent.id == content_id)
        if tenant_id is not None:
            query = query.where(CourseContent.tenant_id == tenant_id)
        return await self.session.scalar(query)

    async def content_at(self, course_id: uuid.UUID, path: str) -> CourseContent | None:
        return await self.session.scalar(
            select(CourseContent).where(
                CourseContent.course_id == course_id, CourseContent.path == path
            )
        )

    async def subtree(self, course_id: uuid.UUID, root: str | None) -> list[CourseContent]:
        query = select(CourseContent).where(CourseContent.course_id == course_id)
        if root is not None:
            query = query.where(self._within(root))
        query = query.order_by(CourseContent.path)
        return list(await self.session.scalars(query))

    async def has_children(self, course_id: uuid.UUID, path: str) -> bool:
        below = and_(self._within(path), CourseContent.path != path)
        found = await self.session.scalar(
            select(CourseContent.id).where(CourseContent.course_id == course_id, below).limit(1)
        )
        return found is not None

    async def course_has_content(self, course_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(CourseContent.id).where(CourseContent.course_id == course_id).limit(1)
        )
        return found is not None

    async def delete_contents(self, ids: Sequence[uuid.UUID]) -> None:
        await self.session.execute(delete(CourseContent).where(CourseContent.id.in_(ids)))

    async def kinds_by_id(self) -> dict[str, ContentKind]:
        return {kind.id: kind for kind in await self.kinds()}

    # -- deployments -----------------------------------------------------------------------

    async def deployment_of(
        self, content_id: uuid.UUID, *, for_update: bool = False
    ) -> CourseContentDeployment | None:
        query = select(CourseContentDeployment).where(
            CourseContentDeployment.course_content_id == content_id
        )
        if for_update and self.dialect == "postgresql":
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def deployments_of(
        self, content_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, CourseContentDeployment]:
        ids = list(content_ids)
        if not ids:
            return {}
        rows = await self.session.scalars(
            select(CourseContentDeployment).where(
                CourseContentDeployment.course_content_id.in_(ids)
            )
        )
        return {d.course_content_id: d for d in rows}

    async def add_deployment(self, deployment: CourseContentDeployment) -> None:
        self.session.add(deployment)
        await self.session.flush()

    async def add_history(self, entry: DeploymentHistory) -> DeploymentHistory:
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def history(self, deployment_id: uuid.UUID) -> list[DeploymentHistory]:
        rows = await self.session.scalars(
            select(DeploymentHistory)
            .where(DeploymentHistory.deployment_id == deployment_id)
            .order_by(DeploymentHistory.created_at.desc(), DeploymentHistory.id)
        )
        return list(rows)

    async def history_entry(
        self, history_id: uuid.UUID, deployment_id: uuid.UUID
    ) -> DeploymentHistory | None:
        return await self.session.scalar(
            select(DeploymentHistory).where(
                DeploymentHistory.id == history_id,
                DeploymentHistory.deployment_id == deployment_id,
            )
        )

    async def example_assigned_elsewhere(
        self, course_id: uuid.UUID, example_id: uuid.UUID, content_id: uuid.UUID
    ) -> CourseContent | None:
        """Another content of the course whose deployment holds a version of the example."""
        return await self.session.scalar(
            select(CourseContent)
            .join(
                CourseContentDeployment,
                CourseContentDeployment.course_content_id == CourseContent.id,
            )
            .join(ExampleVersion, ExampleVersion.id == CourseContentDeployment.example_version_id)
            .where(
                CourseContent.course_id == course_id,
                CourseContent.id != content_id,
                ExampleVersion.example_id == example_id,
                CourseContentDeployment.deployment_status != DeploymentStatus.UNASSIGNED,
            )
            .limit(1)
        )

    async def course_deployments(
        self, course_id: uuid.UUID
    ) -> list[tuple[CourseContent, CourseContentDeployment | None]]:
        """Every submittable content of the course with its deployment (or None), by path."""
        rows = await self.session.execute(
            select(CourseContent, CourseContentDeployment)
            .join(ContentKind, ContentKind.id == CourseContent.kind_id)
            .outerjoin(
                CourseContentDeployment,
                CourseContentDeployment.course_content_id == CourseContent.id,
            )
            .where(CourseContent.course_id == course_id, ContentKind.submittable.is_(True))
            .order_by(CourseContent.path)
        )
        return [(content, deployment) for content, deployment in rows.all()]

    async def newest_version_numbers(
        self, example_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, int]:
        ids = list(set(example_ids))
        if not ids:
            return {}
        rows = await self.session.execute(
            select(ExampleVersion.example_id, func.max(ExampleVersion.version_number))
            .where(ExampleVersion.example_id.in_(ids))
            .group_by(ExampleVersion.example_id)
        )
        return {example_id: int(number) for example_id, number in rows.all()}

    # -- examples --------------------------------------------------------------------------

    async def add_example(self, example: Example) -> Example:
        self.session.add(example)
        await self.session.flush()
        return example

    async def example(self, example_id: uuid.UUID, tenant_id: uuid.UUID) -> Example | None:
        return await self.session.scalar(
            select(Example).where(Example.id == example_id, Example.tenant_id == tenant_id)
        )

    async def example_by_identifier(self, tenant_id: uuid.UUID, identifier: str) -> Example | None:
        return await self.session.scalar(
            select(Example).where(Example.tenant_id == tenant_id, Example.identifier == identifier)
        )

    async def examples(self, tenant_id: uuid.UUID) -> list[Example]:
        rows = await self.session.scalars(
            select(Example).where(Example.tenant_id == tenant_id).order_by(Example.identifier)
        )
        return list(rows)

    async def versions(self, example_id: uuid.UUID) -> list[ExampleVersion]:
        rows = await self.session.scalars(
            select(ExampleVersion)
            .where(ExampleVersion.example_id == example_id)
            .order_by(ExampleVersion.version_number.desc())
        )
        return list(rows)

    async def version(self, version_id: uuid.UUID) -> ExampleVersion | None:
        return await self.session.get(ExampleVersion, version_id)

    async def versions_by_id(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ExampleVersion]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = await self.session.scalars(
            select(ExampleVersion).where(ExampleVersion.id.in_(wanted))
        )
        return {v.id: v for v in rows}

    async def examples_by_id(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Example]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = await self.session.scalars(select(Example).where(Example.id.in_(wanted)))
        return {e.id: e for e in rows}

    async def version_of_tenant(
        self, version_id: uuid.UUID, tenant_id: uuid.UUID
    ) -> tuple[ExampleVersion, Example] | None:
        row = (
            await self.session.execute(
                select(ExampleVersion, Example)
                .join(Example, Example.id == ExampleVersion.example_id)
                .where(ExampleVersion.id == version_id, Example.tenant_id == tenant_id)
            )
        ).first()
        return (row[0], row[1]) if row else None

    async def version_by_tag(self, example_id: uuid.UUID, tag: str) -> ExampleVersion | None:
        return await self.session.scalar(
            select(ExampleVersion).where(
                ExampleVersion.example_id == example_id, ExampleVersion.version_tag == tag
            )
        )

    async def latest_version_number(self, example_id: uuid.UUID) -> int:
        found = await self.session.scalar(
            select(func.max(ExampleVersion.version_number)).where(
                ExampleVersion.example_id == example_id
            )
        )
        return int(found or 0)

    async def add_version(self, version: ExampleVersion) -> ExampleVersion:
        self.session.add(version)
        await self.session.flush()
        return version

    async def store_blobs(self, blobs: dict[str, bytes]) -> None:
        """Content-addressed: a blob already stored (by any tenant's upload) is kept as is."""
        if not blobs:
            return
        rows = [{"sha256": k, "size": len(v), "content": v} for k, v in blobs.items()]
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        for row in rows:
            await self.session.execute(
                insert(ExampleBlob).values(**row).on_conflict_do_nothing(index_elements=["sha256"])
            )

    async def add_files(self, files: Sequence[ExampleVersionFile]) -> None:
        self.session.add_all(files)
        await self.session.flush()

    async def files(self, version_id: uuid.UUID) -> list[ExampleVersionFile]:
        rows = await self.session.scalars(
            select(ExampleVersionFile)
            .where(ExampleVersionFile.example_version_id == version_id)
            .order_by(ExampleVersionFile.path)
        )
        return list(rows)

    async def file_contents(self, version_id: uuid.UUID) -> dict[str, bytes]:
        rows = await self.session.execute(
            select(ExampleVersionFile.path, ExampleBlob.content)
            .join(ExampleBlob, ExampleBlob.sha256 == ExampleVersionFile.sha256)
            .where(ExampleVersionFile.example_version_id == version_id)
        )
        return {path: bytes(content) for path, content in rows.all()}

    async def last_deployed_at(self, course_id: uuid.UUID) -> datetime | None:
        return await self.session.scalar(
            select(func.max(CourseContentDeployment.deployed_at))
            .join(CourseContent, CourseContent.id == CourseContentDeployment.course_content_id)
            .where(CourseContent.course_id == course_id)
        )

    async def execute(self, statement: Any) -> Any:
        return await self.session.execute(statement)

    # -- releases -----------------------------------------------------------------------------

    async def deployments_by_id(
        self, ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, CourseContentDeployment]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = await self.session.scalars(
            select(CourseContentDeployment).where(CourseContentDeployment.id.in_(wanted))
        )
        return {d.id: d for d in rows}

    async def contents_by_id(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, CourseContent]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = await self.session.scalars(select(CourseContent).where(CourseContent.id.in_(wanted)))
        return {c.id: c for c in rows}

    async def release_by_run(self, workflow_id: str, run_id: str) -> ContentRelease | None:
        return await self.session.scalar(
            select(ContentRelease).where(
                ContentRelease.workflow_id == workflow_id, ContentRelease.run_id == run_id
            )
        )

    async def record_release(self, values: dict[str, Any]) -> None:
        """The release row of a run, unless its workflow wrote it first (either may be first)."""
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        await self.session.execute(
            insert(ContentRelease)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["workflow_id", "run_id"])
        )

    async def active_release(self, course_id: uuid.UUID) -> ContentRelease | None:
        return await self.session.scalar(
            select(ContentRelease)
            .where(ContentRelease.course_id == course_id, ContentRelease.status.in_(ACTIVE_RELEASE))
            .order_by(ContentRelease.created_at.desc())
            .limit(1)
        )

    async def releases_of(
        self, tenant_id: uuid.UUID, course_id: uuid.UUID, *, limit: int = 50
    ) -> list[ContentRelease]:
        rows = await self.session.scalars(
            select(ContentRelease)
            .where(ContentRelease.tenant_id == tenant_id, ContentRelease.course_id == course_id)
            .order_by(ContentRelease.created_at.desc(), ContentRelease.id)
            .limit(limit)
        )
        return list(rows)

    async def items(self, release_ids: Sequence[uuid.UUID]) -> list[ContentReleaseItem]:
        if not release_ids:
            return []
        rows = await self.session.scalars(
            select(ContentReleaseItem)
            .where(ContentReleaseItem.release_id.in_(release_ids))
            .order_by(ContentReleaseItem.path)
        )
        return list(rows)

    async def failed_latest_releases(self, tenant_id: uuid.UUID) -> int:
        """The tenant's courses whose latest release failed."""
        later = select(ContentRelease.id).where(
            ContentRelease.course_id == ContentReleaseAlias.course_id,
            ContentRelease.created_at > ContentReleaseAlias.created_at,
        )
        count = await self.session.scalar(
            select(func.count())
            .select_from(ContentReleaseAlias)
            .where(
                ContentReleaseAlias.tenant_id == tenant_id,
                ContentReleaseAlias.status == ReleaseStatus.FAILED.value,
                ~later.exists(),
            )
        )
        return int(count or 0)

    async def deployment_counts(self, tenant_id: uuid.UUID) -> dict[str, int]:
        """The tenant's deployments by status."""
        rows = await self.session.execute(
            select(CourseContentDeployment.deployment_status, func.count())
            .join(CourseContent, CourseContent.id == CourseContentDeployment.course_content_id)
            .where(CourseContent.tenant_id == tenant_id)
            .group_by(CourseContentDeployment.deployment_status)
        )
        return {str(status): int(count) for status, count in rows.all()}

    async def tenant_versions(self, tenant_id: uuid.UUID) -> list[tuple[Example, ExampleVersion]]:
        """Every version of the tenant's examples, by identifier and newest version first."""
        rows = await self.session.execute(
            select(Example, ExampleVersion)
            .join(ExampleVersion, ExampleVersion.example_id == Example.id)
            .where(Example.tenant_id == tenant_id)
            .order_by(Example.identifier, ExampleVersion.version_number.desc())
        )
        return [(example, version) for example, version in rows.all()]

    async def add_all(self, rows: Sequence[Any]) -> None:
        self.session.add_all(rows)
        await self.session.flush()

    async def repository_state(self, course_id: uuid.UUID) -> LearnerRepositoryState | None:
        return await self.session.get(LearnerRepositoryState, course_id)

    async def set_head(self, course_id: uuid.UUID, head_sha: str | None, when: datetime) -> None:
        """The first write of a release's bookkeeping (its row is where a test holds a lock)."""
        await self.session.execute(
            update(LearnerRepositoryState)
            .where(LearnerRepositoryState.course_id == course_id)
            .values(head_sha=head_sha, updated_at=when)
        )
