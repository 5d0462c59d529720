"""The webhook endpoints' rules: registering, changing, rotating, testing and redelivering.

Every operation is scoped to the caller's tenant: another tenant's endpoint or delivery is not
found. A URL is checked (scheme, and where it resolves to) before the unit of work runs its first
statement: the DNS lookup is slow I/O, and on SQLite the first statement takes the write lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from brain.events import EventPublisher
from brain.events.contracts.integrations import (
    WebhookEndpointCreated,
    WebhookEndpointDeleted,
    WebhookEndpointSecretRotated,
    WebhookEndpointUpdated,
    WebhookTestRequested,
)
from brain.integrations import ssrf
from brain.integrations.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from brain.integrations.repository import WebhookRepository
from brain.integrations.schemas import EndpointCreate, EndpointUpdate, unmatched_pattern
from brain.integrations.settings import IntegrationSettings
from brain.integrations.signing import new_secret
from brain.kernel.clock import utcnow
from brain.kernel.errors import Conflict, NotFound, ValidationFailed
from brain.kernel.uow import UnitOfWork

MAX_ENDPOINTS_PER_TENANT = 20


def check_known_patterns(patterns: list[str]) -> None:
    unmatched = unmatched_pattern(patterns)
    if unmatched is not None:
        raise ValidationFailed.field(
            "body.event_types", f"{unmatched!r} matches no event type (see `brain events types`)"
        )


@dataclass(frozen=True)
class Rotation:
    endpoint: WebhookEndpoint
    secret: str
    previous_valid_until: datetime | None


class WebhookService:
    def __init__(
        self,
        uow: UnitOfWork,
        publisher: EventPublisher,
        settings: IntegrationSettings,
        resolver: ssrf.Resolver = ssrf.system_resolver,
        wake: Callable[[], None] | None = None,
    ) -> None:
        """`wake`: tells this process's delivery task that something is due (after commit)."""
        self.uow = uow
        self.wake = wake
        self.publisher = publisher
        self.settings = settings
        self.resolver = resolver
        self.repo = WebhookRepository(uow.session)

    async def check_url(self, url: str, field: str = "body.url") -> str:
        try:
            await ssrf.check(
                url,
                allow_insecure=self.settings.webhooks_allow_insecure,
                allow_private=self.settings.webhooks_allow_private_targets,
                resolver=self.resolver,
            )
        except ssrf.TargetRefused as refused:
            raise ValidationFailed.field(field, str(refused)) from None
        return url.strip()

    async def get(self, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> WebhookEndpoint:
        endpoint = await self.repo.endpoint(endpoint_id, tenant_id=tenant_id)
        if endpoint is None:
            raise NotFound(f"webhook endpoint {endpoint_id} does not exist")
        return endpoint

    async def list(self, tenant_id: uuid.UUID) -> Sequence[WebhookEndpoint]:
        return await self.repo.endpoints(tenant_id)

    async def create(
        self, tenant_id: uuid.UUID, body: EndpointCreate, *, url_field: str = "body.url"
    ) -> tuple[WebhookEndpoint, str]:
        """The new endpoint and its signing secret (shown once). `url_field`: how a refused URL
        is named (the CLI's option, say)."""
        check_known_patterns(body.event_types)
        url = await self.check_url(body.url, url_field)
        if await self.repo.count_endpoints(tenant_id) >= MAX_ENDPOINTS_PER_TENANT:
            raise Conflict(f"a tenant has at most {MAX_ENDPOINTS_PER_TENANT} webhook endpoints")
        now = utcnow()
        secret = new_secret()
        endpoint = await self.repo.add_endpoint(
            WebhookEndpoint(
                id=uuid.uuid4(),
                tenant_id=tenant_id,
                url=url,
                description=body.description,
                event_types=list(body.event_types),
                enabled=body.enabled,
                secret=secret,
                disabled_reason=None if body.enabled else DisabledReason.OPERATOR.value,
                disabled_at=None if body.enabled else now,
                created_at=now,
                updated_at=now,
            )
        )
        await self.publisher.publish(
            self.uow,
            WebhookEndpointCreated(
                endpoint_id=endpoint.id,
                enabled=endpoint.enabled,
                event_types_count=len(endpoint.event_types),
            ),
            tenant_id=tenant_id,
        )
        return endpoint, secret

    async def update(
        self, tenant_id: uuid.UUID, endpoint_id: uuid.UUID, body: EndpointUpdate
    ) -> WebhookEndpoint:
        if body.event_types is not None:
            check_known_patterns(body.event_types)
        url = await self.check_url(body.url) if body.url is not None else None
        endpoint = await self.get(tenant_id, endpoint_id)
        now = utcnow()
        changed: list[str] = []
        if url is not None and url != endpoint.url:
            endpoint.url = url
            changed.append("url")
        if body.event_types is not None and list(body.event_types) != endpoint.event_types:
            endpoint.event_types = list(body.event_types)
            changed.append("event_types")
        if body.description is not None and body.description != endpoint.description:
            endpoint.description = body.description
            changed.append("description")
        if body.enabled is not None and body.enabled != endpoint.enabled:
            endpoint.enabled = body.enabled
            endpoint.failing_since = None
            if body.enabled:
                endpoint.disabled_reason = endpoint.disabled_at = None
            else:
                endpoint.disabled_reason = DisabledReason.OPERATOR.value
                endpoint.disabled_at = now
            changed.append("enabled")
        if not changed:
            return endpoint
        endpoint.updated_at = now
        await self.uow.flush()
        await self.publisher.publish(
            self.uow,
            WebhookEndpointUpdated(
                endpoint_id=endpoint.id, changed_fields=changed, enabled=endpoint.enabled
            ),
            tenant_id=tenant_id,
        )
        return endpoint

    async def delete(self, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> None:
        endpoint = await self.get(tenant_id, endpoint_id)
        await self.repo.delete_endpoint(endpoint)
        await self.publisher.publish(
            self.uow, WebhookEndpointDeleted(endpoint_id=endpoint_id), tenant_id=tenant_id
        )

    async def rotate(self, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> Rotation:
        """A new secret signs from now on; the replaced one signs too until the rotation period
        ends (a rotation during a rotation drops the oldest secret)."""
        endpoint = await self.get(tenant_id, endpoint_id)
        now = utcnow()
        secret = new_secret()
        period = self.settings.webhooks_secret_rotation_seconds
        until = now + timedelta(seconds=period) if period > 0 else None
        endpoint.previous_secret = endpoint.secret if until else None
        endpoint.previous_secret_expires_at = until
        endpoint.secret = secret
        endpoint.updated_at = now
        await self.uow.flush()
        await self.publisher.publish(
            self.uow,
            WebhookEndpointSecretRotated(
                endpoint_id=endpoint.id, previous_valid_until=until or now
            ),
            tenant_id=tenant_id,
        )
        return Rotation(endpoint, secret, until)

    async def request_test(self, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> uuid.UUID:
        """Publish `webhook.test.requested`; the webhooks subscriber records its delivery to this
        endpoint only. The event id."""
        endpoint = await self.get(tenant_id, endpoint_id)
        if not endpoint.enabled:
            raise Conflict(f"webhook endpoint {endpoint_id} is disabled; enable it first")
        event = await self.publisher.publish(
            self.uow, WebhookTestRequested(endpoint_id=endpoint.id), tenant_id=tenant_id
        )
        return event.id

    async def deliveries(
        self,
        tenant_id: uuid.UUID,
        endpoint_id: uuid.UUID,
        *,
        status: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[Sequence[WebhookDelivery], int]:
        endpoint = await self.get(tenant_id, endpoint_id)
        return await self.repo.deliveries(endpoint.id, status=status, offset=offset, limit=limit)

    async def delivery(
        self, tenant_id: uuid.UUID, delivery_id: uuid.UUID
    ) -> tuple[WebhookDelivery, Sequence[WebhookAttempt]]:
        delivery = await self.repo.delivery(delivery_id, tenant_id=tenant_id)
        if delivery is None:
            raise NotFound(f"webhook delivery {delivery_id} does not exist")
        return delivery, await self.repo.attempts(delivery.id)

    async def redeliver(self, tenant_id: uuid.UUID, delivery_id: uuid.UUID) -> WebhookDelivery:
        """Send a delivered or failed delivery again, with the same `webhook-id` and body and a
        fresh retry schedule."""
        delivery, _ = await self.delivery(tenant_id, delivery_id)
        if delivery.status == DeliveryStatus.PENDING.value:
            raise Conflict(f"webhook delivery {delivery_id} is still pending")
        endpoint = await self.get(tenant_id, delivery.endpoint_id)
        if not endpoint.enabled:
            raise Conflict(f"webhook endpoint {endpoint.id} is disabled; enable it first")
        now = utcnow()
        delivery.status = DeliveryStatus.PENDING.value
        delivery.retry_step = 0
        delivery.next_attempt_at = now
        delivery.claim_token = None
        delivery.claimed_until = None
        delivery.delivered_at = None
        delivery.updated_at = now
        await self.uow.flush()
        if self.wake is not None:
            self.uow.on_commit(self.wake)
        return delivery
