"""The integrations' subscribers. Each only writes, in the consumer's transaction; whatever talks
to the outside (webhook receivers, IndexNow) is done later by the module's worker tasks.

- `integrations_webhooks`: every event of a tenant → one delivery row per enabled endpoint of
  that tenant whose patterns match it (and that existed when it happened); `webhook.test.requested`
  only to the endpoint it names.
- `integrations_analytics`: the analytics read model (`analytics.py`).
- `integrations_alerts`: failed generations, disabled endpoints and payments flagged for a
  mismatched amount raise alerts (`alerts.py`).
- `integrations_indexnow`: the public URLs to notify search engines of (`indexnow.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brain.events import CATALOG, HandlerContext, Subscriber
from brain.events.contracts.course import CourseGenerationFailed
from brain.events.contracts.course_commerce import CoursePaymentFlagged
from brain.events.contracts.distribution import (
    DistributionCreated,
    DistributionDeleted,
    DistributionPublished,
    DistributionUnpublished,
    DistributionUpdated,
)
from brain.events.contracts.integrations import WebhookEndpointDisabled, WebhookTestRequested
from brain.events.patterns import matches
from brain.integrations import analytics
from brain.integrations.alerts import Alerting, Occurrence
from brain.integrations.indexnow import track
from brain.integrations.models import DeliveryStatus
from brain.integrations.repository import IndexNowRepository, WebhookRepository
from brain.kernel.clock import utcnow
from brain.kernel.ids import new_id

WEBHOOKS = "integrations_webhooks"
ANALYTICS = "integrations_analytics"
ALERTS = "integrations_alerts"
INDEXNOW = "integrations_indexnow"

MISMATCHES = frozenset({"amount_mismatch", "currency_mismatch"})
TEST_EVENT = CATALOG.spec_of(WebhookTestRequested).type


def webhooks_subscriber(wake: Callable[[], None]) -> Subscriber:
    """`wake`: tells this process's delivery task that deliveries were recorded (after commit)."""

    async def on_event(ctx: HandlerContext[Any]) -> None:
        event = ctx.event
        tenant_id = event.meta.tenant_id
        if tenant_id is None:
            return
        repo = WebhookRepository(ctx.session)
        endpoints = await repo.enabled_endpoints(tenant_id)
        if event.type == TEST_EVENT:
            targets = [e for e in endpoints if e.id == ctx.payload.endpoint_id]
        else:
            targets = [
                e
                for e in endpoints
                if e.created_at <= event.timestamp and matches(e.event_types, event.type)
            ]
        if not targets:
            return
        body = event.model_dump_json()
        now = utcnow()
        recorded = await repo.record(
            [
                {
                    "id": new_id(),
                    "tenant_id": tenant_id,
                    "endpoint_id": endpoint.id,
                    "event_id": event.id,
                    "event_type": event.type,
                    "aggregate_id": event.meta.aggregate_id,
                    "sequence": event.meta.sequence,
                    "body": body,
                    "status": DeliveryStatus.PENDING.value,
                    "attempts": 0,
                    "retry_step": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for endpoint in targets
            ]
        )
        if recorded:
            ctx.uow.on_commit(wake)

    return Subscriber.of(WEBHOOKS, {spec.payload: on_event for spec in CATALOG.specs()})


def analytics_subscriber() -> Subscriber:
    async def on_event(ctx: HandlerContext[Any]) -> None:
        await analytics.apply(ctx.uow, ctx.event)

    return Subscriber.of(ANALYTICS, dict.fromkeys(analytics.PAYLOADS, on_event))


def alerts_subscriber(alerting: Alerting) -> Subscriber:
    async def on_generation_failed(ctx: HandlerContext[CourseGenerationFailed]) -> None:
        failed = ctx.payload
        await alerting.occurred(
            ctx.uow,
            Occurrence(
                tenant_id=ctx.event.meta.tenant_id,
                cause="generation_failed",
                key=f"generation_failed:{failed.error_type}",
                severity="warning",
                summary=f"A course generation failed ({failed.error_type})",
                at=ctx.event.timestamp,
                subject_id=failed.course_id,
                source_event_id=ctx.event.id,
            ),
        )

    async def on_endpoint_disabled(ctx: HandlerContext[WebhookEndpointDisabled]) -> None:
        disabled = ctx.payload
        status = disabled.last_status_code
        await alerting.occurred(
            ctx.uow,
            Occurrence(
                tenant_id=ctx.event.meta.tenant_id,
                cause="webhook_endpoint_disabled",
                key=f"webhook_endpoint_disabled:{disabled.endpoint_id}",
                severity="warning",
                summary=(
                    f"A webhook endpoint was disabled ({disabled.reason_code}, last status "
                    f"{status if status is not None else 'none'})"
                ),
                at=ctx.event.timestamp,
                subject_id=disabled.endpoint_id,
                source_event_id=ctx.event.id,
            ),
        )

    async def on_payment_flagged(ctx: HandlerContext[CoursePaymentFlagged]) -> None:
        flagged = ctx.payload
        if flagged.reason_code not in MISMATCHES:
            return
        await alerting.occurred(
            ctx.uow,
            Occurrence(
                tenant_id=ctx.event.meta.tenant_id,
                cause="payment_flagged",
                key=f"payment_flagged:{flagged.reason_code}",
                severity="critical",
                summary=f"A payment was flagged: {flagged.reason_code}",
                at=ctx.event.timestamp,
                subject_id=flagged.payment_id,
                source_event_id=ctx.event.id,
            ),
        )

    return Subscriber.of(
        ALERTS,
        {
            CourseGenerationFailed: on_generation_failed,
            WebhookEndpointDisabled: on_endpoint_disabled,
            CoursePaymentFlagged: on_payment_flagged,
        },
    )


def indexnow_subscriber(public_url: str, *, enabled: bool) -> Subscriber:
    """`enabled`: whether URLs are queued (IndexNow configured); the slugs and visibilities are
    kept either way, so that turning it on later knows what was public."""

    async def on_change(ctx: HandlerContext[Any]) -> None:
        await track(
            IndexNowRepository(ctx.session),
            ctx.payload,
            public_url=public_url,
            queue=enabled,
            now=utcnow(),
        )

    return Subscriber.of(
        INDEXNOW,
        dict.fromkeys(
            (
                DistributionCreated,
                DistributionPublished,
                DistributionUnpublished,
                DistributionUpdated,
                DistributionDeleted,
            ),
            on_change,
        ),
    )
