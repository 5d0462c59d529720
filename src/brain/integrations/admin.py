"""integrations implements the operator contracts `WebhookAdmin` and `AnalyticsAdmin`
(brain.kernel.admin_contracts).

The roles are the API's (`router.py`): webhook endpoints and their deliveries are the admins',
analytics every role's. Every call runs `WebhookService` in a unit of work of its own (reads on
the read engine), scoped to the principal's tenant; a new endpoint is validated by the API's own
`EndpointCreate`, and its URL checked (scheme, where it resolves to) before the unit of work's
first statement, as the service does for the API.
"""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import ValidationError

from brain.integrations.dependencies import IntegrationsDeps
from brain.integrations.models import WebhookDelivery, WebhookEndpoint
from brain.integrations.repository import COUNTERS, AnalyticsRepository
from brain.integrations.schemas import EndpointCreate, EndpointUpdate
from brain.integrations.service import WebhookService
from brain.kernel.admin_contracts import (
    DailyActivity,
    Page,
    WebhookDeliveryView,
    WebhookEndpointView,
    WebhookSecretShown,
    validation_failed,
    without_body_prefix,
)
from brain.kernel.auth import Principal, ensure_role
from brain.kernel.clock import utcnow
from brain.kernel.errors import ValidationFailed
from brain.kernel.uow import UnitOfWork

MAX_PAGE = 100


def _endpoint(endpoint: WebhookEndpoint) -> WebhookEndpointView:
    until = endpoint.previous_secret_expires_at
    return WebhookEndpointView(
        endpoint_id=endpoint.id,
        url=endpoint.url,
        event_types=tuple(endpoint.event_types),
        description=endpoint.description,
        enabled=endpoint.enabled,
        rotating=until is not None and until > utcnow(),
        created_at=endpoint.created_at,
        disabled_reason=endpoint.disabled_reason,
    )


def _delivery(delivery: WebhookDelivery) -> WebhookDeliveryView:
    return WebhookDeliveryView(
        delivery_id=delivery.id,
        endpoint_id=delivery.endpoint_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        status=delivery.status,
        attempts=delivery.attempts,
        last_status_code=delivery.last_status_code,
        duration_ms=delivery.last_duration_ms,
        response_excerpt=delivery.last_response,
        next_attempt_at=delivery.next_attempt_at if delivery.status == "pending" else None,
        created_at=delivery.created_at,
        error=delivery.last_error,
        delivered_at=delivery.delivered_at,
    )


class WebhookAdministration:
    def __init__(self, deps: IntegrationsDeps) -> None:
        self.deps = deps

    def _reading(self) -> UnitOfWork:
        return UnitOfWork(self.deps.database.read_sessionmaker)

    def _service(self, uow: UnitOfWork) -> WebhookService:
        return self.deps.service(uow)

    async def endpoints(self, principal: Principal) -> tuple[WebhookEndpointView, ...]:
        ensure_role(principal)
        async with self._reading() as uow:
            rows = await self._service(uow).list(principal.tenant_id)
            return tuple(_endpoint(row) for row in rows)

    async def endpoint(self, principal: Principal, endpoint_id: uuid.UUID) -> WebhookEndpointView:
        ensure_role(principal)
        async with self._reading() as uow:
            return _endpoint(await self._service(uow).get(principal.tenant_id, endpoint_id))

    async def create_endpoint(
        self,
        principal: Principal,
        *,
        url: str,
        event_types: tuple[str, ...],
        description: str = "",
    ) -> WebhookSecretShown:
        ensure_role(principal)
        try:
            body = EndpointCreate.model_validate(
                {"url": url, "event_types": list(event_types), "description": description}
            )
        except ValidationError as exc:
            raise validation_failed(exc) from None
        try:
            async with self.deps.units_of_work() as uow:
                endpoint, secret = await self._service(uow).create(
                    principal.tenant_id, body, url_field="url"
                )
                shown = WebhookSecretShown(endpoint=_endpoint(endpoint), secret=secret)
        except ValidationFailed as exc:
            raise without_body_prefix(exc) from None
        return shown

    async def set_enabled(
        self, principal: Principal, endpoint_id: uuid.UUID, enabled: bool
    ) -> WebhookEndpointView:
        ensure_role(principal)
        async with self.deps.units_of_work() as uow:
            endpoint = await self._service(uow).update(
                principal.tenant_id, endpoint_id, EndpointUpdate(enabled=enabled)
            )
            return _endpoint(endpoint)

    async def delete_endpoint(self, principal: Principal, endpoint_id: uuid.UUID) -> None:
        ensure_role(principal)
        async with self.deps.units_of_work() as uow:
            await self._service(uow).delete(principal.tenant_id, endpoint_id)

    async def rotate_secret(
        self, principal: Principal, endpoint_id: uuid.UUID
    ) -> WebhookSecretShown:
        ensure_role(principal)
        async with self.deps.units_of_work() as uow:
            rotation = await self._service(uow).rotate(principal.tenant_id, endpoint_id)
            return WebhookSecretShown(endpoint=_endpoint(rotation.endpoint), secret=rotation.secret)

    async def deliveries(
        self,
        principal: Principal,
        endpoint_id: uuid.UUID,
        *,
        offset: int = 0,
        limit: int = 25,
    ) -> Page[WebhookDeliveryView]:
        ensure_role(principal)
        offset, limit = max(offset, 0), min(max(limit, 1), MAX_PAGE)
        async with self._reading() as uow:
            rows, total = await self._service(uow).deliveries(
                principal.tenant_id, endpoint_id, offset=offset, limit=limit
            )
            return Page(tuple(_delivery(row) for row in rows), total, offset, limit)

    async def redeliver(self, principal: Principal, delivery_id: uuid.UUID) -> WebhookDeliveryView:
        ensure_role(principal)
        async with self.deps.units_of_work() as uow:
            delivery = await self._service(uow).redeliver(principal.tenant_id, delivery_id)
            view = _delivery(delivery)
        return view

    async def send_test(self, principal: Principal, endpoint_id: uuid.UUID) -> uuid.UUID:
        ensure_role(principal)
        async with self.deps.units_of_work() as uow:
            return await self._service(uow).request_test(principal.tenant_id, endpoint_id)


class AnalyticsAdministration:
    def __init__(self, deps: IntegrationsDeps) -> None:
        self.deps = deps

    async def day(self, principal: Principal, day: date) -> DailyActivity:
        async with self.deps.database.read_session() as session:
            rows = await AnalyticsRepository(session).course_days(
                principal.tenant_id, None, day, day
            )
        totals = dict.fromkeys(COUNTERS, 0)
        for row in rows:
            for name in COUNTERS:
                totals[name] += getattr(row, name)
        return DailyActivity(
            day=day,
            views=totals["views"],
            clicks=totals["enrollment_clicks"],
            checkouts=totals["checkouts"],
            payments=totals["payments"],
            generations_requested=totals["generations_requested"],
            generations_completed=totals["generations_completed"],
            generations_failed=totals["generations_failed"],
        )
