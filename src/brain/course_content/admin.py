"""course_content implements the operator contract `ContentAdmin` (brain.kernel.admin_contracts).

The roles are the API's (`router.py`): editors assign examples, release and roll back; every role
reads. Every call runs the module's services in a unit of work of its own (reads on the read
engine), scoped to the principal's tenant, and bodies are validated by the API's own request
models (`AssignExample`, `ReleaseRequest`), so the dashboard shows the API's messages. A release
is started as `POST /api/courses/{id}/releases` starts it: checked in a read unit, the workflow
started with no write transaction open, its row recorded after.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Sequence

from pydantic import ValidationError

from brain.course_content.dependencies import ContentDeps
from brain.course_content.git_store import BRANCH
from brain.course_content.models import (
    ContentRelease,
    ContentReleaseItem,
    CourseContent,
    CourseContentDeployment,
    DeploymentHistory,
    DeploymentStatus,
    Example,
    ExampleVersion,
)
from brain.course_content.releases import Started
from brain.course_content.schemas import AssignExample, ReleaseRequest
from brain.course_content.service import AssignmentView
from brain.kernel.admin_contracts import (
    ContentNodeView,
    ContentSummary,
    DeploymentHistoryView,
    DeploymentView,
    ExampleVersionView,
    ReleaseOutcomeView,
    ReleaseView,
    RepositoryView,
    validation_failed,
    without_body_prefix,
)
from brain.kernel.auth import Principal, Role, ensure_role
from brain.kernel.errors import NotFound, ValidationFailed

WRITE = (Role.EDITOR,)
RELEASES_SHOWN = 20
REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
"""What the API's `ref` query parameter admits."""


def _deployment(
    deployment: CourseContentDeployment,
    version: ExampleVersion | None,
    example: Example | None,
    has_newer_version: bool,
) -> DeploymentView:
    return DeploymentView(
        deployment_id=deployment.id,
        content_id=deployment.course_content_id,
        example_version_id=deployment.example_version_id,
        example_identifier=example.identifier if example else None,
        version_tag=version.version_tag if version else None,
        status=deployment.deployment_status,
        message=deployment.deployment_message,
        has_newer_version=has_newer_version,
        deployment_path=deployment.deployment_path,
        version_identifier=deployment.version_identifier,
        deployed_at=deployment.deployed_at,
        workflow_id=deployment.workflow_id,
    )


def _assignment(view: AssignmentView) -> DeploymentView:
    return _deployment(view.deployment, view.version, view.example, view.has_newer_version)


def _history(entry: DeploymentHistory, tags: dict[uuid.UUID, str]) -> DeploymentHistoryView:
    previous = entry.previous_example_version_id
    return DeploymentHistoryView(
        history_id=entry.id,
        action=entry.action,
        version_tag=entry.version_tag,
        previous_version_tag=tags.get(previous) if previous else None,
        workflow_id=entry.workflow_id,
        commit_sha=entry.commit_sha,
        message=entry.message,
        created_by=entry.created_by,
        created_at=entry.created_at,
    )


def _release(release: ContentRelease, items: Sequence[ContentReleaseItem]) -> ReleaseView:
    return ReleaseView(
        workflow_id=release.workflow_id,
        run_id=release.run_id,
        course_id=release.course_id,
        status=release.status,
        commit_sha=release.commit_sha,
        deployed=release.deployed_count,
        failed=release.failed_count,
        started_at=release.started_at or release.created_at,
        finished_at=release.finished_at,
        outcomes=tuple(
            ReleaseOutcomeView(
                content_id=item.course_content_id,
                path=item.path,
                status=item.outcome,
                message=item.message,
            )
            for item in items
            if item.release_id == release.id
        ),
        error=release.error,
    )


class ContentAdministration:
    def __init__(self, deps: ContentDeps) -> None:
        self.deps = deps

    # -- reading ---------------------------------------------------------------------------

    async def summary(self, principal: Principal) -> ContentSummary:
        async with self.deps.reading() as unit:
            repo = self.deps.deployments(unit).repo
            failed_releases = await repo.failed_latest_releases(principal.tenant_id)
            by_status = await repo.deployment_counts(principal.tenant_id)
        return ContentSummary(
            failed_releases=failed_releases,
            failed_deployments=by_status.get(DeploymentStatus.FAILED.value, 0),
            pending_deployments=by_status.get(DeploymentStatus.PENDING.value, 0),
        )

    async def tree(self, principal: Principal, course_id: uuid.UUID) -> tuple[ContentNodeView, ...]:
        async with self.deps.reading() as unit:
            contents = self.deps.content(unit)
            found: list[CourseContent] = await contents.subtree(principal, course_id, None)
            repo = contents.repo
            kinds = await repo.kinds_by_id()
            deployments = await repo.deployments_of(c.id for c in found)
            versions = await repo.versions_by_id(
                d.example_version_id for d in deployments.values() if d.example_version_id
            )
            examples = await repo.examples_by_id(v.example_id for v in versions.values())
            newest = await repo.newest_version_numbers(v.example_id for v in versions.values())
        nodes = []
        for content in found:
            kind = kinds.get(content.kind_id)
            deployment = deployments.get(content.id)
            view = None
            if deployment is not None:
                version_id = deployment.example_version_id
                version = versions.get(version_id) if version_id else None
                example = examples.get(version.example_id) if version else None
                newer = version is not None and newest.get(version.example_id, 0) > (
                    version.version_number
                )
                view = _deployment(deployment, version, example, newer)
            nodes.append(
                ContentNodeView(
                    content_id=content.id,
                    course_id=content.course_id,
                    path=content.path,
                    depth=content.path.count(".") + 1,
                    kind=content.kind_id,
                    title=content.title,
                    submittable=bool(kind and kind.submittable),
                    deployment=view,
                )
            )
        return tuple(nodes)

    async def example_versions(self, principal: Principal) -> tuple[ExampleVersionView, ...]:
        async with self.deps.reading() as unit:
            rows = await self.deps.examples(unit).repo.tenant_versions(principal.tenant_id)
        return tuple(
            ExampleVersionView(
                example_version_id=version.id,
                example_id=example.id,
                identifier=example.identifier,
                title=example.title,
                version_tag=version.version_tag,
                version_number=version.version_number,
                created_at=version.created_at,
            )
            for example, version in rows
        )

    async def history(
        self, principal: Principal, content_id: uuid.UUID
    ) -> tuple[DeploymentHistoryView, ...]:
        async with self.deps.reading() as unit:
            deployments = self.deps.deployments(unit)
            view = await deployments.of_content(principal, content_id)
            if view is None:
                return ()
            previous = await deployments.repo.versions_by_id(
                h.previous_example_version_id for h in view.history if h.previous_example_version_id
            )
        tags = {version_id: v.version_tag for version_id, v in previous.items()}
        return tuple(_history(entry, tags) for entry in view.history)

    async def releases(self, principal: Principal, course_id: uuid.UUID) -> tuple[ReleaseView, ...]:
        async with self.deps.reading() as unit:
            releases = self.deps.releases(unit)
            await releases.courses.require(principal.tenant_id, course_id)
            found = await releases.repo.releases_of(
                principal.tenant_id, course_id, limit=RELEASES_SHOWN
            )
            items = await releases.repo.items([r.id for r in found])
        return tuple(_release(release, items) for release in found)

    async def release(self, principal: Principal, course_id: uuid.UUID, key: str) -> ReleaseView:
        async with self.deps.reading() as unit:
            releases = self.deps.releases(unit)
            await releases.courses.require(principal.tenant_id, course_id)
            found = await releases.release(principal, course_id, key)
            items = await releases.repo.items([found.id])
        return _release(found, items)

    async def repository(
        self, principal: Principal, course_id: uuid.UUID, ref: str | None = None
    ) -> RepositoryView:
        await self.deps.courses.require(principal.tenant_id, course_id)
        git = self.deps.steps.repository(principal.tenant_id, course_id)
        head = await asyncio.to_thread(git.head)
        files: list[str] | None = []
        if ref is not None and (len(ref) > 200 or not _is_ref(ref)):
            raise ValidationFailed.field("ref", "a branch, a tag or a commit SHA")
        if head is not None:
            files = await asyncio.to_thread(git.files_at, ref or BRANCH)
            if files is None:
                raise NotFound(f"the course repository has no ref {ref!r}")
        return RepositoryView(
            clone_url=git.remote_url or str(git.path.resolve()),
            default_branch=BRANCH,
            head=head,
            files=tuple(files or ()),
        )

    # -- writing ---------------------------------------------------------------------------

    async def assign_example(
        self,
        principal: Principal,
        content_id: uuid.UUID,
        example_version_id: uuid.UUID,
        *,
        force: bool = False,
    ) -> DeploymentView:
        ensure_role(principal, *WRITE)
        try:
            body = AssignExample.model_validate(
                {"example_version_id": example_version_id, "force": force}
            )
        except ValidationError as exc:
            raise validation_failed(exc) from None
        try:
            async with self.deps.units_of_work() as uow:
                view = _assignment(
                    await self.deps.deployments(uow).assign(principal, content_id, body)
                )
        except ValidationFailed as exc:
            raise without_body_prefix(exc) from None
        return view

    async def start_release(
        self,
        principal: Principal,
        course_id: uuid.UUID,
        *,
        content_ids: tuple[uuid.UUID, ...] = (),
        all_pending: bool = False,
        force_redeploy: bool = False,
    ) -> ReleaseView:
        ensure_role(principal, *WRITE)
        try:
            body = ReleaseRequest.model_validate(
                {
                    "content_ids": list(content_ids) or None,
                    "all_pending": all_pending and not content_ids,
                    "force_redeploy": force_redeploy,
                }
            )
        except ValidationError as exc:
            raise validation_failed(exc) from None
        chosen = body.content_ids or []
        try:
            async with self.deps.reading() as unit:
                releases = self.deps.releases(unit)
                await releases.check_requestable(principal, course_id, chosen, body.force_redeploy)
                started = await releases.start(principal, course_id, chosen, body.force_redeploy)
        except ValidationFailed as exc:
            raise without_body_prefix(exc) from None
        return await self._recorded(principal, course_id, started)

    async def rollback(
        self, principal: Principal, content_id: uuid.UUID, history_id: uuid.UUID
    ) -> ReleaseView:
        ensure_role(principal, *WRITE)
        # The assignment commits before the release starts, so the release carries it.
        async with self.deps.units_of_work() as uow:
            course_id, _entry = await self.deps.releases(uow).rollback_assignment(
                principal, content_id, history_id=history_id, version_tag=None
            )
        async with self.deps.reading() as unit:
            started = await self.deps.releases(unit).start(principal, course_id, [content_id], True)
        return await self._recorded(principal, course_id, started)

    async def _recorded(
        self, principal: Principal, course_id: uuid.UUID, started: Started
    ) -> ReleaseView:
        async with self.deps.units_of_work() as uow:
            await self.deps.releases(uow).record_started(started)
        return await self.release(principal, course_id, started.run_id)


def _is_ref(ref: str) -> bool:
    return REF.fullmatch(ref) is not None
