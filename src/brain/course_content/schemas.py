"""Request and response models of the course content API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal, Self

from fastapi import UploadFile
from pydantic import BaseModel, Field, StringConstraints, model_validator

from brain.course_content.tree import MAX_PATH_CHARS
from brain.kernel.requests import MULTILINE_TEXT, RequestModel

PathText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PATH_CHARS + 10)]
"""A dotted path; its rules (labels, depth) are checked by `tree.check_path` with a precise
reason."""
Identifier = Annotated[
    str,
    StringConstraints(
        min_length=1,
        max_length=200,
        pattern=r"^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*$",
    ),
]
VersionTag = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]
Title = Annotated[str, StringConstraints(min_length=1, max_length=255, strip_whitespace=True)]
Description = Annotated[str, StringConstraints(max_length=10_000), MULTILINE_TEXT]
Message = Annotated[str, StringConstraints(max_length=500), MULTILINE_TEXT]
DeploymentStatusName = Literal["pending", "deploying", "deployed", "failed", "unassigned"]


class Strict(RequestModel):
    """A request body: unknown fields refused, text and numbers checked (`RequestModel`)."""


class VersionUpload(Strict):
    """The multipart form of a version upload."""

    file: UploadFile = Field(description="The package as a zip, at most 10 MiB.")
    version_tag: VersionTag | None = None


class KindOut(BaseModel):
    id: str
    title: str
    has_ascendants: bool
    has_descendants: bool
    submittable: bool


class ContentCreate(Strict):
    course_id: uuid.UUID
    path: PathText
    kind: Annotated[str, StringConstraints(min_length=1, max_length=32)] = Field(
        description="The kind's id: `unit`, `assignment`, …"
    )
    title: Title
    description: Annotated[Description | None, MULTILINE_TEXT] = None
    position: Annotated[int, Field(ge=0, le=100_000)] = 0
    max_submissions: Annotated[int, Field(ge=1, le=10_000)] | None = None
    max_group_size: Annotated[int, Field(ge=1, le=100)] | None = None


class ContentUpdate(Strict):
    path: PathText | None = Field(default=None, description="A new path moves the subtree.")
    title: Title | None = None
    description: Annotated[Description | None, MULTILINE_TEXT] = None
    position: Annotated[int, Field(ge=0, le=100_000)] | None = None
    max_submissions: Annotated[int, Field(ge=1, le=10_000)] | None = None
    max_group_size: Annotated[int, Field(ge=1, le=100)] | None = None

    never_null = ("path", "title", "position")
    schema_rules = {"minProperties": 1}

    @model_validator(mode="after")
    def _something_changes(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("name at least one field to change")
        for name in ("path", "title", "position"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class ContentOut(BaseModel):
    id: uuid.UUID
    course_id: uuid.UUID
    path: str
    parent_path: str | None
    kind: str
    title: str
    description: str | None
    position: int
    max_submissions: int | None
    max_group_size: int | None
    submittable: bool
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None
    example_id: uuid.UUID | None = Field(
        default=None,
        deprecated=True,
        description="Deprecated: read `GET /api/course-contents/{id}/deployment`.",
    )
    example_version_id: uuid.UUID | None = Field(
        default=None,
        deprecated=True,
        description="Deprecated: read `GET /api/course-contents/{id}/deployment`.",
    )
    deployment_status: DeploymentStatusName | None = Field(
        default=None,
        deprecated=True,
        description="Deprecated: read `GET /api/course-contents/{id}/deployment`.",
    )
    deployed_at: datetime | None = Field(
        default=None,
        deprecated=True,
        description="Deprecated: read `GET /api/course-contents/{id}/deployment`.",
    )


class ContentList(BaseModel):
    items: list[ContentOut]


class AssignExample(Strict):
    """The current body: `{example_version_id, deployment_message?, force?}`. The deprecated body
    `{example_id, example_version}` (a version tag) is still accepted."""

    example_version_id: uuid.UUID | None = None
    deployment_message: Annotated[Message | None, MULTILINE_TEXT] = None
    force: bool = Field(
        default=False,
        description="Needed to reassign a different example to a deployed assignment.",
    )
    # Marked deprecated in the schema only: the service still reads them, without warnings.
    example_id: uuid.UUID | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description="Deprecated: send `example_version_id`.",
    )
    example_version: VersionTag | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description="Deprecated: a version tag of `example_id`; send `example_version_id`.",
    )

    never_null = ("example_version_id", "example_id", "example_version")
    schema_rules = {
        "oneOf": [
            {
                "required": ["example_version_id"],
                "not": {"anyOf": [{"required": ["example_id"]}, {"required": ["example_version"]}]},
            },
            {
                "required": ["example_id", "example_version"],
                "not": {"required": ["example_version_id"]},
            },
        ]
    }

    @model_validator(mode="after")
    def _one_shape(self) -> Self:
        old = self.example_id is not None or self.example_version is not None
        if self.example_version_id is not None and old:
            raise ValueError(
                "send either example_version_id or the deprecated example_id/example_version"
            )
        if self.example_version_id is None and not old:
            raise ValueError("example_version_id is required")
        if old and (self.example_id is None or self.example_version is None):
            raise ValueError("the deprecated body needs both example_id and example_version")
        return self

    @property
    def deprecated_shape(self) -> bool:
        return self.example_version_id is None


class HistoryOut(BaseModel):
    id: uuid.UUID
    action: str
    example_version_id: uuid.UUID | None
    previous_example_version_id: uuid.UUID | None
    version_tag: str | None
    workflow_id: str | None
    commit_sha: str | None
    message: str | None
    created_by: str
    created_at: datetime


class DeploymentOut(BaseModel):
    id: uuid.UUID
    course_content_id: uuid.UUID
    example_version_id: uuid.UUID | None
    deployment_status: DeploymentStatusName
    deployment_message: str | None
    assigned_at: datetime
    deployed_at: datetime | None
    last_attempt_at: datetime | None
    deployment_path: str | None
    version_identifier: str | None = Field(description="The commit SHA that deployed it.")
    metadata: dict[str, Any]
    workflow_id: str | None


class DeploymentWithHistory(BaseModel):
    deployment: DeploymentOut
    example_id: uuid.UUID | None
    example_identifier: str | None
    version_tag: str | None
    has_newer_version: bool
    history: list[HistoryOut] = Field(description="Newest first.")


class DeploymentSummary(BaseModel):
    course_id: uuid.UUID
    submittable_contents: int
    assigned: int
    unassigned: int
    by_status: dict[str, int]
    with_newer_version: int
    last_deployed_at: datetime | None


class ExampleCreate(Strict):
    identifier: Identifier
    title: Title
    description: Annotated[Description | None, MULTILINE_TEXT] = None


class ExampleOut(BaseModel):
    id: uuid.UUID
    identifier: str
    title: str
    description: str | None
    latest_version_tag: str | None
    versions_count: int
    created_at: datetime


class ExampleList(BaseModel):
    items: list[ExampleOut]


class FileOut(BaseModel):
    path: str
    size: int
    sha256: str


class VersionOut(BaseModel):
    id: uuid.UUID
    example_id: uuid.UUID
    version_tag: str
    version_number: int
    files_count: int
    total_bytes: int
    created_at: datetime
    created_by: str


class VersionDetail(VersionOut):
    meta: dict[str, Any]
    files: list[FileOut]


class VersionList(BaseModel):
    items: list[VersionOut]


class ReleaseRequest(Strict):
    content_ids: Annotated[list[uuid.UUID], Field(max_length=1000)] | None = None
    all_pending: bool = False
    force_redeploy: bool = False

    @model_validator(mode="after")
    def _one_selection(self) -> Self:
        if self.content_ids is not None and self.all_pending:
            raise ValueError("send content_ids or all_pending, not both")
        if self.content_ids is not None and not self.content_ids:
            raise ValueError("content_ids needs at least one id")
        return self


class ReleaseAccepted(BaseModel):
    workflow_id: str
    run_id: str
    status_url: str
    deployments: int


class ReleaseItemOut(BaseModel):
    content_id: uuid.UUID
    path: str
    deployment_id: uuid.UUID
    example_version_id: uuid.UUID
    version_tag: str
    outcome: Literal["pending", "deployed", "failed"]
    message: str | None


class ReleaseOut(BaseModel):
    workflow_id: str
    run_id: str
    status: Literal["requested", "running", "completed", "failed"]
    commit_sha: str | None
    deployed_count: int
    failed_count: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    timings: dict[str, float]
    items: list[ReleaseItemOut]


class ReleaseList(BaseModel):
    items: list[ReleaseOut]


class RepositoryOut(BaseModel):
    clone_url: str = Field(description="A path `git clone` takes on this machine, or the remote.")
    default_branch: str
    head: str | None = Field(description="The commit `main` points at; null before a release.")


class RepositoryFiles(BaseModel):
    ref: str
    paths: list[str]


class RollbackRequest(Strict):
    history_id: uuid.UUID | None = None
    version_tag: VersionTag | None = None

    never_null = ("history_id", "version_tag")
    schema_rules = {"oneOf": [{"required": ["history_id"]}, {"required": ["version_tag"]}]}

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.history_id is None) == (self.version_tag is None):
            raise ValueError("send either history_id or version_tag")
        return self


class RollbackAccepted(BaseModel):
    deployment: DeploymentWithHistory
    workflow_id: str
    run_id: str
    status_url: str
