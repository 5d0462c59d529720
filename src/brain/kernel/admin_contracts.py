"""Operator contracts: what the dashboard may ask of the business modules, and nothing more.

Each protocol is implemented by the module that owns the data, in its `admin.py`, and declared in
its `module.py` (`exports={CourseAdmin: ...}`, made from its built dependencies); the dashboard
only `needs` (or `uses`) them and never imports a module. Every method takes the acting
`Principal`: the implementation scopes every query to its tenant (another tenant's object is
`NotFound`) and checks its role with `ensure_role`, the same rule the module's API applies, so a
forged form is refused by the module itself. Bad input comes back as `ValidationFailed` with
`errors=[FieldError(field, reason)]`, `field` being the form field's name (the API's field path
without `body.`: `title`, `target_audiences.0`, `seo.meta_title`) and `reason` the API's own
message. Views are plain frozen dataclasses.

Implemented by: `CourseAdmin` and `AccessGrantAdmin` (course_factory), `DistributionAdmin`
(course_distribution), `ContentAdmin` (course_content), `PaymentAdmin` (payments), `WebhookAdmin`
and `AnalyticsAdmin` (integrations). The dashboard needs the first two and shows the pages of the
others only when a module provides them (a platform built without that module hides them).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from brain.kernel.auth.service import Principal
from brain.kernel.errors import FieldError, ValidationFailed

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list: `items` from `offset`, `total` in all."""

    items: tuple[T, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class TextLimit:
    """The length a text field must have (the API's own limit, for live character counts)."""

    min_length: int
    max_length: int

    @classmethod
    def of(cls, model: type[BaseModel], name: str) -> TextLimit:
        """The limits of a model's field, read from the model that enforces them."""
        lower, upper = 0, 0
        for rule in model.model_fields[name].metadata:
            lower = getattr(rule, "min_length", None) or lower
            upper = getattr(rule, "max_length", None) or upper
        return cls(lower, upper)


def validation_failed(exc: ValidationError, prefix: str = "") -> ValidationFailed:
    """A request model's errors as the contract reports them: the API's messages, each named by
    its form field (`seo.meta_title`, `target_audiences.0`), `prefix` put in front."""
    errors = [
        FieldError(field=prefix + ".".join(str(part) for part in err["loc"]), reason=err["msg"])
        for err in exc.errors()
    ]
    summary = "; ".join(f"{e.field}: {e.reason}" for e in errors[:5])
    return ValidationFailed(summary, errors=errors)


def without_body_prefix(exc: ValidationFailed) -> ValidationFailed:
    """A service's `ValidationFailed` named as the API names it (`body.template_id`) renamed
    by form field (`template_id`), in its errors and in its summary."""
    errors = [
        FieldError(field=e.field.removeprefix("body."), reason=e.reason) for e in exc.errors or []
    ]
    detail = exc.detail
    for before in exc.errors or []:
        if before.field.startswith("body."):
            detail = detail.replace(f"{before.field}:", f"{before.field.removeprefix('body.')}:")
    return ValidationFailed(detail, errors=errors or None, extra=exc.extra)


# --- courses (course_factory) -------------------------------------------------------------------


@dataclass(frozen=True)
class GenerationOptions:
    """The choices of the "new course" form."""

    languages: tuple[str, ...]
    audiences: tuple[str, ...]
    templates: tuple[str, ...]
    max_audiences: int
    max_full_lessons: int
    limits: Mapping[str, TextLimit]
    """By form field: `title`, `description`."""


@dataclass(frozen=True)
class GenerationRequest:
    """A generation as the operator filled the form in. Values are passed as typed (a number may
    still be text); the module validates them exactly as its API validates the request body."""

    title: str
    language: str
    target_audiences: tuple[str, ...]
    description: str = ""
    template_id: str = "custom"
    full_lessons_count: int | str = 3
    generate_quiz: bool = True
    generate_landing_page: bool = True
    deploy_to_staging: bool = True
    dry_run: bool = False


@dataclass(frozen=True)
class ProgressView:
    status: str
    """`queued`, `running`, `completed`, `failed` or `cancelled`."""
    lessons_done: int
    lessons_total: int
    error: str | None
    finished: bool

    @property
    def percent(self) -> int:
        if self.status == "completed":
            return 100
        if not self.lessons_total:
            return 0
        return min(99, round(100 * self.lessons_done / self.lessons_total))


@dataclass(frozen=True)
class CourseSummary:
    course_id: uuid.UUID
    title: str
    language: str
    generation_status: str
    workflow_state: str
    progress: ProgressView
    created_at: datetime


@dataclass(frozen=True)
class CourseCounts:
    """The tenant's courses by generation status and by workflow state."""

    total: int
    by_generation_status: Mapping[str, int]
    by_workflow_state: Mapping[str, int]
    pending_approvals: int


@dataclass(frozen=True)
class TransitionOption:
    to_state: str
    needs_approval: bool


@dataclass(frozen=True)
class ApprovalView:
    approval_id: uuid.UUID
    course_id: uuid.UUID
    course_title: str
    from_state: str
    to_state: str
    requested_by: str
    comment: str
    status: str
    """`pending`, `approved` or `rejected`."""
    decided_by: str | None
    decision_comment: str | None
    created_at: datetime
    decided_at: datetime | None
    requested_by_caller: bool
    """Whether the principal who asked made the request (and so may not decide on it)."""


@dataclass(frozen=True)
class CourseDetail:
    course_id: uuid.UUID
    title: str
    description: str
    language: str
    target_audiences: tuple[str, ...]
    template_id: str
    dry_run: bool
    full_lessons_count: int
    generate_quiz: bool
    generate_landing_page: bool
    deploy_to_staging: bool
    generation_status: str
    workflow_state: str
    progress: ProgressView
    generation_attempt: int
    error: str | None
    staging_url: str | None
    evidence_pack_available: bool
    generator: str | None
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    transitions: tuple[TransitionOption, ...]
    """The moves the workflow allows from the current state (whether the caller may make them
    is the caller's role's business)."""
    pending_approval: ApprovalView | None
    editable: bool
    """False while a generation runs: lessons and questions are not edited then."""
    retryable: bool
    cancellable: bool


@dataclass(frozen=True)
class LessonSummaryView:
    lesson_id: uuid.UUID
    position: int
    module_position: int
    title: str
    summary: str
    placeholder: bool
    revision: int


@dataclass(frozen=True)
class ModuleView:
    module_id: uuid.UUID
    position: int
    title: str
    summary: str
    lessons: tuple[LessonSummaryView, ...]


@dataclass(frozen=True)
class OutlineView:
    course_id: uuid.UUID
    modules: tuple[ModuleView, ...]

    @property
    def lesson_count(self) -> int:
        return sum(len(module.lessons) for module in self.modules)


@dataclass(frozen=True)
class RevisionView:
    revision: int
    title: str
    source: str
    """`generated`, `regenerated` or `edited`."""
    author: str
    created_at: datetime


@dataclass(frozen=True)
class LessonView:
    course_id: uuid.UUID
    lesson: LessonSummaryView
    markdown: str | None
    revisions: tuple[RevisionView, ...]
    limits: Mapping[str, TextLimit]
    """By form field: `title`, `markdown`."""


@dataclass(frozen=True)
class QuestionView:
    question_id: uuid.UUID
    position: int
    question: str
    options: tuple[str, ...]
    correct_index: int
    explanation: str
    revision: int


@dataclass(frozen=True)
class QuizView:
    quiz_id: uuid.UUID
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True)
class LandingSectionView:
    kind: str
    heading: str
    body: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class EvidencePack:
    path: Path
    filename: str


@dataclass(frozen=True)
class TransitionOutcome:
    workflow_state: str
    requires_approval: bool
    approval_id: uuid.UUID | None


class CourseAdmin(Protocol):
    """Implemented by course_factory: generating, reading, fixing and moving courses."""

    async def options(self) -> GenerationOptions: ...

    async def counts(self, principal: Principal) -> CourseCounts: ...

    async def list(
        self,
        principal: Principal,
        *,
        workflow_state: str | None = None,
        generation_status: str | None = None,
        offset: int = 0,
        limit: int = 25,
    ) -> Page[CourseSummary]:
        """Newest first; an unknown state or status is `ValidationFailed` naming it."""
        ...

    async def get(self, principal: Principal, course_id: uuid.UUID) -> CourseDetail: ...

    async def progress(self, principal: Principal, course_id: uuid.UUID) -> ProgressView: ...

    async def outline(self, principal: Principal, course_id: uuid.UUID) -> OutlineView | None:
        """None while the course has no outline yet."""
        ...

    async def lesson(
        self, principal: Principal, course_id: uuid.UUID, lesson_id: uuid.UUID
    ) -> LessonView: ...

    async def edit_lesson(
        self,
        principal: Principal,
        course_id: uuid.UUID,
        lesson_id: uuid.UUID,
        *,
        title: str | None,
        markdown: str | None,
    ) -> LessonView:
        """A new revision (editor); the old text stays in the history."""
        ...

    async def regenerate_lesson(
        self, principal: Principal, course_id: uuid.UUID, lesson_id: uuid.UUID
    ) -> LessonView: ...

    async def quiz(self, principal: Principal, course_id: uuid.UUID) -> QuizView | None: ...

    async def regenerate_question(
        self, principal: Principal, course_id: uuid.UUID, question_id: uuid.UUID
    ) -> QuestionView: ...

    async def landing_page(
        self, principal: Principal, course_id: uuid.UUID
    ) -> tuple[LandingSectionView, ...] | None: ...

    async def evidence_pack(self, principal: Principal, course_id: uuid.UUID) -> EvidencePack:
        """`NotFound` until the pack exists."""
        ...

    async def request_generation(
        self, principal: Principal, request: GenerationRequest
    ) -> uuid.UUID:
        """The new course's id (editor); `ValidationFailed` with the API's messages."""
        ...

    async def retry(self, principal: Principal, course_id: uuid.UUID) -> None: ...

    async def cancel(self, principal: Principal, course_id: uuid.UUID) -> None: ...

    async def transition(
        self, principal: Principal, course_id: uuid.UUID, to_state: str, comment: str
    ) -> TransitionOutcome:
        """Move the course (editor), or open an approval request when the move needs one;
        an illegal move is `Conflict`."""
        ...

    async def approvals(
        self,
        principal: Principal,
        *,
        status: str | None = "pending",
        course_id: uuid.UUID | None = None,
        offset: int = 0,
        limit: int = 25,
    ) -> Page[ApprovalView]:
        """Oldest first."""
        ...

    async def decide(
        self, principal: Principal, approval_id: uuid.UUID, *, approve: bool, comment: str
    ) -> ApprovalView:
        """Approve or reject (approver); never on one's own request (`Forbidden`)."""
        ...


# --- distributions (course_distribution) ------------------------------------------------------


@dataclass(frozen=True)
class DistributionOptions:
    visibilities: tuple[str, ...]
    publish_visibilities: tuple[str, ...]
    cta_actions: tuple[str, ...]
    limits: Mapping[str, TextLimit]
    """By form field: `seo.meta_title`, `seo.meta_description`, `cta.label`, `message`."""
    max_keywords: int
    max_target_groups: int


@dataclass(frozen=True)
class DistributionSummary:
    distribution_id: uuid.UUID
    course_id: uuid.UUID
    slug: str
    title: str
    language: str
    visibility: str
    version: str
    derived_from: uuid.UUID | None
    target_group: tuple[str, ...]
    view_count: int
    enrollment_click_count: int
    price_amount_minor: int | None
    price_currency: str | None
    updated_at: datetime


@dataclass(frozen=True)
class SeoView:
    meta_title: str
    meta_description: str
    keywords: tuple[str, ...]
    og_image_url: str | None
    hreflang_alternates: Mapping[str, str]


@dataclass(frozen=True)
class CtaView:
    label: str
    action: str
    url: str | None


@dataclass(frozen=True)
class ChangelogView:
    from_version: str
    to_version: str
    message: str
    created_at: datetime


@dataclass(frozen=True)
class DistributionDetail:
    summary: DistributionSummary
    description: str
    seo: SeoView | None
    cta: CtaView | None
    published_at: datetime | None
    staging_url: str | None
    public_url: str
    """The absolute address of its public page (it answers once the distribution is visible)."""
    changelog: tuple[ChangelogView, ...]
    missing_for_publishing: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class SeoChanges:
    meta_title: str
    meta_description: str
    keywords: tuple[str, ...] = ()
    og_image_url: str | None = None
    hreflang_alternates: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CtaChanges:
    label: str
    action: str
    url: str | None = None


@dataclass(frozen=True)
class PriceChanges:
    amount_minor: int | str
    currency: str


@dataclass(frozen=True)
class DistributionChanges:
    """What the operator changed; None leaves that part as it is."""

    seo: SeoChanges | None = None
    cta: CtaChanges | None = None
    price: PriceChanges | None = None


@dataclass(frozen=True)
class DistributionTotals:
    total: int
    by_visibility: Mapping[str, int]
    views: int
    clicks: int


class DistributionAdmin(Protocol):
    """Implemented by course_distribution: tuning, publishing and versioning distributions."""

    async def options(self) -> DistributionOptions: ...

    async def totals(self, principal: Principal) -> DistributionTotals: ...

    async def list(
        self,
        principal: Principal,
        *,
        course_id: uuid.UUID | None = None,
        visibility: str | None = None,
        offset: int = 0,
        limit: int = 25,
    ) -> Page[DistributionSummary]: ...

    async def get(self, principal: Principal, distribution_id: uuid.UUID) -> DistributionDetail: ...

    async def update(
        self, principal: Principal, distribution_id: uuid.UUID, changes: DistributionChanges
    ) -> DistributionDetail: ...

    async def publish(
        self, principal: Principal, distribution_id: uuid.UUID, visibility: str
    ) -> DistributionDetail:
        """`ValidationFailed` naming what is missing (`seo.meta_title`, …)."""
        ...

    async def unpublish(
        self, principal: Principal, distribution_id: uuid.UUID
    ) -> DistributionDetail: ...

    async def micro_niches(
        self, principal: Principal, distribution_id: uuid.UUID
    ) -> tuple[DistributionSummary, ...]: ...

    async def create_micro_niche(
        self,
        principal: Principal,
        distribution_id: uuid.UUID,
        *,
        target_group: tuple[str, ...],
        title: str | None = None,
    ) -> DistributionSummary: ...

    async def bump_version(
        self, principal: Principal, distribution_id: uuid.UUID, message: str
    ) -> DistributionDetail: ...


# --- content and releases (course_content) ----------------------------------------------------


@dataclass(frozen=True)
class DeploymentView:
    deployment_id: uuid.UUID
    content_id: uuid.UUID
    example_version_id: uuid.UUID | None
    example_identifier: str | None
    version_tag: str | None
    status: str
    """`pending`, `deploying`, `deployed`, `failed` or `unassigned`."""
    message: str | None
    has_newer_version: bool
    deployment_path: str | None
    version_identifier: str | None
    """The commit SHA it was released at."""
    deployed_at: datetime | None
    workflow_id: str | None


@dataclass(frozen=True)
class DeploymentHistoryView:
    history_id: uuid.UUID
    action: str
    version_tag: str | None
    previous_version_tag: str | None
    workflow_id: str | None
    commit_sha: str | None
    message: str | None
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class ContentNodeView:
    content_id: uuid.UUID
    course_id: uuid.UUID
    path: str
    depth: int
    kind: str
    title: str
    submittable: bool
    deployment: DeploymentView | None


@dataclass(frozen=True)
class ExampleVersionView:
    example_version_id: uuid.UUID
    example_id: uuid.UUID
    identifier: str
    title: str
    version_tag: str
    version_number: int
    created_at: datetime


@dataclass(frozen=True)
class ReleaseOutcomeView:
    content_id: uuid.UUID
    path: str
    status: str
    message: str | None


@dataclass(frozen=True)
class ReleaseView:
    workflow_id: str
    """`release-<course_id>`: the same for every release of a course (one runs at a time)."""
    run_id: str
    """The run's own id: what names one release among the course's."""
    course_id: uuid.UUID
    status: str
    """`requested`, `running`, `completed` or `failed`."""
    commit_sha: str | None
    deployed: int
    failed: int
    started_at: datetime
    finished_at: datetime | None
    outcomes: tuple[ReleaseOutcomeView, ...]
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("completed", "failed")


@dataclass(frozen=True)
class RepositoryView:
    clone_url: str
    default_branch: str
    head: str | None
    files: tuple[str, ...]


@dataclass(frozen=True)
class ContentSummary:
    """For the overview: what needs an operator's eye."""

    failed_releases: int
    failed_deployments: int
    pending_deployments: int


class ContentAdmin(Protocol):
    """Implemented by course_content: the content tree, examples, deployments, releases.
    Editors assign, release and roll back; every role reads."""

    async def summary(self, principal: Principal) -> ContentSummary: ...

    async def tree(
        self, principal: Principal, course_id: uuid.UUID
    ) -> tuple[ContentNodeView, ...]: ...

    async def example_versions(self, principal: Principal) -> tuple[ExampleVersionView, ...]: ...

    async def assign_example(
        self,
        principal: Principal,
        content_id: uuid.UUID,
        example_version_id: uuid.UUID,
        *,
        force: bool = False,
    ) -> DeploymentView: ...

    async def history(
        self, principal: Principal, content_id: uuid.UUID
    ) -> tuple[DeploymentHistoryView, ...]:
        """Newest first."""
        ...

    async def rollback(
        self, principal: Principal, content_id: uuid.UUID, history_id: uuid.UUID
    ) -> ReleaseView:
        """Assign the entry's version again (history `rolled_back`) and release it: the
        release that started."""
        ...

    async def start_release(
        self,
        principal: Principal,
        course_id: uuid.UUID,
        *,
        content_ids: tuple[uuid.UUID, ...] = (),
        all_pending: bool = False,
        force_redeploy: bool = False,
    ) -> ReleaseView:
        """`Conflict` while a release of the course runs."""
        ...

    async def releases(self, principal: Principal, course_id: uuid.UUID) -> tuple[ReleaseView, ...]:
        """Newest first."""
        ...

    async def release(self, principal: Principal, course_id: uuid.UUID, key: str) -> ReleaseView:
        """By its run id, or by the workflow id (then the course's latest)."""
        ...

    async def repository(
        self, principal: Principal, course_id: uuid.UUID, ref: str | None = None
    ) -> RepositoryView:
        """Where learners clone it and its files at `ref` (default: the branch's HEAD); no
        files before the first release."""
        ...


# --- payments (payments) and access grants (course_factory) ----------------------------------


@dataclass(frozen=True)
class PaymentView:
    payment_id: uuid.UUID
    course_id: uuid.UUID
    distribution_id: uuid.UUID
    status: str
    """`pending`, `paid`, `partially_refunded`, `refunded`, `disputed`, `failed`, `expired` or
    `flagged`."""
    amount_minor: int
    currency: str
    refunded_minor: int
    buyer_id: str
    """An opaque id: the buyer's e-mail address never leaves the payments module, whatever the
    operator's role."""
    created_at: datetime
    updated_at: datetime
    paid_at: datetime | None = None

    @property
    def refundable(self) -> bool:
        return self.status in ("paid", "partially_refunded", "flagged")

    @property
    def remaining_minor(self) -> int:
        return self.amount_minor - self.refunded_minor


@dataclass(frozen=True)
class PaymentEventView:
    provider_event_id: str
    type: str
    received_at: datetime
    outcome: str = ""
    """`applied`, `ignored`, `deferred` or `unmatched`."""


@dataclass(frozen=True)
class PaymentDetail:
    payment: PaymentView
    events: tuple[PaymentEventView, ...]


@dataclass(frozen=True)
class PaymentTotals:
    """The payments paid since a moment (the overview's "today")."""

    since: datetime
    paid: int
    refunded: int
    """Of those, how many were refunded since, in full or in part."""
    amounts_minor: Mapping[str, int]
    """Paid amounts by currency."""


class PaymentAdmin(Protocol):
    """Implemented by payments: the tenant's payments and refunds."""

    async def statuses(self) -> tuple[str, ...]: ...

    async def totals(self, principal: Principal, since: datetime) -> PaymentTotals: ...

    async def list(
        self,
        principal: Principal,
        *,
        course_id: uuid.UUID | None = None,
        status: str | None = None,
        offset: int = 0,
        limit: int = 25,
    ) -> Page[PaymentView]:
        """Newest first; an unknown status is `ValidationFailed` naming `status`."""
        ...

    async def get(self, principal: Principal, payment_id: uuid.UUID) -> PaymentDetail: ...

    async def refund(
        self, principal: Principal, payment_id: uuid.UUID, amount_minor: int | str | None = None
    ) -> PaymentView:
        """Ask the provider to refund (editor), all that is left when `amount_minor` is None;
        the provider's webhook then changes the payment. `Conflict` for a payment that cannot
        be refunded, `ValidationFailed` naming `amount_minor`, a 502 `BrainError` when the
        provider refuses."""
        ...


@dataclass(frozen=True)
class AccessGrantView:
    grant_id: uuid.UUID
    buyer_id: str
    """The payments module's opaque buyer id (no personal data)."""
    payment_id: uuid.UUID | None
    granted_at: datetime
    revoked_at: datetime | None
    revoke_reason: str | None = None


@dataclass(frozen=True)
class AccessGrants:
    course_id: uuid.UUID
    active: int
    revoked: int
    grants: tuple[AccessGrantView, ...]


class AccessGrantAdmin(Protocol):
    """Implemented by the module owning access grants (course_factory)."""

    async def access_grants(self, principal: Principal, course_id: uuid.UUID) -> AccessGrants:
        """Newest first; `NotFound` for another tenant's course."""
        ...


# --- webhooks and analytics (integrations) ----------------------------------------------------


@dataclass(frozen=True)
class WebhookEndpointView:
    endpoint_id: uuid.UUID
    url: str
    event_types: tuple[str, ...]
    description: str
    enabled: bool
    rotating: bool
    """Whether a previous secret still signs (a rotation is under way)."""
    created_at: datetime
    disabled_reason: str | None = None
    """`operator`, `failing` or `gone` (the receiver answered 410) while disabled."""


@dataclass(frozen=True)
class WebhookSecretShown:
    """An endpoint with its signing secret, returned once at creation or rotation."""

    endpoint: WebhookEndpointView
    secret: str


@dataclass(frozen=True)
class WebhookDeliveryView:
    delivery_id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    status: str
    """`pending`, `delivered` or `failed`."""
    attempts: int
    last_status_code: int | None
    duration_ms: int | None
    response_excerpt: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    error: str | None = None
    delivered_at: datetime | None = None

    @property
    def redeliverable(self) -> bool:
        return self.status != "pending"


class WebhookAdmin(Protocol):
    """Implemented by integrations: the tenant's webhook endpoints and deliveries (admins only,
    as in the API)."""

    async def endpoints(self, principal: Principal) -> tuple[WebhookEndpointView, ...]: ...

    async def endpoint(self, principal: Principal, endpoint_id: uuid.UUID) -> WebhookEndpointView:
        """`NotFound` for another tenant's endpoint."""
        ...

    async def create_endpoint(
        self,
        principal: Principal,
        *,
        url: str,
        event_types: tuple[str, ...],
        description: str = "",
    ) -> WebhookSecretShown: ...

    async def set_enabled(
        self, principal: Principal, endpoint_id: uuid.UUID, enabled: bool
    ) -> WebhookEndpointView: ...

    async def delete_endpoint(self, principal: Principal, endpoint_id: uuid.UUID) -> None: ...

    async def rotate_secret(
        self, principal: Principal, endpoint_id: uuid.UUID
    ) -> WebhookSecretShown: ...

    async def deliveries(
        self,
        principal: Principal,
        endpoint_id: uuid.UUID,
        *,
        offset: int = 0,
        limit: int = 25,
    ) -> Page[WebhookDeliveryView]:
        """Newest first."""
        ...

    async def redeliver(self, principal: Principal, delivery_id: uuid.UUID) -> WebhookDeliveryView:
        """Send a delivered or failed delivery again; `Conflict` while it is pending or its
        endpoint is disabled."""
        ...

    async def send_test(self, principal: Principal, endpoint_id: uuid.UUID) -> uuid.UUID:
        """Publish a test event for this endpoint (its delivery appears in the log once the
        webhooks subscriber has recorded it); the event's id."""
        ...


@dataclass(frozen=True)
class DailyActivity:
    day: date
    views: int
    clicks: int
    checkouts: int
    payments: int
    generations_requested: int
    generations_completed: int
    generations_failed: int


class AnalyticsAdmin(Protocol):
    """Implemented by integrations (its analytics read model): the tenant's activity of one
    day (UTC), for every role."""

    async def day(self, principal: Principal, day: date) -> DailyActivity: ...
