"""Search-engine notification through IndexNow, against a fake IndexNow endpoint on loopback that
checks the protocol: one request per burst, retried, the right URLs, the key file, off when not
configured."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import func, select

from brain.bootstrap import Platform
from brain.integrations.models import IndexNowUrl
from tests.support.integrations import (
    PlatformFactory,
    deps,
    distribution_created,
    distribution_published,
    distribution_updated,
    http,
    publish,
    pump,
)
from tests.support.receiver import FakeIndexNow, Reply

KEY = "3f9a2c7e4b1d4e8f9a0b"
BASE = "http://courses.example.org"


async def indexnow_platform(
    make_platform: PlatformFactory, database_url: str, engine: FakeIndexNow, **overrides: object
) -> Platform:
    return await make_platform(
        database_url,
        public_base_url=BASE,
        indexnow_endpoint=engine.url(),
        indexnow_key=KEY,
        indexnow_debounce_seconds=0.2,
        indexnow_retry_seconds=0.05,
        **overrides,
    )


async def public_distribution(
    platform: Platform, tenant_id: uuid.UUID, slug: str, visibility: str = "PUBLIC"
) -> uuid.UUID:
    distribution, course = uuid.uuid4(), uuid.uuid4()
    await publish(
        platform,
        "distribution.created",
        distribution_created(distribution, course, slug),
        tenant_id,
    )
    await publish(
        platform,
        "distribution.published",
        distribution_published(distribution, course, slug, visibility),
        tenant_id,
    )
    return distribution


async def flush_until(platform: Platform, engine: FakeIndexNow, count: int) -> None:
    notifier = deps(platform).indexnow
    assert notifier is not None
    for _ in range(200):
        await pump(platform)
        await notifier.flush()
        if len(engine.notified()) >= count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{count} IndexNow request(s) expected, got {len(engine.notified())}")


async def queued(platform: Platform) -> int:
    async with platform.database.read_session() as session:
        return int(await session.scalar(select(func.count()).select_from(IndexNowUrl)) or 0)


async def test_a_burst_of_publications_is_one_indexnow_request(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    engine = FakeIndexNow(KEY).start()
    try:
        platform = await indexnow_platform(make_platform, migrated_sqlite, engine)
        tenant = uuid.uuid4()
        for slug in ("banking-basics", "saving-money", "budgeting"):
            await public_distribution(platform, tenant, slug)
        await public_distribution(platform, tenant, "hidden-course", "UNLISTED")
        await pump(platform)
        assert await deps(platform).indexnow.flush() is None, "the burst may not be over yet"
        await flush_until(platform, engine, 1)
    finally:
        engine.stop()
    assert engine.faults == []
    (urls,) = engine.notified()
    assert sorted(urls) == [
        f"{BASE}/courses/banking-basics",
        f"{BASE}/courses/budgeting",
        f"{BASE}/courses/saving-money",
    ], "UNLISTED pages are noindex and not notified"
    body = engine.requests[0].json()
    assert body["host"] == "courses.example.org"
    assert body["keyLocation"] == f"{BASE}/{KEY}.txt"
    assert await queued(platform) == 0


async def test_an_unpublish_and_a_slug_change_name_the_urls_search_engines_know(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    engine = FakeIndexNow(KEY).start()
    try:
        platform = await indexnow_platform(make_platform, migrated_sqlite, engine)
        tenant = uuid.uuid4()
        moved = await public_distribution(platform, tenant, "old-name")
        gone = await public_distribution(platform, tenant, "going-away")
        private = uuid.uuid4()
        await publish(
            platform,
            "distribution.created",
            distribution_created(private, uuid.uuid4(), "draft"),
            tenant,
        )
        await flush_until(platform, engine, 1)
        await publish(
            platform,
            "distribution.updated",
            distribution_updated(moved, "new-name", "slug", "title"),
            tenant,
        )
        await publish(
            platform,
            "distribution.unpublished",
            {
                "distribution_id": str(gone),
                "course_id": str(uuid.uuid4()),
                "slug": "going-away",
                "visibility": "PRIVATE",
            },
            tenant,
        )
        await publish(
            platform, "distribution.updated", distribution_updated(private, "draft"), tenant
        )
        await flush_until(platform, engine, 2)
    finally:
        engine.stop()
    assert engine.faults == []
    assert sorted(engine.notified()[1]) == [
        f"{BASE}/courses/going-away",
        f"{BASE}/courses/new-name",
        f"{BASE}/courses/old-name",
    ], "a PRIVATE distribution's update is not notified"


async def test_a_failed_notification_is_retried_until_accepted(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    engine = FakeIndexNow(KEY).start()
    engine.script(Reply(500, b"busy"), Reply(429, b"", {"Retry-After": "0"}))
    try:
        platform = await indexnow_platform(make_platform, migrated_sqlite, engine)
        await public_distribution(platform, uuid.uuid4(), "retried-course")
        await flush_until(platform, engine, 3)
        text = ""
        async with http(platform) as client:
            text = (await client.get("/metrics")).text
    finally:
        engine.stop()
    assert engine.notified() == [[f"{BASE}/courses/retried-course"]] * 3
    assert engine.faults == []
    assert await queued(platform) == 0
    assert 'brain_indexnow_requests_total{outcome="retrying"} 2.0' in text
    assert 'brain_indexnow_requests_total{outcome="accepted"} 1.0' in text


async def test_a_request_the_engine_refuses_is_dropped_not_retried(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    engine = FakeIndexNow("a-different-key").start()
    try:
        platform = await indexnow_platform(make_platform, migrated_sqlite, engine)
        await public_distribution(platform, uuid.uuid4(), "some-course")
        await pump(platform)
        outcome = await deps(platform).indexnow.flush(force=True)
    finally:
        engine.stop()
    assert engine.faults == ["key not valid"]
    assert outcome == "rejected"
    assert await queued(platform) == 0


async def test_the_key_file_is_served_and_nothing_else_by_that_route(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    engine = FakeIndexNow(KEY)
    platform = await indexnow_platform(make_platform, migrated_sqlite, engine)
    async with http(platform) as client:
        key_file = await client.get(f"/{KEY}.txt")
        other = await client.get("/somethingelse.txt")
        robots = await client.get("/robots.txt")
    assert key_file.status_code == 200 and key_file.text == KEY
    assert key_file.headers["content-type"].startswith("text/plain")
    assert other.status_code == 404
    assert robots.status_code == 200 and "User-agent" in robots.text


async def test_indexnow_is_off_when_not_configured(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite, public_base_url=BASE)
    await public_distribution(platform, uuid.uuid4(), "quiet-course")
    await pump(platform)
    async with http(platform) as client:
        key_file = await client.get(f"/{KEY}.txt")
    assert deps(platform).indexnow is None
    assert await queued(platform) == 0
    assert key_file.status_code == 404
