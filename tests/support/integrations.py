"""Integrations test support: a platform with fast retry settings, and helpers that drive the
event stream and the delivery task step by step."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from brain.bootstrap import Platform, build_platform, create_app
from brain.events import CATALOG, Event, EventPublisher
from brain.integrations.consumers import ALERTS, ANALYTICS, INDEXNOW, WEBHOOKS
from brain.integrations.dependencies import IntegrationsDeps
from brain.integrations.models import WebhookDelivery
from brain.integrations.module import MODULE
from tests.support.receiver import Receiver

FAST: dict[str, object] = {
    "webhooks_allow_private_targets": True,
    "webhooks_allow_insecure": True,
    "webhooks_retry_schedule": "0.05,0.05,0.05",
    "webhooks_retry_jitter": 0.0,
    "webhooks_poll_seconds": 0.05,
    "webhooks_timeout_seconds": 2.0,
    "events_poll_seconds": 0.05,
    "events_relay_sweep_seconds": 0.1,
    "events_retry_base_seconds": 0.01,
    "events_retry_max_seconds": 0.05,
}
SUBSCRIBERS = (WEBHOOKS, ANALYTICS, ALERTS, INDEXNOW)

PlatformFactory = Callable[..., Awaitable[Platform]]


@pytest.fixture
async def make_platform(tmp_path: Path) -> AsyncIterator[PlatformFactory]:
    """`await make_platform(database_url, **settings)`: a platform with the fast settings above
    (overridable); closed and emptied after the test."""
    from tests.conftest import clear_tables, make_settings

    built: list[Platform] = []

    async def make(database_url: str, **overrides: object) -> Platform:
        values = {**FAST, **overrides}
        platform = build_platform(
            make_settings(tmp_path / str(len(built)), database_url=database_url, **values)
        )
        for name in SUBSCRIBERS:
            await platform.events.runtime.ensure_subscription(platform.events.registry.get(name))
        built.append(platform)
        return platform

    yield make
    if built:
        await clear_tables(built[0].database)
    for platform in built:
        await platform.close()


def deps(platform: Platform) -> IntegrationsDeps:
    return platform.deps_of(MODULE)


def http(platform: Platform) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(platform)), base_url="http://testserver"
    )


async def publish(
    platform: Platform, type: str, payload: dict[str, Any], tenant_id: uuid.UUID | None
) -> Event:
    async with platform.unit_of_work() as uow:
        return await platform.events.publisher.publish(uow, type, payload, tenant_id=tenant_id)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


async def publish_at(
    platform: Platform,
    at: datetime,
    type: str,
    payload: dict[str, Any],
    tenant_id: uuid.UUID | None,
) -> Event:
    """Publish as if at `at` (the read model counts by the event's day, alerts deduplicate by its
    time)."""
    publisher = EventPublisher(CATALOG, clock=Clock(at))
    async with platform.unit_of_work() as uow:
        return await publisher.publish(uow, type, payload, tenant_id=tenant_id)


async def pump(platform: Platform, *names: str) -> None:
    """Relay the outbox and let the named subscribers (default: the integrations') consume."""
    await platform.events.relay.drain()
    for name in names or SUBSCRIBERS:
        await platform.events.runtime.drain(platform.events.registry.get(name))


async def settle(
    platform: Platform, done: Callable[[], Any], *, within: float = 10.0, deliver: bool = True
) -> None:
    """Pump the stream and run the delivery task's steps until `done()` holds."""
    deadline = time.monotonic() + within
    while True:
        await pump(platform)
        if deliver:
            await deps(platform).delivery.deliver_due()
            await pump(platform)
        result = done()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError("the integrations did not settle in time")
        await asyncio.sleep(0.02)


async def deliveries(platform: Platform) -> list[WebhookDelivery]:
    async with platform.database.read_session() as session:
        return list(
            (
                await session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.created_at))
            ).all()
        )


def received_types(receiver: Receiver) -> list[str]:
    return [r.json()["type"] for r in receiver.requests if r.method == "POST"]


# -- payloads of the events the integrations consume ---------------------------------------------


def distribution_created(
    distribution_id: uuid.UUID,
    course_id: uuid.UUID,
    slug: str = "a-course",
    visibility: str = "PRIVATE",
) -> dict[str, Any]:
    return {
        "distribution_id": str(distribution_id),
        "course_id": str(course_id),
        "slug": slug,
        "language": "en",
        "visibility": visibility,
        "version": "v1",
    }


def distribution_published(
    distribution_id: uuid.UUID,
    course_id: uuid.UUID,
    slug: str = "a-course",
    visibility: str = "PUBLIC",
) -> dict[str, Any]:
    return {
        "distribution_id": str(distribution_id),
        "course_id": str(course_id),
        "slug": slug,
        "visibility": visibility,
        "published_at": "2026-12-01T10:00:00Z",
    }


def distribution_updated(distribution_id: uuid.UUID, slug: str, *changed: str) -> dict[str, Any]:
    return {
        "distribution_id": str(distribution_id),
        "slug": slug,
        "changed_fields": list(changed or ("title",)),
    }


def generation_failed(course_id: uuid.UUID, error_type: str = "TimeoutError") -> dict[str, Any]:
    return {
        "course_id": str(course_id),
        "title": "A course",
        "error_message": "the generator did not answer",
        "error_type": error_type,
        "execution_time_seconds": 3.5,
    }


async def register(
    client: httpx.AsyncClient,
    auth: dict[str, str],
    url: str,
    event_types: list[str],
    **fields: Any,
) -> tuple[uuid.UUID, str]:
    """Register an endpoint through the API; its id and signing secret."""
    response = await client.post(
        "/api/webhooks/endpoints",
        headers=auth,
        json={"url": url, "event_types": event_types, **fields},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return uuid.UUID(body["id"]), body["secret"]
