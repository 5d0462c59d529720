"""The integrations API: webhook endpoints and their delivery log (admin), analytics (any role).

Every route is scoped to the key's tenant; another tenant's endpoint, delivery or course answers
404.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from brain.integrations import analytics
from brain.integrations.dependencies import Webhooks
from brain.integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from brain.integrations.repository import AnalyticsRepository
from brain.integrations.schemas import (
    AttemptOut,
    CourseAnalytics,
    DeliveryDetail,
    DeliveryList,
    DeliveryOut,
    DeliveryStatusName,
    EndpointCreate,
    EndpointCreated,
    EndpointList,
    EndpointOut,
    EndpointUpdate,
    SecretRotated,
    TenantSummary,
    TestRequested,
)
from brain.kernel.auth import Principal, Role, require_roles
from brain.kernel.clock import utcnow
from brain.kernel.errors import NotFound, ValidationFailed, problem_responses
from brain.kernel.web import ReadSession

router = APIRouter()
webhooks = APIRouter(
    prefix="/api/webhooks", tags=["webhooks"], responses=problem_responses(401, 403)
)
reports = APIRouter(
    prefix="/api/analytics", tags=["analytics"], responses=problem_responses(401, 403, 422)
)

Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
Reader = Annotated[Principal, Depends(require_roles(*Role))]
MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 30
CSV = "text/csv"


def endpoint_out(endpoint: WebhookEndpoint) -> EndpointOut:
    return EndpointOut(
        id=endpoint.id,
        url=endpoint.url,
        event_types=list(endpoint.event_types),
        description=endpoint.description,
        enabled=endpoint.enabled,
        disabled_reason=endpoint.disabled_reason,
        disabled_at=endpoint.disabled_at,
        failing_since=endpoint.failing_since,
        previous_secret_expires_at=endpoint.previous_secret_expires_at,
        created_at=endpoint.created_at,
        updated_at=endpoint.updated_at,
    )


def delivery_out(delivery: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        endpoint_id=delivery.endpoint_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        status=delivery.status,
        attempts=delivery.attempts,
        last_status_code=delivery.last_status_code,
        last_duration_ms=delivery.last_duration_ms,
        last_response=delivery.last_response,
        last_error=delivery.last_error,
        next_attempt_at=delivery.next_attempt_at if delivery.status == "pending" else None,
        created_at=delivery.created_at,
        delivered_at=delivery.delivered_at,
    )


def attempt_out(attempt: WebhookAttempt) -> AttemptOut:
    return AttemptOut(
        attempted_at=attempt.attempted_at,
        status_code=attempt.status_code,
        duration_ms=attempt.duration_ms,
        response_excerpt=attempt.response_excerpt,
        error=attempt.error,
    )


# -- endpoints ---------------------------------------------------------------------------------


@webhooks.post(
    "/endpoints",
    status_code=201,
    summary="Register a webhook endpoint (its signing secret is shown once)",
    responses=problem_responses(409, 422),
)
async def create_endpoint(
    principal: Admin, service: Webhooks, body: EndpointCreate
) -> EndpointCreated:
    endpoint, secret = await service.create(principal.tenant_id, body)
    return EndpointCreated(**endpoint_out(endpoint).model_dump(), secret=secret)


@webhooks.get("/endpoints", summary="The tenant's webhook endpoints")
async def list_endpoints(principal: Admin, service: Webhooks) -> EndpointList:
    rows = await service.list(principal.tenant_id)
    return EndpointList(items=[endpoint_out(row) for row in rows], total=len(rows))


@webhooks.get(
    "/endpoints/{endpoint_id}",
    summary="One webhook endpoint",
    responses=problem_responses(404, 422),
)
async def get_endpoint(principal: Admin, service: Webhooks, endpoint_id: uuid.UUID) -> EndpointOut:
    return endpoint_out(await service.get(principal.tenant_id, endpoint_id))


@webhooks.patch(
    "/endpoints/{endpoint_id}",
    summary="Change an endpoint's URL, event types, description, or enable/disable it",
    responses=problem_responses(404, 422),
)
async def update_endpoint(
    principal: Admin, service: Webhooks, endpoint_id: uuid.UUID, body: EndpointUpdate
) -> EndpointOut:
    return endpoint_out(await service.update(principal.tenant_id, endpoint_id, body))


@webhooks.delete(
    "/endpoints/{endpoint_id}",
    status_code=204,
    summary="Remove an endpoint with its delivery log",
    responses=problem_responses(404, 422),
)
async def delete_endpoint(principal: Admin, service: Webhooks, endpoint_id: uuid.UUID) -> Response:
    await service.delete(principal.tenant_id, endpoint_id)
    return Response(status_code=204)


@webhooks.post(
    "/endpoints/{endpoint_id}/rotate-secret",
    summary="Replace the signing secret; both sign during the rotation period",
    responses=problem_responses(404, 422),
)
async def rotate_secret(
    principal: Admin, service: Webhooks, endpoint_id: uuid.UUID
) -> SecretRotated:
    rotation = await service.rotate(principal.tenant_id, endpoint_id)
    return SecretRotated(
        id=rotation.endpoint.id,
        secret=rotation.secret,
        previous_secret_expires_at=rotation.previous_valid_until,
    )


@webhooks.post(
    "/endpoints/{endpoint_id}/test",
    status_code=202,
    summary="Send a `webhook.test.requested` event to this endpoint",
    responses=problem_responses(404, 409, 422),
)
async def test_endpoint(
    principal: Admin, service: Webhooks, endpoint_id: uuid.UUID
) -> TestRequested:
    event_id = await service.request_test(principal.tenant_id, endpoint_id)
    return TestRequested(endpoint_id=endpoint_id, event_id=event_id)


@webhooks.get(
    "/endpoints/{endpoint_id}/deliveries",
    summary="The endpoint's delivery log, newest first (kept 30 days)",
    responses=problem_responses(404, 422),
)
async def list_deliveries(
    principal: Admin,
    service: Webhooks,
    endpoint_id: uuid.UUID,
    status: DeliveryStatusName | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DeliveryList:
    rows, total = await service.deliveries(
        principal.tenant_id, endpoint_id, status=status, offset=offset, limit=limit
    )
    return DeliveryList(items=[delivery_out(row) for row in rows], total=total)


@webhooks.get(
    "/deliveries/{delivery_id}",
    summary="One delivery with every attempt",
    responses=problem_responses(404, 422),
)
async def get_delivery(
    principal: Admin, service: Webhooks, delivery_id: uuid.UUID
) -> DeliveryDetail:
    delivery, attempts = await service.delivery(principal.tenant_id, delivery_id)
    return DeliveryDetail(
        **delivery_out(delivery).model_dump(), attempt_log=[attempt_out(a) for a in attempts]
    )


@webhooks.post(
    "/deliveries/{delivery_id}/redeliver",
    status_code=202,
    summary="Send a delivered or failed delivery again (same `webhook-id`)",
    responses=problem_responses(404, 409, 422),
)
async def redeliver(principal: Admin, service: Webhooks, delivery_id: uuid.UUID) -> DeliveryOut:
    return delivery_out(await service.redeliver(principal.tenant_id, delivery_id))


# -- analytics ---------------------------------------------------------------------------------


def date_range(start: date | None, end: date | None) -> tuple[date, date]:
    end = end or utcnow().date()
    start = start or end - timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if start > end:
        raise ValidationFailed.field("query.from", "is after `to`")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValidationFailed.field("query.to", f"the range spans more than {MAX_RANGE_DAYS} days")
    return start, end


def wants_csv(request: Request) -> bool:
    return CSV in request.headers.get("accept", "").lower()


def csv_response(body: str, name: str) -> Response:
    return Response(
        body,
        media_type=f"{CSV}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


FROM = Annotated[date | None, Query(alias="from", description="First day (UTC), inclusive.")]
TO = Annotated[
    date | None, Query(alias="to", description="Last day (UTC), inclusive; default today.")
]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV: {}}, "description": "JSON, or CSV with `Accept: text/csv`"}
}


@reports.get(
    "/courses/{course_id}",
    summary="A course's figures per day and in total (JSON, or CSV with Accept: text/csv)",
    responses={**problem_responses(404), **CSV_RESPONSE},
    response_model=CourseAnalytics,
)
async def course_analytics(
    request: Request,
    principal: Reader,
    session: ReadSession,
    course_id: uuid.UUID,
    start: FROM = None,
    end: TO = None,
) -> Response | CourseAnalytics:
    first, last = date_range(start, end)
    repo = AnalyticsRepository(session)
    if not await repo.has_course(principal.tenant_id, course_id):
        raise NotFound(f"no analytics for course {course_id}")
    totals, days = await analytics.course_report(repo, principal.tenant_id, course_id, first, last)
    if wants_csv(request):
        return csv_response(analytics.as_csv(totals, days), f"course-{course_id}")
    return CourseAnalytics(course_id=course_id, from_=first, to=last, totals=totals, days=days)


@reports.get(
    "/summary",
    summary="The tenant's totals, per day and per course (JSON, or CSV with Accept: text/csv)",
    responses=CSV_RESPONSE,
    response_model=TenantSummary,
)
async def summary(
    request: Request, principal: Reader, session: ReadSession, start: FROM = None, end: TO = None
) -> Response | TenantSummary:
    first, last = date_range(start, end)
    totals, days, courses = await analytics.tenant_report(
        AnalyticsRepository(session), principal.tenant_id, first, last
    )
    if wants_csv(request):
        return csv_response(analytics.as_csv(totals, days), "summary")
    return TenantSummary(from_=first, to=last, totals=totals, days=days, courses=courses)


router.include_router(webhooks)
router.include_router(reports)
