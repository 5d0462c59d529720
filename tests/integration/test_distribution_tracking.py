"""Aggregated, visitor-free tracking: public log-view / track-click, rate limits, one aggregated
event per distribution per flush, and a last flush on shutdown."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from brain.bootstrap import Platform, create_app
from brain.course_distribution.models import Distribution, TrackingBucket
from brain.course_distribution.module import MODULE as DISTRIBUTION
from brain.course_distribution.tracking import RateLimiter, Tracking, build_tracking
from brain.events.models import EventRecord
from tests.conftest import TenantKeys, make_tenant
from tests.integration.test_distribution_api import body
from tests.support.factory import requested_course

BASE = "/api/distributions"


@pytest.fixture
async def app_client(event_platform: Platform) -> AsyncIterator[tuple[httpx.AsyncClient, object]]:
    app = create_app(event_platform)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http, app


async def published(client: httpx.AsyncClient, tenant: TenantKeys, *, visibility="PUBLIC") -> dict:
    course_id = await requested_course(client, tenant)
    created = (
        await client.post(f"{BASE}/create", json=body(course_id=course_id), headers=tenant.auth())
    ).json()
    if visibility != "PRIVATE":
        response = await client.post(
            f"{BASE}/{created['id']}/publish",
            json={"visibility": visibility},
            headers=tenant.auth(),
        )
        assert response.status_code == 200
    return created


async def counters(platform: Platform, distribution_id: str) -> tuple[int, int]:
    async with platform.database.sessionmaker() as session:
        row = await session.get(Distribution, uuid.UUID(distribution_id))
        assert row is not None
        return row.view_count, row.enrollment_click_count


async def events(platform: Platform, type: str) -> list[EventRecord]:
    async with platform.database.sessionmaker() as session:
        query = select(EventRecord).where(EventRecord.type == type).order_by(EventRecord.pk)
        return list((await session.scalars(query)).all())


async def test_views_and_clicks_count_and_are_aggregated_into_one_event_per_flush(
    event_platform: Platform, app_client
) -> None:
    client, _ = app_client
    tenant = await make_tenant(event_platform, "acme")
    course = await published(client, tenant)
    unlisted = await published(client, tenant, visibility="UNLISTED")
    for _ in range(5):
        assert (await client.post(f"{BASE}/{course['id']}/log-view")).status_code == 204
    assert (await client.post(f"{BASE}/{unlisted['id']}/log-view")).status_code == 204
    for _ in range(2):
        assert (await client.post(f"{BASE}/{course['id']}/track-click")).status_code == 204
    assert await counters(event_platform, course["id"]) == (5, 2)
    assert await counters(event_platform, unlisted["id"]) == (1, 0)
    assert await events(event_platform, "distribution.viewed") == []

    tracking: Tracking = event_platform.deps_of(DISTRIBUTION).tracking
    assert await tracking.aggregator.flush() == 3
    viewed = {
        e.payload["distribution_id"]: e.payload
        for e in await events(event_platform, "distribution.viewed")
    }
    assert viewed[course["id"]]["views"] == 5
    assert viewed[unlisted["id"]]["views"] == 1
    assert set(viewed[course["id"]]) == {"distribution_id", "views", "window_start", "window_end"}
    [clicked] = await events(event_platform, "distribution.enrollment_clicked")
    assert clicked.payload["clicks"] == 2
    assert clicked.payload["course_id"] == course["course_id"]
    assert clicked.tenant_id == tenant.tenant_id

    assert await tracking.aggregator.flush() == 0
    await client.post(f"{BASE}/{course['id']}/log-view")
    assert await tracking.aggregator.flush() == 0, "at most one event per interval"
    assert await tracking.aggregator.pending() == {uuid.UUID(course["id"]): (1, 0)}
    assert await tracking.aggregator.flush(due_only=False) == 1
    latest = (await events(event_platform, "distribution.viewed"))[-1].payload
    assert latest["views"] == 1
    assert latest["window_start"] >= viewed[course["id"]]["window_end"][:19]


async def test_only_public_or_unlisted_distributions_are_tracked(
    event_platform: Platform, app_client
) -> None:
    client, _ = app_client
    tenant = await make_tenant(event_platform, "acme")
    private = await published(client, tenant, visibility="PRIVATE")
    for path in ["log-view", "track-click"]:
        assert (await client.post(f"{BASE}/{private['id']}/{path}")).status_code == 404
        assert (await client.post(f"{BASE}/{uuid.uuid4()}/{path}")).status_code == 404
        # distribution ids are UUIDs in the route itself: anything else names no distribution
        assert (await client.post(f"{BASE}/not-a-uuid/{path}")).status_code == 404
    assert await counters(event_platform, private["id"]) == (0, 0)
    assert await event_platform.deps_of(DISTRIBUTION).tracking.aggregator.pending() == {}


async def test_a_client_is_rate_limited_with_retry_after(
    event_platform: Platform, app_client
) -> None:
    client, _ = app_client
    tenant = await make_tenant(event_platform, "acme")
    course = await published(client, tenant)
    limit = event_platform.deps_of(DISTRIBUTION).tracking.limiter.limit
    for _ in range(limit):
        assert (await client.post(f"{BASE}/{course['id']}/log-view")).status_code == 204
    refused = await client.post(f"{BASE}/{course['id']}/log-view")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["status"] == 429
    assert await counters(event_platform, course["id"]) == (limit, 0)
    # Clicks are limited apart from views.
    assert (await client.post(f"{BASE}/{course['id']}/track-click")).status_code == 204


def test_the_limiter_opens_again_after_its_window() -> None:
    now = [0.0]
    limiter = RateLimiter(limit=2, window_seconds=60, clock=lambda: now[0])
    assert limiter.hit("10.0.0.1", "d") is None
    assert limiter.hit("10.0.0.1", "d") is None
    assert limiter.hit("10.0.0.1", "d") == pytest.approx(60)
    assert limiter.hit("10.0.0.2", "d") is None
    now[0] = 45.0
    assert limiter.hit("10.0.0.1", "d") == pytest.approx(15)
    now[0] = 61.0
    assert limiter.hit("10.0.0.1", "d") is None
    # It holds no client address, only salted hashes.
    assert all(b"10.0.0" not in key for key in limiter._windows)


async def test_counted_views_are_published_on_shutdown(
    event_platform: Platform, app_client
) -> None:
    client, _ = app_client
    tenant = await make_tenant(event_platform, "acme")
    course = await published(client, tenant)
    aggregator = event_platform.deps_of(DISTRIBUTION).tracking.aggregator
    aggregator.interval = 3600
    stop = asyncio.Event()
    runner = asyncio.create_task(aggregator.run(stop))
    for _ in range(3):
        await client.post(f"{BASE}/{course['id']}/log-view")
    await asyncio.sleep(0.05)
    assert await events(event_platform, "distribution.viewed") == []
    stop.set()
    await asyncio.wait_for(runner, 5)
    [viewed] = await events(event_platform, "distribution.viewed")
    assert viewed.payload["views"] == 3


async def test_counts_survive_a_crash_and_any_process_publishes_them(
    event_platform: Platform, app_client
) -> None:
    """The process that counted dies before its flush: the counts are in the database, and the
    next process (another aggregator) publishes them."""
    client, _ = app_client
    tenant = await make_tenant(event_platform, "acme")
    course = await published(client, tenant)
    for _ in range(4):
        await client.post(f"{BASE}/{course['id']}/log-view")
    await client.post(f"{BASE}/{course['id']}/track-click")
    # no flush, no shutdown: the first process is gone
    successor = build_tracking(
        event_platform.settings, event_platform.unit_of_work, event_platform.events.publisher
    )
    assert await successor.aggregator.pending() == {uuid.UUID(course["id"]): (4, 1)}
    assert await successor.aggregator.flush() == 2
    [viewed] = await events(event_platform, "distribution.viewed")
    assert viewed.payload["views"] == 4


async def test_several_processes_publish_at_most_one_event_per_distribution_per_interval(
    event_platform: Platform, app_client
) -> None:
    client, _ = app_client
    tenant = await make_tenant(event_platform, "acme")
    course = await published(client, tenant)
    aggregators = [
        build_tracking(
            event_platform.settings, event_platform.unit_of_work, event_platform.events.publisher
        ).aggregator
        for _ in range(3)
    ]
    for aggregator in aggregators:
        aggregator.interval = 0.5
    await client.post(f"{BASE}/{course['id']}/log-view")
    assert [await a.flush() for a in aggregators] == [1, 0, 0]
    for _ in range(2):
        await client.post(f"{BASE}/{course['id']}/log-view")
    assert [await a.flush() for a in aggregators] == [0, 0, 0]  # within the interval
    await asyncio.sleep(0.6)
    assert sorted([await a.flush() for a in reversed(aggregators)]) == [0, 0, 1]
    assert [e.payload["views"] for e in await events(event_platform, "distribution.viewed")] == [
        1,
        2,
    ]


async def test_counts_of_a_deleted_distribution_are_published_and_its_bucket_goes(
    event_platform: Platform, app_client
) -> None:
    client, _ = app_client
    tenant = await make_tenant(event_platform, "acme")
    course = await published(client, tenant)
    await client.post(f"{BASE}/{course['id']}/log-view")
    deleted = await client.delete(f"{BASE}/{course['id']}", headers=tenant.auth())
    assert deleted.status_code in (200, 204), deleted.text
    aggregator = event_platform.deps_of(DISTRIBUTION).tracking.aggregator
    assert await aggregator.flush() == 1
    [viewed] = await events(event_platform, "distribution.viewed")
    assert viewed.payload == viewed.payload | {"distribution_id": course["id"], "views": 1}
    async with event_platform.database.sessionmaker() as session:
        assert await session.get(TrackingBucket, uuid.UUID(course["id"])) is None
