"""Events of the course distribution: lifecycle, publishing, aggregated tracking,
micro-niche variants and version bumps.

Tracking events carry counts over a time window and nothing about a visitor: no ip address, user
agent, referrer, session or cookie.
"""

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from brain.events.catalog import CATALOG, EventPayload
from brain.events.contracts._types import (
    Audiences,
    Count,
    DistributionVersion,
    FieldPath,
    Language,
    Slug,
    Text,
    UtcDatetime,
    Uuid,
    Visibility,
    version_number,
)

SOURCE = "course_distribution"
SERVICE = "distribution_service"
TRACKING = "distribution_tracking"


class _Window(EventPayload):
    window_start: UtcDatetime
    window_end: UtcDatetime

    @model_validator(mode="after")
    def _window_is_ordered(self) -> Self:
        if self.window_end <= self.window_start:
            raise ValueError("window_end must be after window_start")
        return self


class DistributionEvent(EventPayload):
    """Base of the payloads of one distribution (`distribution_id` is their aggregate)."""

    distribution_id: Uuid


class DistributionCreated(DistributionEvent):
    distribution_id: Uuid
    course_id: Uuid
    slug: Slug
    language: Language
    visibility: Visibility
    version: DistributionVersion = Field(description="`v1`, `v2`, …")
    derived_from: Uuid | None = Field(
        default=None, description="The parent distribution of a micro-niche variant."
    )


class DistributionUpdated(DistributionEvent):
    distribution_id: Uuid
    slug: Slug = Field(description="The slug after the update.")
    changed_fields: list[FieldPath] = Field(
        min_length=1, max_length=16, description="Names of the changed fields, e.g. `seo.keywords`."
    )


class DistributionDeleted(DistributionEvent):
    distribution_id: Uuid
    course_id: Uuid
    slug: Slug


class DistributionPublished(DistributionEvent):
    distribution_id: Uuid
    course_id: Uuid
    slug: Slug
    visibility: Literal["PUBLIC", "UNLISTED"]
    published_at: UtcDatetime


class DistributionUnpublished(DistributionEvent):
    distribution_id: Uuid
    course_id: Uuid
    slug: Slug
    visibility: Literal["PRIVATE"]


class DistributionViewed(_Window):
    distribution_id: Uuid
    views: Annotated[int, Count(minimum=1)] = Field(
        description="Page views in the window (aggregated)."
    )


class DistributionEnrollmentClicked(_Window):
    distribution_id: Uuid
    course_id: Uuid
    clicks: Annotated[int, Count(minimum=1)] = Field(
        description="Enrolment clicks in the window (aggregated)."
    )


class DistributionMicroNicheCreated(DistributionEvent):
    distribution_id: Uuid = Field(description="The new variant.")
    parent_distribution_id: Uuid
    course_id: Uuid
    target_group: Audiences

    @model_validator(mode="after")
    def _not_its_own_parent(self) -> Self:
        if self.distribution_id == self.parent_distribution_id:
            raise ValueError("a variant cannot be its own parent")
        return self


class DistributionVersionBumped(DistributionEvent):
    distribution_id: Uuid
    from_version: DistributionVersion
    to_version: DistributionVersion
    message: Annotated[str, Text(200, 400)] = Field(
        description="Changelog entry of the new version."
    )

    @model_validator(mode="after")
    def _goes_up(self) -> Self:
        if version_number(self.to_version) <= version_number(self.from_version):
            raise ValueError(f"to_version {self.to_version} is not after {self.from_version}")
        return self


_DECLARATIONS: list[tuple[str, type[EventPayload], str, str]] = [
    (
        "distribution.created",
        DistributionCreated,
        SERVICE,
        "Emitted when a distribution of a course has been created (private at first).",
    ),
    (
        "distribution.updated",
        DistributionUpdated,
        SERVICE,
        "Emitted when metadata of a distribution (texts, SEO, CTA, audiences) has changed.",
    ),
    (
        "distribution.deleted",
        DistributionDeleted,
        SERVICE,
        "Emitted when a distribution has been removed from the catalog.",
    ),
    (
        "distribution.published",
        DistributionPublished,
        SERVICE,
        "Emitted when a distribution has become visible to visitors (public or unlisted).",
    ),
    (
        "distribution.unpublished",
        DistributionUnpublished,
        SERVICE,
        "Emitted when a distribution has been made private again.",
    ),
    (
        "distribution.viewed",
        DistributionViewed,
        TRACKING,
        "Emitted when course page views have been counted over a time window (no visitor data).",
    ),
    (
        "distribution.enrollment_clicked",
        DistributionEnrollmentClicked,
        TRACKING,
        "Emitted when enrolment clicks have been counted over a time window (no visitor data).",
    ),
    (
        "distribution.micro_niche_created",
        DistributionMicroNicheCreated,
        SERVICE,
        "Emitted when a micro-niche variant has been derived from a distribution.",
    ),
    (
        "distribution.version_bumped",
        DistributionVersionBumped,
        SERVICE,
        "Emitted when the version of a distribution has been incremented with a changelog entry.",
    ),
]
for _type, _payload, _producer, _description in _DECLARATIONS:
    CATALOG.declare(
        _type,
        _payload,
        description=_description,
        source_module=SOURCE,
        producer=_producer,
        aggregate_field="distribution_id",
    )
