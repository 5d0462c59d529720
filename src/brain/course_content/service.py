"""The course content's rules: the tree, the example library, assignments and their history.

Every method runs inside the caller's unit of work, flushes and never commits; a refused change
raises a `brain.kernel.errors` exception before anything is written (or with the unit of work
rolled back by its edge), so nothing is ever half-done.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from brain.course_content import tree
from brain.course_content.models import (
    ContentKind,
    CourseContent,
    CourseContentDeployment,
    DeploymentHistory,
    DeploymentStatus,
    Example,
    ExampleVersion,
    ExampleVersionFile,
    HistoryAction,
)
from brain.course_content.packages import Package
from brain.course_content.repository import ContentRepository
from brain.course_content.schemas import (
    AssignExample,
    ContentCreate,
    ContentUpdate,
    DeploymentSummary,
    ExampleCreate,
)
from brain.events import EventPublisher
from brain.events.contracts.course_content import (
    CourseContentCreated,
    CourseContentDeleted,
    CourseContentExampleAssigned,
    CourseContentExampleUnassigned,
    CourseContentMoved,
    CourseContentUpdated,
    ExampleVersionCreated,
)
from brain.kernel.auth.service import Principal
from brain.kernel.clock import utcnow
from brain.kernel.contracts import CourseOutlineReader, CourseOutlineView
from brain.kernel.errors import Conflict, NotFound, ValidationFailed
from brain.kernel.uow import UnitOfWork

LOCKED = (DeploymentStatus.DEPLOYING.value, DeploymentStatus.DEPLOYED.value)
"""Statuses that keep a content from being deleted and its deployment from being unassigned."""


def actor(principal: Principal) -> str:
    """`created_by` of a history entry: the API key's id (the CLI's operator id at the
    machine)."""
    return str(principal.api_key_id)


@dataclass(frozen=True)
class AssignmentView:
    deployment: CourseContentDeployment
    example: Example | None
    version: ExampleVersion | None
    has_newer_version: bool
    history: list[DeploymentHistory]


class CourseLookup:
    """Whether a course exists in a tenant, through course_factory's read contract."""

    def __init__(self, outlines: CourseOutlineReader) -> None:
        self.outlines = outlines

    async def in_tenant(
        self, tenant_id: uuid.UUID, course_id: uuid.UUID
    ) -> CourseOutlineView | None:
        view = await self.outlines.outline(course_id)
        return view if view is not None and view.tenant_id == tenant_id else None

    async def require(
        self, tenant_id: uuid.UUID, course_id: uuid.UUID, *, field: str | None = None
    ) -> CourseOutlineView:
        view = await self.in_tenant(tenant_id, course_id)
        if view is None:
            if field is not None:
                raise ValidationFailed.field(field, f"no course {course_id} in this tenant")
            raise NotFound(f"no course {course_id}")
        return view


class ContentService:
    def __init__(self, uow: UnitOfWork, publisher: EventPublisher, courses: CourseLookup) -> None:
        self.uow = uow
        self.publisher = publisher
        self.courses = courses
        self.repo = ContentRepository(uow.session)

    # -- reading ---------------------------------------------------------------------------

    async def get(self, principal: Principal, content_id: uuid.UUID) -> CourseContent:
        content = await self.repo.content(content_id, tenant_id=principal.tenant_id)
        if content is None:
            raise NotFound(f"no course content {content_id}")
        return content

    async def subtree(
        self, principal: Principal, course_id: uuid.UUID, root: str | None
    ) -> list[CourseContent]:
        await self.courses.require(principal.tenant_id, course_id)
        if root is not None:
            root = _checked(root, "path")
        return await self.repo.subtree(course_id, root)

    # -- writing ---------------------------------------------------------------------------

    async def _kind(self, kind_id: str, field: str = "kind") -> ContentKind:
        kind = await self.repo.kind(kind_id)
        if kind is None:
            known = ", ".join(k.id for k in await self.repo.kinds())
            raise ValidationFailed.field(field, f"unknown kind {kind_id!r}; known: {known}")
        return kind

    async def _placement(self, course_id: uuid.UUID, path: str, kind: ContentKind) -> None:
        above = tree.parent_of(path)
        parent = await self.repo.content_at(course_id, above) if above else None
        parent_kind = await self.repo.kind(parent.kind_id) if parent else None
        problem = tree.placement_error(
            path, _rules(kind), _rules(parent_kind) if parent_kind else None, parent is not None
        )
        if problem:
            raise ValidationFailed.field("path", problem)

    async def create(
        self, tenant_id: uuid.UUID, body: ContentCreate, *, check_course: bool = True
    ) -> CourseContent:
        if check_course:
            await self.courses.require(tenant_id, body.course_id, field="course_id")
        path = _checked(body.path, "path")
        kind = await self._kind(body.kind)
        if await self.repo.content_at(body.course_id, path) is not None:
            raise Conflict(f"the course already has content at {path!r}")
        await self._placement(body.course_id, path, kind)
        content = await self.repo.add(
            CourseContent(
                tenant_id=tenant_id,
                course_id=body.course_id,
                path=path,
                kind_id=kind.id,
                title=body.title,
                description=body.description,
                position=body.position,
                max_submissions=body.max_submissions,
                max_group_size=body.max_group_size,
            )
        )
        await self.publisher.publish(
            self.uow,
            CourseContentCreated(
                content_id=content.id, course_id=content.course_id, kind=kind.id, path=path
            ),
            tenant_id=tenant_id,
        )
        return content

    async def update(
        self, principal: Principal, content_id: uuid.UUID, body: ContentUpdate
    ) -> CourseContent:
        content = await self.get(principal, content_id)
        changed = [
            name
            for name in ("title", "description", "position", "max_submissions", "max_group_size")
            if name in body.model_fields_set and getattr(body, name) != getattr(content, name)
        ]
        moved = 0
        if body.path is not None and body.path != content.path:
            moved = await self._move(content, _checked(body.path, "path"))
        for name in changed:
            setattr(content, name, getattr(body, name))
        if changed:
            content.updated_at = utcnow()
        await self.repo.flush()
        if changed:
            await self.publisher.publish(
                self.uow,
                CourseContentUpdated(
                    content_id=content.id, course_id=content.course_id, changed_fields=changed
                ),
                tenant_id=principal.tenant_id,
            )
        if moved:
            await self.publisher.publish(
                self.uow,
                CourseContentMoved(
                    content_id=content.id,
                    course_id=content.course_id,
                    path=content.path,
                    nodes_moved=moved,
                ),
                tenant_id=principal.tenant_id,
            )
        return content

    async def _move(self, content: CourseContent, new_path: str) -> int:
        old_path = content.path
        if tree.is_within(new_path, old_path):
            raise ValidationFailed.field(
                "path", f"cannot move {old_path!r} below itself ({new_path!r})"
            )
        subtree = await self.repo.subtree(content.course_id, old_path)
        deepest = max(tree.depth(node.path) for node in subtree)
        new_depth = deepest - tree.depth(old_path) + tree.depth(new_path)
        if new_depth > tree.MAX_DEPTH:
            raise ValidationFailed.field(
                "path",
                f"the subtree would reach {new_depth} labels deep; at most {tree.MAX_DEPTH}",
            )
        if await self.repo.content_at(content.course_id, new_path) is not None:
            raise Conflict(f"the course already has content at {new_path!r}")
        await self._placement(content.course_id, new_path, await self._kind(content.kind_id))
        now = utcnow()
        for node in subtree:
            node.path = tree.moved(node.path, old_path, new_path)
            node.updated_at = now
        await self.repo.flush()
        return len(subtree)

    async def delete(self, principal: Principal, content_id: uuid.UUID, *, cascade: bool) -> int:
        content = await self.get(principal, content_id)
        subtree = await self.repo.subtree(content.course_id, content.path)
        if len(subtree) > 1 and not cascade:
            raise Conflict(
                f"{content.path!r} has {len(subtree) - 1} descendant(s); "
                "delete with ?cascade=true to remove them too"
            )
        deployments = await self.repo.deployments_of(node.id for node in subtree)
        held = [
            node.path
            for node in subtree
            if node.id in deployments and deployments[node.id].deployment_status in LOCKED
        ]
        if held:
            raise Conflict(
                f"cannot delete: {', '.join(held[:5])} hold(s) a deployed or deploying "
                "assignment; unassign it first"
            )
        await self.repo.delete_contents([node.id for node in subtree])
        await self.publisher.publish(
            self.uow,
            CourseContentDeleted(
                content_id=content.id,
                course_id=content.course_id,
                path=content.path,
                nodes_deleted=len(subtree),
            ),
            tenant_id=principal.tenant_id,
        )
        return len(subtree)

    async def build_from_outline(self, view: CourseOutlineView) -> int:
        """The tree of a generated course: a unit per module and per lesson, an assignment per
        module. Built once: a course that has any content keeps it (the operator's changes are
        never overwritten, a replay finds its work done)."""
        if await self.repo.course_has_content(view.course_id):
            return 0
        created = 0
        for module in view.modules:
            module_path = f"module_{module.position:02d}"
            await self.create(
                view.tenant_id,
                ContentCreate(
                    course_id=view.course_id,
                    path=module_path,
                    kind="unit",
                    title=module.title[:255] or module_path,
                    description=module.summary or None,
                    position=module.position,
                ),
                check_course=False,
            )
            for number, lesson in enumerate(module.lessons, start=1):
                await self.create(
                    view.tenant_id,
                    ContentCreate(
                        course_id=view.course_id,
                        path=f"{module_path}.lesson_{number:02d}",
                        kind="unit",
                        title=lesson.title[:255] or f"Lesson {number}",
                        description=lesson.summary or None,
                        position=number,
                    ),
                    check_course=False,
                )
            await self.create(
                view.tenant_id,
                ContentCreate(
                    course_id=view.course_id,
                    path=f"{module_path}.exercise",
                    kind="assignment",
                    title=f"Exercise: {module.title}"[:255],
                    position=len(module.lessons) + 1,
                ),
                check_course=False,
            )
            created += len(module.lessons) + 2
        return created


class ExampleService:
    def __init__(self, uow: UnitOfWork, publisher: EventPublisher) -> None:
        self.uow = uow
        self.publisher = publisher
        self.repo = ContentRepository(uow.session)

    async def get(self, principal: Principal, example_id: uuid.UUID) -> Example:
        example = await self.repo.example(example_id, principal.tenant_id)
        if example is None:
            raise NotFound(f"no example {example_id}")
        return example

    async def create(self, principal: Principal, body: ExampleCreate) -> Example:
        if await self.repo.example_by_identifier(principal.tenant_id, body.identifier):
            raise Conflict(f"an example {body.identifier!r} exists already")
        return await self.repo.add_example(
            Example(
                tenant_id=principal.tenant_id,
                identifier=body.identifier,
                title=body.title,
                description=body.description,
            )
        )

    async def ensure(self, principal: Principal, identifier: str, package: Package) -> Example:
        found = await self.repo.example_by_identifier(principal.tenant_id, identifier)
        if found is not None:
            return found
        return await self.create(
            principal,
            ExampleCreate(
                identifier=identifier,
                title=package.meta.title,
                description=package.meta.description or None,
            ),
        )

    async def add_version(
        self, principal: Principal, example: Example, package: Package, tag: str | None
    ) -> ExampleVersion:
        number = await self.repo.latest_version_number(example.id) + 1
        tag = tag or f"v{number}"
        if await self.repo.version_by_tag(example.id, tag) is not None:
            raise Conflict(f"{example.identifier} already has a version {tag!r}")
        version = await self.repo.add_version(
            ExampleVersion(
                example_id=example.id,
                version_tag=tag,
                version_number=number,
                meta=package.meta.raw,
                files_count=len(package.files),
                total_bytes=package.total_bytes,
                created_by=actor(principal),
            )
        )
        await self.repo.store_blobs({f.sha256: f.content for f in package.files})
        await self.repo.add_files(
            [
                ExampleVersionFile(
                    example_version_id=version.id,
                    path=f.path,
                    sha256=f.sha256,
                    size=len(f.content),
                )
                for f in package.files
            ]
        )
        example.updated_at = utcnow()
        await self.publisher.publish(
            self.uow,
            ExampleVersionCreated(
                example_id=example.id,
                example_version_id=version.id,
                identifier=example.identifier,
                version_tag=tag,
                version_number=number,
                files_count=len(package.files),
                total_bytes=package.total_bytes,
            ),
            tenant_id=principal.tenant_id,
        )
        return version

    async def version(
        self, principal: Principal, example_id: uuid.UUID, version_id: uuid.UUID
    ) -> ExampleVersion:
        await self.get(principal, example_id)
        version = await self.repo.version(version_id)
        if version is None or version.example_id != example_id:
            raise NotFound(f"no version {version_id} of example {example_id}")
        return version


class DeploymentService:
    def __init__(self, uow: UnitOfWork, publisher: EventPublisher, courses: CourseLookup) -> None:
        self.uow = uow
        self.publisher = publisher
        self.courses = courses
        self.repo = ContentRepository(uow.session)

    async def _submittable(self, principal: Principal, content_id: uuid.UUID) -> CourseContent:
        content = await ContentService(self.uow, self.publisher, self.courses).get(
            principal, content_id
        )
        kind = await self.repo.kind(content.kind_id)
        if kind is None or not kind.submittable:
            raise ValidationFailed.field(
                "content_id",
                f"{content.path!r} is a {content.kind_id}, which is not submittable; "
                "only submittable content takes an example",
            )
        return content

    async def view(self, deployment: CourseContentDeployment) -> AssignmentView:
        version = (
            await self.repo.version(deployment.example_version_id)
            if deployment.example_version_id
            else None
        )
        example = (
            (await self.repo.examples_by_id([version.example_id])).get(version.example_id)
            if version
            else None
        )
        newest = (
            (await self.repo.newest_version_numbers([version.example_id])).get(
                version.example_id, 0
            )
            if version
            else 0
        )
        return AssignmentView(
            deployment=deployment,
            example=example,
            version=version,
            has_newer_version=version is not None and newest > version.version_number,
            history=await self.repo.history(deployment.id),
        )

    async def of_content(
        self, principal: Principal, content_id: uuid.UUID
    ) -> AssignmentView | None:
        content = await ContentService(self.uow, self.publisher, self.courses).get(
            principal, content_id
        )
        deployment = await self.repo.deployment_of(content.id)
        return await self.view(deployment) if deployment else None

    async def _resolve(
        self, principal: Principal, body: AssignExample
    ) -> tuple[ExampleVersion, Example]:
        if body.example_version_id is not None:
            found = await self.repo.version_of_tenant(body.example_version_id, principal.tenant_id)
            if found is None:
                raise ValidationFailed.field(
                    "example_version_id", f"no example version {body.example_version_id}"
                )
            return found
        assert body.example_id is not None and body.example_version is not None
        example = await self.repo.example(body.example_id, principal.tenant_id)
        if example is None:
            raise ValidationFailed.field("example_id", f"no example {body.example_id}")
        version = await self.repo.version_by_tag(example.id, body.example_version)
        if version is None:
            raise ValidationFailed.field(
                "example_version", f"{example.identifier} has no version {body.example_version!r}"
            )
        return version, example

    async def assign(
        self,
        principal: Principal,
        content_id: uuid.UUID,
        body: AssignExample,
        *,
        action: HistoryAction | None = None,
    ) -> AssignmentView:
        content = await self._submittable(principal, content_id)
        version, example = await self._resolve(principal, body)
        elsewhere = await self.repo.example_assigned_elsewhere(
            content.course_id, example.id, content.id
        )
        if elsewhere is not None:
            raise Conflict(
                f"{example.identifier} is already assigned to {elsewhere.path!r} of this course"
            )
        deployment = await self.repo.deployment_of(content.id, for_update=True)
        previous = (
            await self.repo.version(deployment.example_version_id)
            if deployment and deployment.example_version_id
            else None
        )
        status = deployment.deployment_status if deployment else None
        if status == DeploymentStatus.DEPLOYING:
            raise Conflict(f"{content.path!r} is being deployed; assign once the release ended")
        if previous is not None and previous.id == version.id and action is None:
            return await self.view(deployment)  # type: ignore[arg-type]  # previous implies one
        if previous is None or status == DeploymentStatus.UNASSIGNED:
            chosen = HistoryAction.ASSIGNED
        elif previous.example_id == example.id:
            chosen = HistoryAction.UPDATED
        else:
            chosen = HistoryAction.REASSIGNED
            if status == DeploymentStatus.DEPLOYED and not body.force:
                raise Conflict(
                    f"{content.path!r} is deployed with another example; "
                    "send force: true to reassign it"
                )
        now = utcnow()
        if deployment is None:
            deployment = CourseContentDeployment(
                course_content_id=content.id,
                example_version_id=version.id,
                deployment_status=DeploymentStatus.PENDING,
                deployment_message=body.deployment_message,
                assigned_at=now,
                deployment_metadata={},
            )
            await self.repo.add_deployment(deployment)
        else:
            deployment.example_version_id = version.id
            deployment.deployment_status = DeploymentStatus.PENDING
            deployment.deployment_message = body.deployment_message
            deployment.assigned_at = now
            deployment.updated_at = now
            await self.repo.flush()
        await self.repo.add_history(
            DeploymentHistory(
                deployment_id=deployment.id,
                course_content_id=content.id,
                tenant_id=content.tenant_id,
                action=(action or chosen).value,
                example_version_id=version.id,
                previous_example_version_id=previous.id if previous else None,
                version_tag=version.version_tag,
                message=body.deployment_message,
                created_by=actor(principal),
                created_at=now,
            )
        )
        await self.publisher.publish(
            self.uow,
            CourseContentExampleAssigned(
                content_id=content.id,
                course_id=content.course_id,
                deployment_id=deployment.id,
                example_id=example.id,
                example_version_id=version.id,
                version_tag=version.version_tag,
                action=chosen.value,
            ),
            tenant_id=content.tenant_id,
        )
        return await self.view(deployment)

    async def unassign(self, principal: Principal, content_id: uuid.UUID) -> AssignmentView:
        content = await ContentService(self.uow, self.publisher, self.courses).get(
            principal, content_id
        )
        deployment = await self.repo.deployment_of(content.id, for_update=True)
        if deployment is None or deployment.deployment_status == DeploymentStatus.UNASSIGNED:
            raise NotFound(f"{content.path!r} has no assigned example")
        if deployment.deployment_status in LOCKED:
            raise Conflict(
                f"{content.path!r} is {deployment.deployment_status}; "
                "a deployed or deploying assignment cannot be unassigned"
            )
        previous = deployment.example_version_id
        assert previous is not None
        now = utcnow()
        deployment.example_version_id = None
        deployment.deployment_status = DeploymentStatus.UNASSIGNED
        deployment.updated_at = now
        await self.repo.flush()
        await self.repo.add_history(
            DeploymentHistory(
                deployment_id=deployment.id,
                course_content_id=content.id,
                tenant_id=content.tenant_id,
                action=HistoryAction.UNASSIGNED.value,
                example_version_id=None,
                previous_example_version_id=previous,
                created_by=actor(principal),
                created_at=now,
            )
        )
        await self.publisher.publish(
            self.uow,
            CourseContentExampleUnassigned(
                content_id=content.id,
                course_id=content.course_id,
                deployment_id=deployment.id,
                example_version_id=previous,
            ),
            tenant_id=content.tenant_id,
        )
        return await self.view(deployment)

    async def summary(self, principal: Principal, course_id: uuid.UUID) -> DeploymentSummary:
        await self.courses.require(principal.tenant_id, course_id)
        rows = await self.repo.course_deployments(course_id)
        deployments = [d for _c, d in rows if d is not None]
        versions = await self.repo.versions_by_id(
            d.example_version_id for d in deployments if d.example_version_id
        )
        newest = await self.repo.newest_version_numbers(v.example_id for v in versions.values())
        by_status = {status.value: 0 for status in DeploymentStatus}
        for _content, deployment in rows:
            status = deployment.deployment_status if deployment else DeploymentStatus.UNASSIGNED
            by_status[status] += 1
        newer = sum(
            1
            for d in deployments
            if d.example_version_id in versions
            and newest.get(versions[d.example_version_id].example_id, 0)
            > versions[d.example_version_id].version_number
        )
        unassigned = by_status[DeploymentStatus.UNASSIGNED]
        return DeploymentSummary(
            course_id=course_id,
            submittable_contents=len(rows),
            assigned=len(rows) - unassigned,
            unassigned=unassigned,
            by_status=by_status,
            with_newer_version=newer,
            last_deployed_at=await self.repo.last_deployed_at(course_id),
        )


def _checked(path: str, field: str) -> str:
    try:
        return tree.check_path(path)
    except tree.PathError as exc:
        raise ValidationFailed.field(field, f"{path[:80]!r} {exc}") from None


def _rules(kind: ContentKind) -> tree.KindRules:
    return tree.KindRules(kind.id, kind.has_ascendants, kind.has_descendants, kind.submittable)
