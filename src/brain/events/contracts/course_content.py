"""Events of the course content: the content tree, the example library, assignments of example
versions to submittable content, and releases into the course's learner repository.

Payloads carry ids, paths of the tree, version tags, commit SHAs and counts; never a file's
contents. Every `course_content.*` event is ordered per course (`course_id` is the aggregate);
`example.version_created` per example.
"""

from typing import Annotated, Literal

from pydantic import Field

from brain.events.catalog import CATALOG, EventPayload
from brain.events.contracts._types import (
    CODE_PATTERN,
    AsciiText,
    Count,
    Flag,
    Text,
    Uuid,
)

SOURCE = "course_content"
SERVICE = "course_content_service"
RELEASE = "course_content_release"

PATH_PATTERN = r"^[a-z0-9_]{1,64}(?:\.[a-z0-9_]{1,64}){0,9}$"
VERSION_TAG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*$"
COMMIT_PATTERN = r"^[0-9a-f]{40}$"
WORKFLOW_ID_PATTERN = r"^[A-Za-z0-9_.:-]+$"
ERROR_CODE_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"

ContentPath = Annotated[str, AsciiText(PATH_PATTERN, 649)]
"""A node's dotted path in the content tree, e.g. `module_01.exercise`."""
KindId = Annotated[str, AsciiText(CODE_PATTERN, 32)]
VersionTag = Annotated[str, AsciiText(VERSION_TAG_PATTERN, 64)]
Identifier = Annotated[str, AsciiText(IDENTIFIER_PATTERN, 200)]
CommitSha = Annotated[str, AsciiText(COMMIT_PATTERN, 40, min_chars=40)]
WorkflowId = Annotated[str, AsciiText(WORKFLOW_ID_PATTERN, 80)]
ChangedField = Annotated[str, AsciiText(CODE_PATTERN, 32)]
ErrorCode = Annotated[str, AsciiText(ERROR_CODE_PATTERN, 64)]


class CourseContentEvent(EventPayload):
    course_id: Uuid


class CourseContentCreated(CourseContentEvent):
    content_id: Uuid
    course_id: Uuid
    kind: KindId = Field(description="The content kind's id: `unit`, `assignment`, …")
    path: ContentPath


class CourseContentUpdated(CourseContentEvent):
    content_id: Uuid
    course_id: Uuid
    changed_fields: list[ChangedField] = Field(min_length=1, max_length=8)


class CourseContentMoved(CourseContentEvent):
    content_id: Uuid
    course_id: Uuid
    path: ContentPath = Field(description="The node's path after the move.")
    nodes_moved: Annotated[int, Count(minimum=1)] = Field(
        description="The node and its descendants."
    )


class CourseContentDeleted(CourseContentEvent):
    content_id: Uuid
    course_id: Uuid
    path: ContentPath
    nodes_deleted: Annotated[int, Count(minimum=1)] = Field(
        description="The node and its descendants."
    )


class ExampleVersionCreated(EventPayload):
    example_id: Uuid
    example_version_id: Uuid
    identifier: Identifier
    version_tag: VersionTag
    version_number: Annotated[int, Count(minimum=1)]
    files_count: Annotated[int, Count(minimum=1, maximum=1000)]
    total_bytes: Annotated[int, Count(maximum=50 * 1024 * 1024)]


class CourseContentExampleAssigned(CourseContentEvent):
    content_id: Uuid
    course_id: Uuid
    deployment_id: Uuid
    example_id: Uuid
    example_version_id: Uuid
    version_tag: VersionTag
    action: Literal["assigned", "updated", "reassigned"]


class CourseContentExampleUnassigned(CourseContentEvent):
    content_id: Uuid
    course_id: Uuid
    deployment_id: Uuid
    example_version_id: Uuid = Field(description="The version that was assigned until now.")


class CourseContentReleaseRequested(CourseContentEvent):
    course_id: Uuid
    workflow_id: WorkflowId
    deployments_count: Annotated[int, Count(maximum=10_000)]
    force_redeploy: Flag = False


class CourseContentReleaseCompleted(CourseContentEvent):
    course_id: Uuid
    workflow_id: WorkflowId
    commit_sha: CommitSha | None = Field(
        default=None, description="None when no assignment could be built (nothing committed)."
    )
    deployed_count: Annotated[int, Count(maximum=10_000)]
    failed_count: Annotated[int, Count(maximum=10_000)]


class CourseContentReleaseFailed(CourseContentEvent):
    course_id: Uuid
    workflow_id: WorkflowId
    error_type: ErrorCode
    reason: Annotated[str, Text(200, 300)]


class CourseContentDeploymentCompleted(CourseContentEvent):
    content_id: Uuid
    course_id: Uuid
    deployment_id: Uuid
    example_version_id: Uuid
    commit_sha: CommitSha
    workflow_id: WorkflowId


class CourseContentDeploymentFailed(CourseContentEvent):
    content_id: Uuid
    course_id: Uuid
    deployment_id: Uuid
    workflow_id: WorkflowId
    reason: Annotated[str, Text(200, 300)]


class CourseContentDeploymentRolledBack(CourseContentEvent):
    content_id: Uuid
    course_id: Uuid
    deployment_id: Uuid
    example_version_id: Uuid = Field(description="The earlier version now assigned.")
    previous_example_version_id: Uuid
    history_id: Uuid = Field(description="The `rolled_back` history entry.")


_DECLARATIONS: list[tuple[str, type[EventPayload], str, str]] = [
    (
        "course_content.created",
        CourseContentCreated,
        SERVICE,
        "Emitted when a node (a unit, an assignment, …) has been added to a course's content tree.",
    ),
    (
        "course_content.updated",
        CourseContentUpdated,
        SERVICE,
        "Emitted when fields of a content node (title, description, limits, …) have changed.",
    ),
    (
        "course_content.moved",
        CourseContentMoved,
        SERVICE,
        "Emitted when a content node has been moved to a new path, with its subtree.",
    ),
    (
        "course_content.deleted",
        CourseContentDeleted,
        SERVICE,
        "Emitted when a content node (and its subtree, when cascaded) has been deleted.",
    ),
    (
        "example.version_created",
        ExampleVersionCreated,
        SERVICE,
        "Emitted when a new version of an example package has been uploaded and stored.",
    ),
    (
        "course_content.example_assigned",
        CourseContentExampleAssigned,
        SERVICE,
        "Emitted when an example version has been assigned to a submittable content "
        "(first assignment, a newer version, or a different example).",
    ),
    (
        "course_content.example_unassigned",
        CourseContentExampleUnassigned,
        SERVICE,
        "Emitted when the example version of a submittable content has been unassigned.",
    ),
    (
        "course_content.release.requested",
        CourseContentReleaseRequested,
        RELEASE,
        "Emitted when a release of a course's assignments into its repository has started.",
    ),
    (
        "course_content.release.completed",
        CourseContentReleaseCompleted,
        RELEASE,
        "Emitted when a release has ended with its commit (counts of deployed and failed).",
    ),
    (
        "course_content.release.failed",
        CourseContentReleaseFailed,
        RELEASE,
        "Emitted when a release has failed as a whole and committed nothing.",
    ),
    (
        "course_content.deployment.completed",
        CourseContentDeploymentCompleted,
        RELEASE,
        "Emitted when an assignment has been deployed into the course repository at a commit.",
    ),
    (
        "course_content.deployment.failed",
        CourseContentDeploymentFailed,
        RELEASE,
        "Emitted when an assignment could not be deployed by a release (the reason says why).",
    ),
    (
        "course_content.deployment.rolled_back",
        CourseContentDeploymentRolledBack,
        SERVICE,
        "Emitted when an assignment has been set back to an earlier example version.",
    ),
]
for _type, _payload, _producer, _description in _DECLARATIONS:
    CATALOG.declare(
        _type,
        _payload,
        description=_description,
        source_module=SOURCE,
        producer=_producer,
        aggregate_field="example_id" if _type.startswith("example.") else "course_id",
    )
