"""Releases: what the release workflow's activities do (`ReleaseSteps`) and how operators start,
follow and roll back releases (`ReleaseService`).

Exactly once (`docs/decisions/0018-release-exactly-once.md`): the workflow id `release-<course_id>`
admits one running release per course; `begin` is idempotent per run (it finds its release row);
`publish` writes git before it opens a transaction and finds the commit its run already made by
its trailers, so a worker killed between the commit and the bookkeeping does not commit twice —
the retried activity completes the bookkeeping; the bookkeeping itself runs once (a completed
release is never recorded again).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from brain.course_content import tree
from brain.course_content.git_store import LearnerRepository, PushRejected, repository_path
from brain.course_content.learner_files import BuildError, learner_files
from brain.course_content.models import (
    SYSTEM,
    ContentRelease,
    ContentReleaseItem,
    CourseContentDeployment,
    DeploymentHistory,
    DeploymentStatus,
    HistoryAction,
    LearnerRepositoryState,
    ReleaseStatus,
)
from brain.course_content.packages import PackageError, meta_from_stored
from brain.course_content.repository import ContentRepository
from brain.course_content.schemas import AssignExample
from brain.course_content.service import CourseLookup, DeploymentService, actor
from brain.course_content.settings import ContentSettings
from brain.course_content.workflows import (
    RELEASE_TIMEOUT,
    WORKFLOW,
    ReleaseFailure,
    ReleaseInput,
    ReleasePlan,
    ReleaseRef,
    ReleaseResult,
    workflow_id,
)
from brain.events import EventPublisher, fit
from brain.events.contracts.course_content import (
    CourseContentDeploymentCompleted,
    CourseContentDeploymentFailed,
    CourseContentDeploymentRolledBack,
    CourseContentReleaseCompleted,
    CourseContentReleaseFailed,
    CourseContentReleaseRequested,
)
from brain.kernel.auth.service import Principal
from brain.kernel.clock import utcnow
from brain.kernel.contracts import CourseOutlineReader
from brain.kernel.db import Database
from brain.kernel.errors import Conflict, NotFound, ValidationFailed
from brain.kernel.temporal import TemporalRuntime
from brain.kernel.uow import UnitOfWork

SELECTABLE = (DeploymentStatus.PENDING.value, DeploymentStatus.FAILED.value)
ENDING_SECONDS = 10.0
"""How long a new release waits for the previous run's workflow to return once that run has
recorded its end."""


class ReleaseRefused(Exception):
    """A release that can never succeed (no such course, a repository error); not retried."""


def selected(
    rows: list[tuple[Any, CourseContentDeployment | None]],
    *,
    content_ids: set[uuid.UUID],
    force_redeploy: bool,
) -> list[tuple[Any, CourseContentDeployment]]:
    """The deployments a release carries: the named contents', else every pending or failed
    one, or with `force_redeploy` every assigned one."""
    out = []
    for content, deployment in rows:
        if deployment is None or deployment.example_version_id is None:
            continue
        if deployment.deployment_status == DeploymentStatus.UNASSIGNED:
            continue
        if content_ids:
            if content.id in content_ids:
                out.append((content, deployment))
        elif force_redeploy or deployment.deployment_status in SELECTABLE:
            out.append((content, deployment))
    return out


def remote_url(settings: ContentSettings, tenant_id: uuid.UUID, course_id: uuid.UUID) -> str:
    template = settings.content_git_remote_template
    return template.format(course_id=course_id, tenant_id=tenant_id) if template else ""


class ReleaseSteps:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        database: Database,
        publisher: EventPublisher,
        outlines: CourseOutlineReader,
        settings: ContentSettings,
        data_dir: Path,
    ) -> None:
        self.uow_factory = uow_factory
        self.database = database
        self.publisher = publisher
        self.outlines = outlines
        self.settings = settings
        self.data_dir = data_dir

    def repository(self, tenant_id: uuid.UUID, course_id: uuid.UUID) -> LearnerRepository:
        return LearnerRepository(
            repository_path(self.data_dir, tenant_id, course_id),
            remote_url(self.settings, tenant_id, course_id),
        )

    async def begin(self, ref: ReleaseRef) -> ReleasePlan:
        request = ref.release
        course_id, tenant_id = uuid.UUID(request.course_id), uuid.UUID(request.tenant_id)
        if await CourseLookup(self.outlines).in_tenant(tenant_id, course_id) is None:
            raise ReleaseRefused(f"no course {course_id} in tenant {tenant_id}")
        now = utcnow()
        began = time.perf_counter()
        async with self.uow_factory() as uow:
            repo = ContentRepository(uow.session)
            await repo.record_release(_release_row(ref, now))
            release = await repo.release_by_run(ref.workflow_id, ref.run_id)
            assert release is not None
            if release.status != ReleaseStatus.REQUESTED:
                return ReleasePlan(str(release.id), len(await repo.items([release.id])))
            chosen = selected(
                await repo.course_deployments(course_id),
                content_ids={uuid.UUID(c) for c in request.content_ids},
                force_redeploy=request.force_redeploy,
            )
            versions = await repo.versions_by_id(d.example_version_id for _c, d in chosen)  # type: ignore[misc]  # selected ones have a version
            items = []
            for content, deployment in chosen:
                version = versions[deployment.example_version_id]  # type: ignore[index]  # see above
                deployment.deployment_status = DeploymentStatus.DEPLOYING
                deployment.workflow_id = ref.workflow_id
                deployment.last_attempt_at = now
                deployment.updated_at = now
                deployment.deployment_metadata = {
                    **(deployment.deployment_metadata or {}),
                    "run_id": ref.run_id,
                }
                items.append(
                    ContentReleaseItem(
                        release_id=release.id,
                        deployment_id=deployment.id,
                        course_content_id=content.id,
                        path=content.path,
                        example_version_id=version.id,
                        version_tag=version.version_tag,
                        outcome="pending",
                    )
                )
                uow.session.add(
                    DeploymentHistory(
                        deployment_id=deployment.id,
                        course_content_id=content.id,
                        tenant_id=tenant_id,
                        action=HistoryAction.DEPLOYING.value,
                        example_version_id=version.id,
                        version_tag=version.version_tag,
                        workflow_id=ref.workflow_id,
                        created_by=SYSTEM,
                        created_at=now,
                    )
                )
            await repo.add_all(items)
            if await repo.repository_state(course_id) is None:
                await repo.add_all(
                    [
                        LearnerRepositoryState(
                            course_id=course_id,
                            tenant_id=tenant_id,
                            remote_url=remote_url(self.settings, tenant_id, course_id) or None,
                        )
                    ]
                )
            release.status = ReleaseStatus.RUNNING
            release.started_at = now
            release.timings = {"begin_seconds": round(time.perf_counter() - began, 4)}
            await repo.flush()
            await self.publisher.publish(
                uow,
                CourseContentReleaseRequested(
                    course_id=course_id,
                    workflow_id=ref.workflow_id,
                    deployments_count=len(items),
                    force_redeploy=request.force_redeploy,
                ),
                tenant_id=tenant_id,
            )
            return ReleasePlan(str(release.id), len(items))

    async def publish(self, ref: ReleaseRef) -> ReleaseResult:
        course_id, tenant_id = uuid.UUID(ref.release.course_id), uuid.UUID(ref.release.tenant_id)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        async with self.database.read_session() as session:
            repo = ContentRepository(session)
            release = await repo.release_by_run(ref.workflow_id, ref.run_id)
            if release is None:
                raise ReleaseRefused(f"release {ref.workflow_id}/{ref.run_id} was never begun")
            if release.status == ReleaseStatus.COMPLETED:
                return _result(release)
            items = await repo.items([release.id])
            versions = await repo.versions_by_id(i.example_version_id for i in items)
            contents = {v: await repo.file_contents(v) for v in versions}
        timings["db_read_seconds"] = time.perf_counter() - started

        started = time.perf_counter()
        folders: dict[str, dict[str, bytes]] = {}
        failures: dict[uuid.UUID, str] = {}
        for item in items:
            try:
                meta = meta_from_stored(versions[item.example_version_id].meta)
                files = learner_files(contents[item.example_version_id], meta)
            except (BuildError, PackageError) as exc:
                failures[item.deployment_id] = str(exc)
                continue
            folders[tree.folder_of(item.path)] = files
        timings["build_seconds"] = time.perf_counter() - started

        view = await self.outlines.outline(course_id)
        title = view.title if view is not None else str(course_id)
        started = time.perf_counter()
        sha: str | None = None
        attempts = 0
        if folders:
            git = self.repository(tenant_id, course_id)
            try:
                written = await asyncio.to_thread(
                    git.write,
                    folders,
                    f"Release {title}: {len(folders)} assignment(s)",
                    workflow_id=ref.workflow_id,
                    run_id=ref.run_id,
                    deployments=[
                        str(i.deployment_id) for i in items if i.deployment_id not in failures
                    ],
                    push_attempts=self.settings.content_release_push_attempts,
                )
            except PushRejected as exc:
                raise ReleaseRefused(str(exc)) from exc
            sha, attempts = written.sha, written.attempts
        timings["git_seconds"] = time.perf_counter() - started
        timings["git_attempts"] = attempts

        started = time.perf_counter()
        async with self.uow_factory() as uow:
            repo = ContentRepository(uow.session)
            now = utcnow()
            if sha is not None:
                await repo.set_head(course_id, sha, now)
            release = await repo.release_by_run(ref.workflow_id, ref.run_id)
            assert release is not None
            if release.status == ReleaseStatus.COMPLETED:
                return _result(release)
            items = await repo.items([release.id])  # this session's rows, to record outcomes
            deployments = await repo.deployments_by_id(i.deployment_id for i in items)
            for item in items:
                deployment = deployments.get(item.deployment_id)
                reason = failures.get(item.deployment_id)
                await self._record(uow, ref, item, deployment, sha, reason, tenant_id, now)
            release.status = ReleaseStatus.COMPLETED
            release.commit_sha = sha
            release.deployed_count = sum(1 for i in items if i.deployment_id not in failures)
            release.failed_count = len(failures)
            release.finished_at = now
            timings["db_write_seconds"] = time.perf_counter() - started
            release.timings = {
                **(release.timings or {}),
                **{k: round(v, 4) for k, v in timings.items()},
            }
            await repo.flush()
            await self.publisher.publish(
                uow,
                CourseContentReleaseCompleted(
                    course_id=course_id,
                    workflow_id=ref.workflow_id,
                    commit_sha=sha,
                    deployed_count=release.deployed_count,
                    failed_count=release.failed_count,
                ),
                tenant_id=tenant_id,
            )
            return _result(release)

    async def _record(
        self,
        uow: UnitOfWork,
        ref: ReleaseRef,
        item: ContentReleaseItem,
        deployment: CourseContentDeployment | None,
        sha: str | None,
        reason: str | None,
        tenant_id: uuid.UUID,
        now: Any,
    ) -> None:
        item.outcome = "failed" if reason else "deployed"
        item.message = reason[:500] if reason else None
        if deployment is None:
            return  # removed with its content meanwhile; the release item keeps the outcome
        history = DeploymentHistory(
            deployment_id=deployment.id,
            course_content_id=item.course_content_id,
            tenant_id=tenant_id,
            example_version_id=item.example_version_id,
            version_tag=item.version_tag,
            workflow_id=ref.workflow_id,
            created_by=SYSTEM,
            created_at=now,
        )
        deployment.updated_at = now
        if reason:
            deployment.deployment_status = DeploymentStatus.FAILED
            deployment.deployment_message = reason[:500]
            history.action = HistoryAction.FAILED.value
            history.message = reason[:500]
            uow.session.add(history)
            await self.publisher.publish(
                uow,
                CourseContentDeploymentFailed(
                    content_id=item.course_content_id,
                    course_id=uuid.UUID(ref.release.course_id),
                    deployment_id=deployment.id,
                    workflow_id=ref.workflow_id,
                    reason=fit(CourseContentDeploymentFailed, "reason", reason),
                ),
                tenant_id=tenant_id,
            )
            return
        assert sha is not None
        deployment.deployment_status = DeploymentStatus.DEPLOYED
        deployment.version_identifier = sha
        deployment.deployment_path = tree.folder_of(item.path)
        deployment.deployed_at = now
        history.action = HistoryAction.DEPLOYED.value
        history.commit_sha = sha
        uow.session.add(history)
        await self.publisher.publish(
            uow,
            CourseContentDeploymentCompleted(
                content_id=item.course_content_id,
                course_id=uuid.UUID(ref.release.course_id),
                deployment_id=deployment.id,
                example_version_id=item.example_version_id,
                commit_sha=sha,
                workflow_id=ref.workflow_id,
            ),
            tenant_id=tenant_id,
        )

    async def fail(self, failure: ReleaseFailure) -> None:
        ref = failure.ref
        course_id, tenant_id = uuid.UUID(ref.release.course_id), uuid.UUID(ref.release.tenant_id)
        now = utcnow()
        reason = f"{failure.error_type}: {failure.message}"
        async with self.uow_factory() as uow:
            repo = ContentRepository(uow.session)
            release = await repo.release_by_run(ref.workflow_id, ref.run_id)
            if release is not None:
                if release.status in (ReleaseStatus.COMPLETED, ReleaseStatus.FAILED):
                    return
                items = await repo.items([release.id])
                deployments = await repo.deployments_by_id(i.deployment_id for i in items)
                for item in items:
                    item.outcome = "failed"
                    item.message = reason[:500]
                    deployment = deployments.get(item.deployment_id)
                    if deployment is None or deployment.deployment_status != "deploying":
                        continue
                    deployment.deployment_status = DeploymentStatus.FAILED
                    deployment.deployment_message = reason[:500]
                    deployment.updated_at = now
                    uow.session.add(
                        DeploymentHistory(
                            deployment_id=deployment.id,
                            course_content_id=item.course_content_id,
                            tenant_id=tenant_id,
                            action=HistoryAction.FAILED.value,
                            example_version_id=item.example_version_id,
                            version_tag=item.version_tag,
                            workflow_id=ref.workflow_id,
                            message=reason[:500],
                            created_by=SYSTEM,
                            created_at=now,
                        )
                    )
                release.status = ReleaseStatus.FAILED
                release.error = reason[:500]
                release.failed_count = len(items)
                release.finished_at = now
                await repo.flush()
            await self.publisher.publish(
                uow,
                CourseContentReleaseFailed(
                    course_id=course_id,
                    workflow_id=ref.workflow_id,
                    error_type=_code(failure.error_type),
                    reason=fit(CourseContentReleaseFailed, "reason", failure.message or reason),
                ),
                tenant_id=tenant_id,
            )


def _code(error_type: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in error_type)[:64]
    return cleaned if cleaned and not cleaned[0].isdigit() else "ReleaseError"


def _release_row(ref: ReleaseRef, now: Any) -> dict[str, Any]:
    request = ref.release
    return {
        "id": uuid.uuid4(),
        "tenant_id": uuid.UUID(request.tenant_id),
        "course_id": uuid.UUID(request.course_id),
        "workflow_id": ref.workflow_id,
        "run_id": ref.run_id,
        "status": ReleaseStatus.REQUESTED.value,
        "mode": {
            "content_ids": list(request.content_ids),
            "all_pending": request.all_pending,
            "force_redeploy": request.force_redeploy,
        },
        "requested_by": request.requested_by,
        "deployed_count": 0,
        "failed_count": 0,
        "timings": {},
        "created_at": now,
    }


def _result(release: ContentRelease) -> ReleaseResult:
    return ReleaseResult(
        status=release.status,
        commit_sha=release.commit_sha,
        deployed=release.deployed_count,
        failed=release.failed_count,
        timings=dict(release.timings or {}),
        error=release.error,
    )


@dataclass(frozen=True)
class Started:
    workflow_id: str
    run_id: str
    request: ReleaseInput


class ReleaseService:
    """What operators do with releases; reads through `uow` (a read unit for GETs)."""

    def __init__(
        self,
        uow: UnitOfWork,
        publisher: EventPublisher,
        courses: CourseLookup,
        temporal: TemporalRuntime,
        settings: ContentSettings,
        data_dir: Path,
    ) -> None:
        self.uow = uow
        self.publisher = publisher
        self.courses = courses
        self.temporal = temporal
        self.settings = settings
        self.data_dir = data_dir
        self.repo = ContentRepository(uow.session)

    async def check_requestable(
        self,
        principal: Principal,
        course_id: uuid.UUID,
        content_ids: list[uuid.UUID],
        force_redeploy: bool,
    ) -> int:
        """How many deployments the release would carry; refuses what cannot start."""
        await self.courses.require(principal.tenant_id, course_id)
        running = await self.repo.active_release(course_id)
        if running is not None:
            raise _running(running.workflow_id, running.run_id)
        rows = await self.repo.course_deployments(course_id)
        known = {content.id for content, _d in rows}
        stray = [c for c in content_ids if c not in known]
        if stray:
            raise ValidationFailed.field(
                "content_ids", f"{stray[0]} is not a submittable content of this course"
            )
        chosen = selected(rows, content_ids=set(content_ids), force_redeploy=force_redeploy)
        if not chosen:
            field = "content_ids" if content_ids else "all_pending"
            reason = (
                "none of these contents has an assigned example"
                if content_ids
                else "no deployment is pending or failed; send force_redeploy to release all"
            )
            raise ValidationFailed.field(field, reason)
        return len(chosen)

    async def start(
        self,
        principal: Principal,
        course_id: uuid.UUID,
        content_ids: list[uuid.UUID],
        force_redeploy: bool,
    ) -> Started:
        """Start the workflow (no transaction is open: the caller checked in a read unit)."""
        client = await self.temporal.client()
        request = ReleaseInput(
            course_id=str(course_id),
            tenant_id=str(principal.tenant_id),
            requested_by=actor(principal),
            content_ids=[str(c) for c in content_ids],
            all_pending=not content_ids and not force_redeploy,
            force_redeploy=force_redeploy,
            heartbeat_seconds=self.settings.content_release_heartbeat_seconds,
        )
        for attempt in (1, 2):
            try:
                handle: WorkflowHandle[Any, Any] = await client.start_workflow(
                    WORKFLOW,
                    request,
                    id=workflow_id(str(course_id)),
                    task_queue=self.settings.content_task_queue,
                    execution_timeout=RELEASE_TIMEOUT,
                    id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
                    id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
                )
                break
            except WorkflowAlreadyStartedError as exc:
                if attempt == 1 and await self._ending(client, exc.workflow_id, exc.run_id):
                    continue
                raise _running(exc.workflow_id, exc.run_id or "") from None
        run_id = handle.result_run_id or handle.first_execution_run_id or ""
        return Started(handle.id, run_id, request)

    async def _ending(self, client: Client, workflow: str, run_id: str | None) -> bool:
        """Whether the running workflow is one whose release already recorded its end (it is
        returning); then it is waited for, briefly, so that the next release can start."""
        if not run_id:
            return False
        ended = await self.repo.release_by_run(workflow, run_id)
        if ended is None or ended.status not in (ReleaseStatus.COMPLETED, ReleaseStatus.FAILED):
            return False
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                client.get_workflow_handle(workflow, run_id=run_id).result(), ENDING_SECONDS
            )
        return True

    async def record_started(self, started: Started) -> None:
        """The release row as soon as the workflow runs (its `begin` writes it too)."""
        await self.repo.record_release(
            _release_row(ReleaseRef(started.request, started.workflow_id, started.run_id), utcnow())
        )

    async def rollback_assignment(
        self,
        principal: Principal,
        content_id: uuid.UUID,
        *,
        history_id: uuid.UUID | None,
        version_tag: str | None,
    ) -> tuple[uuid.UUID, DeploymentHistory]:
        """Assign the earlier version (history `rolled_back`); the caller then releases it."""
        deployments = DeploymentService(self.uow, self.publisher, self.courses)
        view = await deployments.of_content(principal, content_id)
        if view is None or view.version is None or view.example is None:
            raise NotFound("the content has no assigned example to roll back")
        deployment = view.deployment
        if deployment.deployment_status == DeploymentStatus.DEPLOYING:
            raise Conflict("the content is being deployed; roll back once the release ended")
        if history_id is not None:
            entry = await self.repo.history_entry(history_id, deployment.id)
            if entry is None or entry.example_version_id is None:
                raise ValidationFailed.field(
                    "history_id", f"no history entry {history_id} with a version on this deployment"
                )
            target = entry.example_version_id
        else:
            assert version_tag is not None
            version = await self.repo.version_by_tag(view.example.id, version_tag)
            if version is None:
                raise ValidationFailed.field(
                    "version_tag", f"{view.example.identifier} has no version {version_tag!r}"
                )
            target = version.id
        if target == view.version.id:
            field = "history_id" if history_id is not None else "version_tag"
            raise ValidationFailed.field(field, "that version is the one assigned now")
        content = await self.repo.content(content_id, tenant_id=principal.tenant_id)
        assert content is not None
        running = await self.repo.active_release(content.course_id)
        if running is not None:
            raise _running(running.workflow_id, running.run_id)
        previous = view.version.id
        after = await deployments.assign(
            principal,
            content_id,
            AssignExample(example_version_id=target, force=True),
            action=HistoryAction.ROLLED_BACK,
        )
        entry = after.history[0]
        await self.publisher.publish(
            self.uow,
            CourseContentDeploymentRolledBack(
                content_id=content_id,
                course_id=content.course_id,
                deployment_id=deployment.id,
                example_version_id=target,
                previous_example_version_id=previous,
                history_id=entry.id,
            ),
            tenant_id=principal.tenant_id,
        )
        return content.course_id, entry

    async def release(self, principal: Principal, course_id: uuid.UUID, key: str) -> ContentRelease:
        """A release by its workflow id (the course's latest) or its run id."""
        releases = await self.repo.releases_of(principal.tenant_id, course_id, limit=500)
        for release in releases:
            if key in (release.workflow_id, release.run_id):
                return release
        raise NotFound(f"no release {key} of course {course_id}")


def _running(workflow: str, run_id: str) -> Conflict:
    return Conflict(
        f"a release of this course is running: {workflow}",
        extra={"workflow_id": workflow, "run_id": run_id},
    )
