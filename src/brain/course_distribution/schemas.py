"""What the distribution API reads and writes: a distribution, its SEO and its CTA (README,
"Distributing courses")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    WithJsonSchema,
    computed_field,
    model_validator,
)

from brain.course_distribution.slugs import SLUG
from brain.kernel.requests import MULTILINE_TEXT, RequestModel

Language = Literal["de", "en", "fr", "es"]
VisibilityName = Literal["PRIVATE", "PUBLIC", "UNLISTED"]
CtaAction = Literal["open_course", "download_outline", "contact", "custom"]

MAX_URL = 300


def _absolute_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError("must be an absolute http(s) URL")
    return value


URL_PATTERN = "^https?://[^/?#\\s\\u0000-\\u001f\\u007f]+[^\\s\\u0000-\\u001f\\u007f]*$"
HREFLANG_PATTERN = r"^(?:[a-z]{2}(?:-[A-Za-z]{2})?|x-default)$"
MAX_HREFLANG = 20

AbsoluteUrl = Annotated[
    str, Field(max_length=MAX_URL, pattern=URL_PATTERN), AfterValidator(_absolute_url)
]
HreflangCode = Annotated[str, Field(pattern=HREFLANG_PATTERN, max_length=9)]
HreflangMap = Annotated[
    dict[HreflangCode, AbsoluteUrl],
    Field(max_length=MAX_HREFLANG),
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"pattern": HREFLANG_PATTERN, "maxLength": 9},
            "additionalProperties": {
                "type": "string",
                "maxLength": MAX_URL,
                "pattern": URL_PATTERN,
            },
            "maxProperties": MAX_HREFLANG,
            "description": "Language code (`de`, `de-AT`, `x-default`) → absolute URL of that "
            "language's page.",
        }
    ),
]
Keyword = Annotated[str, Field(min_length=1, max_length=50)]
Audience = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=24)]
Audiences = Annotated[list[Audience], Field(min_length=1, max_length=4)]
SlugText = Annotated[str, Field(min_length=1, max_length=60, pattern=SLUG.pattern)]
Title = Annotated[str, Field(min_length=3, max_length=200)]
Description = Annotated[str, Field(max_length=2000), MULTILINE_TEXT]
ChangelogMessage = Annotated[str, Field(min_length=1, max_length=200), MULTILINE_TEXT]
Version = Annotated[
    str,
    Field(
        pattern=r"^v[1-9][0-9]{0,5}$",
        max_length=7,
        description="`v1`, `v2`, …; bump-version counts on from it.",
    ),
]


class _Strict(RequestModel):
    pass


class CourseSEO(_Strict):
    meta_title: str = Field(min_length=10, max_length=60)
    meta_description: str = Field(min_length=50, max_length=160)
    keywords: list[Keyword] = Field(default_factory=list, max_length=10)
    og_image_url: AbsoluteUrl | None = None
    hreflang_alternates: HreflangMap = Field(default_factory=dict)


class CourseCTA(_Strict):
    label: str = Field(min_length=5, max_length=50)
    action: CtaAction
    url: AbsoluteUrl | None = Field(default=None, description="Required for `custom`.")

    @model_validator(mode="after")
    def _custom_needs_url(self) -> Self:
        if self.action == "custom" and not self.url:
            raise ValueError("url is required when action is custom")
        return self


class Price(_Strict):
    amount_minor: int = Field(ge=0, le=100_000_000)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class DistributionCreate(_Strict):
    course_id: uuid.UUID
    title: Title
    description: Description = ""
    language: Language
    target_group: Audiences
    slug: SlugText | None = Field(default=None, description="Made from the title when absent.")
    seo: CourseSEO | None = None
    cta: CourseCTA | None = None
    price: Price | None = None
    version: Version = "v1"


class DistributionUpdate(_Strict):
    title: Title | None = None
    description: Description | None = None
    language: Language | None = None
    target_group: Audiences | None = None
    slug: SlugText | None = None
    seo: CourseSEO | None = None
    cta: CourseCTA | None = None
    price: Price | None = None


class PublishRequest(_Strict):
    visibility: Literal["PUBLIC", "UNLISTED"] = "PUBLIC"


class MicroNicheCreate(_Strict):
    target_group: Audiences
    title: Title | None = None
    description: Description | None = None
    slug: SlugText | None = None
    seo: CourseSEO | None = None
    cta: CourseCTA | None = None


class BumpVersion(_Strict):
    message: ChangelogMessage


class ChangelogOut(BaseModel):
    from_version: str
    to_version: str
    message: str
    created_at: datetime


class DistributionOut(BaseModel):
    """A distribution as its tenant's operators see it."""

    id: uuid.UUID
    course_id: uuid.UUID
    slug: str
    title: str
    description: str
    language: str
    target_group: list[str]
    version: str
    derived_from: uuid.UUID | None
    seo: CourseSEO | None
    cta: CourseCTA | None
    price: Price | None
    visibility: VisibilityName
    published_at: datetime | None
    staging_url: str | None
    view_count: int
    enrollment_click_count: int
    created_at: datetime
    updated_at: datetime
    changelog: list[ChangelogOut] = Field(default_factory=list)

    @computed_field(description="The same as `id` (the name the source documents use).")
    def distribution_id(self) -> uuid.UUID:
        return self.id


class DistributionList(BaseModel):
    items: list[DistributionOut]
    total: int


class PublicDistributionOut(BaseModel):
    """A distribution as visitors see it: no tenant, no counters, no staging address."""

    id: uuid.UUID
    slug: str
    title: str
    description: str
    language: str
    target_group: list[str]
    version: str
    seo: CourseSEO | None
    cta: CourseCTA | None
    price: Price | None
    visibility: VisibilityName
    published_at: datetime | None
    url: str

    @computed_field(description="The same as `id` (the name the source documents use).")
    def distribution_id(self) -> uuid.UUID:
        return self.id


class CatalogPage(BaseModel):
    items: list[PublicDistributionOut]
    total: int
    page: int
    page_size: int


class OutlineLessonOut(BaseModel):
    position: int
    title: str


class OutlineModuleOut(BaseModel):
    position: int
    title: str
    lessons: list[OutlineLessonOut]


class OutlineOut(BaseModel):
    slug: str
    title: str
    modules: list[OutlineModuleOut]


class TrackOut(BaseModel):
    distribution_id: uuid.UUID
    count: int
