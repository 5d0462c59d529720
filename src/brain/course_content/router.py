"""The course content API: kinds, the content tree, examples and their versions, assignments.

Editors write, every role reads; every query is scoped to the key's tenant (another tenant's
content, example or course answers 404, a reference to one in a body 422 naming the field).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Form, Query, Response
from fastapi import Path as FastAPIPath

from brain.course_content import packages, tree
from brain.course_content.dependencies import (
    Contents,
    Deployments,
    Deps,
    Examples,
    ReadContents,
    ReadDeployments,
    ReadExamples,
    ReadReleases,
)
from brain.course_content.git_store import BRANCH
from brain.course_content.models import (
    ContentRelease,
    ContentReleaseItem,
    CourseContent,
    Example,
    ExampleVersion,
)
from brain.course_content.schemas import (
    AssignExample,
    ContentCreate,
    ContentList,
    ContentOut,
    ContentUpdate,
    DeploymentOut,
    DeploymentSummary,
    DeploymentWithHistory,
    ExampleCreate,
    ExampleList,
    ExampleOut,
    FileOut,
    HistoryOut,
    KindOut,
    ReleaseAccepted,
    ReleaseItemOut,
    ReleaseList,
    ReleaseOut,
    ReleaseRequest,
    RepositoryFiles,
    RepositoryOut,
    RollbackAccepted,
    RollbackRequest,
    VersionDetail,
    VersionList,
    VersionOut,
    VersionUpload,
)
from brain.course_content.service import AssignmentView, ContentService
from brain.kernel.auth import Principal, Role, require_roles
from brain.kernel.errors import (
    FieldError,
    NotFound,
    PayloadTooLarge,
    ValidationFailed,
    problem_responses,
)
from brain.kernel.requests import text_query

router = APIRouter(tags=["course content"], responses=problem_responses(401, 403))

Reader = Annotated[Principal, Depends(require_roles(*Role))]
Editor = Annotated[Principal, Depends(require_roles(Role.EDITOR))]
CONTENTS = "/api/course-contents"
EXAMPLES = "/api/examples"
DEPRECATION_DATE = "@1798761600"
"""RFC 9745 `Deprecation` date of the old assign-example body (2027-01-01)."""


async def contents_out(service: ContentService, contents: list[CourseContent]) -> list[ContentOut]:
    repo = service.repo
    kinds = await repo.kinds_by_id()
    deployments = await repo.deployments_of(c.id for c in contents)
    versions = await repo.versions_by_id(
        d.example_version_id for d in deployments.values() if d.example_version_id
    )
    out = []
    for content in contents:
        deployment = deployments.get(content.id)
        version_id = deployment.example_version_id if deployment else None
        version = versions.get(version_id) if version_id else None
        kind = kinds.get(content.kind_id)
        out.append(
            ContentOut(
                id=content.id,
                course_id=content.course_id,
                path=content.path,
                parent_path=tree.parent_of(content.path),
                kind=content.kind_id,
                title=content.title,
                description=content.description,
                position=content.position,
                max_submissions=content.max_submissions,
                max_group_size=content.max_group_size,
                submittable=bool(kind and kind.submittable),
                created_at=content.created_at,
                updated_at=content.updated_at,
                archived_at=content.archived_at,
                example_id=version.example_id if version else None,
                example_version_id=version.id if version else None,
                deployment_status=deployment.deployment_status if deployment else None,
                deployed_at=deployment.deployed_at if deployment else None,
            )
        )
    return out


def assignment_out(view: AssignmentView) -> DeploymentWithHistory:
    d = view.deployment
    return DeploymentWithHistory(
        deployment=DeploymentOut(
            id=d.id,
            course_content_id=d.course_content_id,
            example_version_id=d.example_version_id,
            deployment_status=d.deployment_status,
            deployment_message=d.deployment_message,
            assigned_at=d.assigned_at,
            deployed_at=d.deployed_at,
            last_attempt_at=d.last_attempt_at,
            deployment_path=d.deployment_path,
            version_identifier=d.version_identifier,
            metadata=d.deployment_metadata or {},
            workflow_id=d.workflow_id,
        ),
        example_id=view.example.id if view.example else None,
        example_identifier=view.example.identifier if view.example else None,
        version_tag=view.version.version_tag if view.version else None,
        has_newer_version=view.has_newer_version,
        history=[
            HistoryOut(
                id=h.id,
                action=h.action,
                example_version_id=h.example_version_id,
                previous_example_version_id=h.previous_example_version_id,
                version_tag=h.version_tag,
                workflow_id=h.workflow_id,
                commit_sha=h.commit_sha,
                message=h.message,
                created_by=h.created_by,
                created_at=h.created_at,
            )
            for h in view.history
        ],
    )


def version_out(version: ExampleVersion) -> VersionOut:
    return VersionOut(
        id=version.id,
        example_id=version.example_id,
        version_tag=version.version_tag,
        version_number=version.version_number,
        files_count=version.files_count,
        total_bytes=version.total_bytes,
        created_at=version.created_at,
        created_by=version.created_by,
    )


async def example_out(service: Examples | ReadExamples, example: Example) -> ExampleOut:
    versions = await service.repo.versions(example.id)
    return ExampleOut(
        id=example.id,
        identifier=example.identifier,
        title=example.title,
        description=example.description,
        latest_version_tag=versions[0].version_tag if versions else None,
        versions_count=len(versions),
        created_at=example.created_at,
    )


# -- kinds and the tree -------------------------------------------------------------------


@router.get("/api/course-content-kinds", summary="Content kinds", response_model=list[KindOut])
async def kinds(_principal: Reader, contents: ReadContents) -> list[KindOut]:
    return [
        KindOut(
            id=k.id,
            title=k.title,
            has_ascendants=k.has_ascendants,
            has_descendants=k.has_descendants,
            submittable=k.submittable,
        )
        for k in await contents.repo.kinds()
    ]


@router.post(
    CONTENTS,
    status_code=201,
    summary="Add a node to a course's content tree",
    response_model=ContentOut,
    responses=problem_responses(409, 422),
)
async def create_content(principal: Editor, contents: Contents, body: ContentCreate) -> ContentOut:
    content = await contents.create(principal.tenant_id, body)
    return (await contents_out(contents, [content]))[0]


@router.get(
    CONTENTS,
    summary="A course's content tree, or the subtree at `path`",
    response_model=ContentList,
    responses=problem_responses(404, 422),
)
async def list_contents(
    principal: Reader,
    contents: ReadContents,
    course_id: uuid.UUID,
    path: Annotated[str | None, text_query(700)] = None,
) -> ContentList:
    found = await contents.subtree(principal, course_id, path)
    return ContentList(items=await contents_out(contents, found))


@router.get(
    f"{CONTENTS}/{{content_id}}",
    summary="A content node (its deprecated deployment fields come from its deployment)",
    response_model=ContentOut,
    responses=problem_responses(404, 422),
)
async def get_content(
    principal: Reader, contents: ReadContents, content_id: uuid.UUID
) -> ContentOut:
    return (await contents_out(contents, [await contents.get(principal, content_id)]))[0]


@router.patch(
    f"{CONTENTS}/{{content_id}}",
    summary="Change a content node; a new `path` moves its subtree",
    response_model=ContentOut,
    responses=problem_responses(404, 409, 422),
)
async def update_content(
    principal: Editor, contents: Contents, content_id: uuid.UUID, body: ContentUpdate
) -> ContentOut:
    content = await contents.update(principal, content_id, body)
    return (await contents_out(contents, [content]))[0]


@router.delete(
    f"{CONTENTS}/{{content_id}}",
    status_code=204,
    summary="Delete a content node (`cascade=true` for one with children)",
    responses=problem_responses(404, 409, 422),
)
async def delete_content(
    principal: Editor, contents: Contents, content_id: uuid.UUID, cascade: bool = False
) -> Response:
    await contents.delete(principal, content_id, cascade=cascade)
    return Response(status_code=204)


# -- assignments --------------------------------------------------------------------------


@router.post(
    f"{CONTENTS}/{{content_id}}/assign-example",
    summary="Assign an example version to a submittable content",
    response_model=DeploymentWithHistory,
    responses={
        **problem_responses(404, 409, 422),
        200: {
            "description": "The deployment with its history. The deprecated body "
            "`{example_id, example_version}` answers with `Deprecation` and `Link` headers."
        },
    },
)
async def assign_example(
    principal: Editor,
    deployments: Deployments,
    content_id: uuid.UUID,
    body: AssignExample,
    response: Response,
) -> DeploymentWithHistory:
    view = await deployments.assign(principal, content_id, body)
    if body.deprecated_shape:
        response.headers["Deprecation"] = DEPRECATION_DATE
        response.headers["Link"] = (
            '</openapi.json#/components/schemas/AssignExample>; rel="deprecation"; '
            'title="send {example_version_id, deployment_message?} instead"'
        )
    return assignment_out(view)


@router.get(
    f"{CONTENTS}/{{content_id}}/deployment",
    summary="The content's deployment with its history, or null",
    response_model=DeploymentWithHistory | None,
    responses=problem_responses(404, 422),
)
async def get_deployment(
    principal: Reader, deployments: ReadDeployments, content_id: uuid.UUID
) -> DeploymentWithHistory | None:
    view = await deployments.of_content(principal, content_id)
    return assignment_out(view) if view else None


@router.delete(
    f"{CONTENTS}/{{content_id}}/deployment",
    summary="Unassign the content's example (refused while deploying or deployed)",
    response_model=DeploymentWithHistory,
    responses=problem_responses(404, 409, 422),
)
async def unassign_example(
    principal: Editor, deployments: Deployments, content_id: uuid.UUID
) -> DeploymentWithHistory:
    return assignment_out(await deployments.unassign(principal, content_id))


@router.get(
    "/api/courses/{course_id}/deployment-summary",
    summary="How the course's submittable contents are assigned and deployed",
    response_model=DeploymentSummary,
    responses=problem_responses(404, 422),
)
async def deployment_summary(
    principal: Reader, deployments: ReadDeployments, course_id: uuid.UUID
) -> DeploymentSummary:
    return await deployments.summary(principal, course_id)


# -- examples -----------------------------------------------------------------------------


@router.post(
    EXAMPLES,
    status_code=201,
    summary="Create an example (its versions are uploaded next)",
    response_model=ExampleOut,
    responses=problem_responses(409, 422),
)
async def create_example(principal: Editor, examples: Examples, body: ExampleCreate) -> ExampleOut:
    return await example_out(examples, await examples.create(principal, body))


@router.get(EXAMPLES, summary="The tenant's examples", response_model=ExampleList)
async def list_examples(principal: Reader, examples: ReadExamples) -> ExampleList:
    found = await examples.repo.examples(principal.tenant_id)
    return ExampleList(items=[await example_out(examples, e) for e in found])


@router.get(
    f"{EXAMPLES}/{{example_id}}",
    summary="An example",
    response_model=ExampleOut,
    responses=problem_responses(404, 422),
)
async def get_example(
    principal: Reader, examples: ReadExamples, example_id: uuid.UUID
) -> ExampleOut:
    return await example_out(examples, await examples.get(principal, example_id))


@router.post(
    f"{EXAMPLES}/{{example_id}}/versions",
    status_code=201,
    summary="Upload a version: a zip with meta.yaml (multipart field `file`)",
    response_model=VersionDetail,
    responses=problem_responses(404, 409, 413, 422),
)
async def upload_version(
    principal: Editor,
    examples: Examples,
    example_id: uuid.UUID,
    upload: Annotated[VersionUpload, Form(media_type="multipart/form-data")],
) -> VersionDetail:
    file, version_tag = upload.file, upload.version_tag
    # The example first: an upload to an example the tenant does not have is a 404 whatever it
    # holds. A read holds no write lock while the zip is parsed below.
    example = await examples.get(principal, example_id)
    data = await file.read(packages.MAX_COMPRESSED_BYTES + 1)
    if len(data) > packages.MAX_COMPRESSED_BYTES:
        raise PayloadTooLarge(
            "file: the zip exceeds 10 MiB",
            errors=[FieldError(field="file", reason="the zip exceeds 10 MiB")],
        )
    try:
        package = await asyncio.to_thread(packages.read_zip, data)
    except packages.PackageError as exc:
        field = "file" if exc.entry == "file" else f"file:{exc.entry}"
        raise ValidationFailed(
            f"{field}: {exc.reason}", errors=[FieldError(field=field, reason=exc.reason)]
        ) from None
    version = await examples.add_version(principal, example, package, version_tag)
    return await version_detail(examples, version)


async def version_detail(
    examples: Examples | ReadExamples, version: ExampleVersion
) -> VersionDetail:
    files = await examples.repo.files(version.id)
    return VersionDetail(
        **version_out(version).model_dump(),
        meta=version.meta,
        files=[FileOut(path=f.path, size=f.size, sha256=f.sha256) for f in files],
    )


@router.get(
    f"{EXAMPLES}/{{example_id}}/versions",
    summary="An example's versions, newest first",
    response_model=VersionList,
    responses=problem_responses(404, 422),
)
async def list_versions(
    principal: Reader, examples: ReadExamples, example_id: uuid.UUID
) -> VersionList:
    example = await examples.get(principal, example_id)
    return VersionList(items=[version_out(v) for v in await examples.repo.versions(example.id)])


@router.get(
    f"{EXAMPLES}/{{example_id}}/versions/{{version_id}}",
    summary="A version with its file list and meta",
    response_model=VersionDetail,
    responses=problem_responses(404, 422),
)
async def get_version(
    principal: Reader, examples: ReadExamples, example_id: uuid.UUID, version_id: uuid.UUID
) -> VersionDetail:
    return await version_detail(examples, await examples.version(principal, example_id, version_id))


# -- releases and the learner repository ----------------------------------------------------


def release_out(release: ContentRelease, items: list[ContentReleaseItem]) -> ReleaseOut:
    return ReleaseOut(
        workflow_id=release.workflow_id,
        run_id=release.run_id,
        status=release.status,
        commit_sha=release.commit_sha,
        deployed_count=release.deployed_count,
        failed_count=release.failed_count,
        error=release.error,
        created_at=release.created_at,
        started_at=release.started_at,
        finished_at=release.finished_at,
        timings=release.timings or {},
        items=[
            ReleaseItemOut(
                content_id=i.course_content_id,
                path=i.path,
                deployment_id=i.deployment_id,
                example_version_id=i.example_version_id,
                version_tag=i.version_tag,
                outcome=i.outcome,
                message=i.message,
            )
            for i in items
            if i.release_id == release.id
        ],
    )


def status_url(course_id: uuid.UUID, workflow: str) -> str:
    return f"/api/courses/{course_id}/releases/{workflow}"


@router.post(
    "/api/courses/{course_id}/releases",
    status_code=202,
    summary="Release the course's assignments into its learner repository",
    response_model=ReleaseAccepted,
    responses=problem_responses(404, 409, 422, 503),
)
async def request_release(
    principal: Editor,
    deps: Deps,
    course_id: uuid.UUID,
    body: Annotated[ReleaseRequest | None, Body()] = None,
) -> ReleaseAccepted:
    """One release per course at a time (workflow id `release-<course_id>`): a second request
    while one runs answers 409 with the running workflow's id."""
    body = body or ReleaseRequest()
    content_ids = body.content_ids or []
    # Checked and started in a read unit: no write transaction is open while Temporal answers.
    async with deps.reading() as unit:
        releases = deps.releases(unit)
        count = await releases.check_requestable(
            principal, course_id, content_ids, body.force_redeploy
        )
        started = await releases.start(principal, course_id, content_ids, body.force_redeploy)
    async with deps.units_of_work() as uow:
        await deps.releases(uow).record_started(started)
    return ReleaseAccepted(
        workflow_id=started.workflow_id,
        run_id=started.run_id,
        status_url=status_url(course_id, started.workflow_id),
        deployments=count,
    )


@router.get(
    "/api/courses/{course_id}/releases",
    summary="The course's releases, newest first (running and past)",
    response_model=ReleaseList,
    responses=problem_responses(404, 422),
)
async def list_releases(
    principal: Reader, releases: ReadReleases, course_id: uuid.UUID
) -> ReleaseList:
    await releases.courses.require(principal.tenant_id, course_id)
    found = await releases.repo.releases_of(principal.tenant_id, course_id)
    items = await releases.repo.items([r.id for r in found])
    return ReleaseList(items=[release_out(r, items) for r in found])


@router.get(
    "/api/courses/{course_id}/releases/{workflow_id}",
    summary="A release: by its workflow id (the latest) or its run id",
    response_model=ReleaseOut,
    responses=problem_responses(404, 422),
)
async def get_release(
    principal: Reader,
    releases: ReadReleases,
    course_id: uuid.UUID,
    workflow_id: Annotated[
        str, FastAPIPath(max_length=255, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    ],
) -> ReleaseOut:
    await releases.courses.require(principal.tenant_id, course_id)
    release = await releases.release(principal, course_id, workflow_id)
    return release_out(release, await releases.repo.items([release.id]))


def learner_repository(deps: Deps, tenant_id: uuid.UUID, course_id: uuid.UUID):  # type: ignore[no-untyped-def]  # LearnerRepository
    return deps.steps.repository(tenant_id, course_id)


@router.get(
    "/api/courses/{course_id}/repository",
    summary="Where learners clone the course's repository, and its head",
    response_model=RepositoryOut,
    responses=problem_responses(404, 422),
)
async def repository(principal: Reader, deps: Deps, course_id: uuid.UUID) -> RepositoryOut:
    await deps.courses.require(principal.tenant_id, course_id)
    git = learner_repository(deps, principal.tenant_id, course_id)
    head = await asyncio.to_thread(git.head)
    return RepositoryOut(
        clone_url=git.remote_url or str(git.path.resolve()),
        default_branch=BRANCH,
        head=head,
    )


@router.get(
    "/api/courses/{course_id}/repository/files",
    summary="The file paths of the course repository at a ref (default `main`)",
    response_model=RepositoryFiles,
    responses=problem_responses(404, 422),
)
async def repository_files(
    principal: Reader,
    deps: Deps,
    course_id: uuid.UUID,
    ref: Annotated[
        str, Query(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
    ] = BRANCH,
) -> RepositoryFiles:
    await deps.courses.require(principal.tenant_id, course_id)
    git = learner_repository(deps, principal.tenant_id, course_id)
    paths = await asyncio.to_thread(git.files_at, ref)
    if paths is None:
        raise NotFound(f"the course repository has no ref {ref!r}")
    return RepositoryFiles(ref=ref, paths=paths)


@router.post(
    f"{CONTENTS}/{{content_id}}/deployment/rollback",
    status_code=202,
    summary="Assign an earlier version again (history `rolled_back`) and release it",
    response_model=RollbackAccepted,
    responses=problem_responses(404, 409, 422, 503),
)
async def rollback(
    principal: Editor, deps: Deps, content_id: uuid.UUID, body: RollbackRequest
) -> RollbackAccepted:
    # The assignment commits before the release starts, so the release carries it; the answer
    # shows the deployment as the rollback left it (the release then writes its own entries).
    async with deps.units_of_work() as uow:
        course_id, _entry = await deps.releases(uow).rollback_assignment(
            principal, content_id, history_id=body.history_id, version_tag=body.version_tag
        )
    async with deps.reading() as unit:
        view = await deps.deployments(unit).of_content(principal, content_id)
    if view is None:
        raise NotFound(f"course content {content_id} has no deployment")
    async with deps.reading() as unit:
        started = await deps.releases(unit).start(principal, course_id, [content_id], True)
    async with deps.units_of_work() as uow:
        await deps.releases(uow).record_started(started)
    return RollbackAccepted(
        deployment=assignment_out(view),
        workflow_id=started.workflow_id,
        run_id=started.run_id,
        status_url=status_url(course_id, started.workflow_id),
    )
