"""Seed 001's consumer tests on every setup (auto-create, staging update, idempotent replay,
permanent error, transient error with retry), the ordering case of seed 003, and the publishing
requested by course_factory."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update

from brain.bootstrap import Platform
from brain.course_distribution.consumers import (
    SUBSCRIBER,
    default_cta,
    default_seo,
    distribution_consumer,
)
from brain.course_distribution.models import Distribution, PendingStagingUrl
from brain.course_distribution.repository import CatalogRepository
from brain.course_distribution.service import DistributionService
from brain.events import HandlerContext, Subscriber
from brain.events.consumer import Outcome
from brain.events.models import EventRecord
from tests.conftest import make_tenant
from tests.integration.test_event_stream import settle

STAGING = "https://staging.example.com/sites/banking"


def completed(course_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "course_id": str(course_id),
        "title": "Banking Alternativen für Privatpersonen",
        "description": "Welche Alternativen zum klassischen Bankkonto es gibt.",
        "language": "de",
        "target_audiences": ["private_individuals", "employees"],
        "dry_run": False,
        "total_modules": 3,
        "total_lessons": 9,
        "full_lessons_generated": 3,
        "quiz_questions_count": 10,
        "evidence_pack_path": "evidence/course.zip",
        "execution_time_seconds": 12.5,
        "deployed": False,
    }
    payload.update(overrides)
    return payload


def deployed(course_id: uuid.UUID, url: str = STAGING) -> dict[str, Any]:
    return {
        "course_id": str(course_id),
        "staging_url": url,
        "staging_domain": "staging.example.com",
        "deployed_at": datetime.now(UTC).isoformat(),
    }


async def publish(platform: Platform, type: str, payload: dict, tenant_id: uuid.UUID | None):
    async with platform.unit_of_work() as uow:
        return await platform.events.publisher.publish(uow, type, payload, tenant_id=tenant_id)


async def consumer(platform: Platform, subscriber: Subscriber | None = None) -> Subscriber:
    subscriber = platform.events.registry.add(
        subscriber or distribution_consumer(platform.settings.public_url)
    )
    await platform.events.runtime.ensure_subscription(subscriber)
    return subscriber


async def distributions(platform: Platform) -> list[Distribution]:
    async with platform.database.sessionmaker() as session:
        return list((await session.scalars(select(Distribution))).all())


async def events(platform: Platform, type: str) -> list[EventRecord]:
    async with platform.database.sessionmaker() as session:
        query = select(EventRecord).where(EventRecord.type == type).order_by(EventRecord.pk)
        return list((await session.scalars(query)).all())


async def processed(platform: Platform, count: int = 1) -> bool:
    return await platform.events.operations.processed_count(SUBSCRIBER) >= count


async def test_generation_completed_creates_a_private_distribution(
    event_platform: Platform,
) -> None:
    tenant = await make_tenant(event_platform, "acme")
    subscriber = await consumer(event_platform)
    course_id = uuid.uuid4()
    await publish(
        event_platform, "course.generation.completed", completed(course_id), tenant.tenant_id
    )
    await settle(event_platform, subscriber, lambda: distributions(event_platform))
    [made] = await distributions(event_platform)
    assert (made.course_id, made.tenant_id) == (course_id, tenant.tenant_id)
    assert made.visibility == "PRIVATE"
    assert made.slug == "banking-alternativen-fuer-privatpersonen"
    assert made.target_group == ["private_individuals", "employees"]
    assert 10 <= len(made.seo["meta_title"]) <= 60
    assert 50 <= len(made.seo["meta_description"]) <= 160
    assert made.cta == {"label": "Jetzt Kurs starten", "action": "open_course", "url": None}
    [created] = await events(event_platform, "distribution.created")
    assert created.payload["distribution_id"] == str(made.id)
    assert created.causation_id is not None


async def test_a_second_course_with_the_same_title_gets_a_numbered_slug_and_dry_runs_nothing(
    event_platform: Platform,
) -> None:
    tenant = await make_tenant(event_platform, "acme")
    subscriber = await consumer(event_platform)
    for payload in [
        completed(uuid.uuid4()),
        completed(uuid.uuid4()),
        completed(uuid.uuid4(), dry_run=True),
    ]:
        await publish(event_platform, "course.generation.completed", payload, tenant.tenant_id)
    await settle(event_platform, subscriber, lambda: processed(event_platform, 3))
    slugs = sorted(d.slug for d in await distributions(event_platform))
    assert slugs == [
        "banking-alternativen-fuer-privatpersonen",
        "banking-alternativen-fuer-privatpersonen-2",
    ]


async def test_deployed_staging_updates_the_distribution(event_platform: Platform) -> None:
    tenant = await make_tenant(event_platform, "acme")
    subscriber = await consumer(event_platform)
    course_id = uuid.uuid4()
    await publish(
        event_platform, "course.generation.completed", completed(course_id), tenant.tenant_id
    )
    await publish(event_platform, "course.deployed.staging", deployed(course_id), tenant.tenant_id)
    await settle(event_platform, subscriber, lambda: processed(event_platform, 2))
    [made] = await distributions(event_platform)
    assert made.staging_url == STAGING


async def test_staging_before_generation_completed_still_ends_on_the_distribution(
    event_platform: Platform,
) -> None:
    """Seed 003's order: the staging URL arrives before the distribution exists."""
    tenant = await make_tenant(event_platform, "acme")
    subscriber = await consumer(event_platform)
    course_id = uuid.uuid4()
    await publish(event_platform, "course.deployed.staging", deployed(course_id), tenant.tenant_id)
    await settle(event_platform, subscriber, lambda: processed(event_platform, 1))
    async with event_platform.database.sessionmaker() as session:
        assert await session.get(PendingStagingUrl, course_id) is not None
    await publish(
        event_platform, "course.generation.completed", completed(course_id), tenant.tenant_id
    )
    await settle(event_platform, subscriber, lambda: distributions(event_platform))
    [made] = await distributions(event_platform)
    assert made.staging_url == STAGING
    async with event_platform.database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(PendingStagingUrl)) == 0


async def test_replaying_generation_completed_creates_nothing_twice(
    event_platform: Platform,
) -> None:
    tenant = await make_tenant(event_platform, "acme")
    subscriber = await consumer(event_platform)
    course_id = uuid.uuid4()
    await publish(
        event_platform, "course.generation.completed", completed(course_id), tenant.tenant_id
    )
    await event_platform.events.relay.drain()
    deliveries = await event_platform.events.transport.fetch(
        subscriber.name, subscriber.patterns, "worker-a", 10, 0
    )
    runtime = event_platform.events.runtime
    first = await runtime.process(subscriber, deliveries, taken=deliveries)
    again = await runtime.process(subscriber, deliveries)
    assert [o for _, o in first.outcomes] == [Outcome.PROCESSED]
    assert [o for _, o in again.outcomes] == [Outcome.DUPLICATE]
    forced = await event_platform.events.operations.replay(SUBSCRIBER, force=True)
    assert forced.delivered == 1
    await settle(event_platform, subscriber, lambda: processed(event_platform, 1))
    await runtime.drain(subscriber)
    assert len(await distributions(event_platform)) == 1
    assert len(await events(event_platform, "distribution.created")) == 1


async def test_missing_required_fields_are_a_permanent_error(event_platform: Platform) -> None:
    tenant = await make_tenant(event_platform, "acme")
    subscriber = await consumer(event_platform)
    event = await publish(
        event_platform, "course.generation.completed", completed(uuid.uuid4()), tenant.tenant_id
    )
    payload = completed(uuid.uuid4())
    del payload["title"], payload["target_audiences"]
    async with event_platform.database.sessionmaker() as session, session.begin():
        await session.execute(
            update(EventRecord).where(EventRecord.id == event.id).values(payload=payload)
        )

    async def dead() -> bool:
        return bool(await event_platform.events.operations.open_dead_letters())

    await settle(event_platform, subscriber, dead)
    [letter] = await event_platform.events.operations.dead_letters(tenant_id=tenant.tenant_id)
    assert (letter.event_id, letter.kind, letter.attempts) == (event.id, "permanent", 1)
    assert "title" in letter.reason
    assert await distributions(event_platform) == []


async def test_an_event_without_tenant_is_a_permanent_error(event_platform: Platform) -> None:
    subscriber = await consumer(event_platform)
    event = await publish(
        event_platform, "course.generation.completed", completed(uuid.uuid4()), None
    )

    async def dead() -> bool:
        return bool(await event_platform.events.operations.open_dead_letters())

    await settle(event_platform, subscriber, dead)
    [letter] = await event_platform.events.operations.dead_letters(tenant_id=None)
    assert (letter.event_id, letter.kind) == (event.id, "permanent")
    assert await distributions(event_platform) == []


async def test_a_transient_error_is_retried_and_the_distribution_is_created_once(
    event_platform: Platform,
) -> None:
    tenant = await make_tenant(event_platform, "acme")
    real = distribution_consumer(event_platform.settings.public_url)
    attempts: list[int] = []

    async def flaky(ctx: HandlerContext) -> None:
        attempts.append(ctx.attempt)
        await real.handler(ctx)  # writes, then the transaction is rolled back
        if len(attempts) < 3:
            raise ConnectionError("the database connection dropped")

    subscriber = await consumer(
        event_platform, Subscriber(SUBSCRIBER, real.patterns, flaky, max_attempts=5)
    )
    await publish(
        event_platform, "course.generation.completed", completed(uuid.uuid4()), tenant.tenant_id
    )
    await settle(event_platform, subscriber, lambda: distributions(event_platform))
    assert len(attempts) == 3
    assert len(await distributions(event_platform)) == 1
    assert len(await events(event_platform, "distribution.created")) == 1
    assert await event_platform.events.operations.open_dead_letters() == {}


async def test_distribution_requested_publishes_and_reports_completed(
    event_platform: Platform,
) -> None:
    tenant = await make_tenant(event_platform, "acme")
    subscriber = await consumer(event_platform)
    course_id = uuid.uuid4()
    await publish(
        event_platform, "course.generation.completed", completed(course_id), tenant.tenant_id
    )
    await publish(
        event_platform,
        "course.distribution.requested",
        {"course_id": str(course_id)},
        tenant.tenant_id,
    )
    await settle(event_platform, subscriber, lambda: processed(event_platform, 2))
    [made] = await distributions(event_platform)
    assert made.visibility == "PUBLIC"
    [done] = await events(event_platform, "course.distribution.completed")
    assert done.payload == {
        "course_id": str(course_id),
        "distribution_id": str(made.id),
        "slug": made.slug,
        "url": f"{event_platform.settings.public_url}/courses/{made.slug}",
    }
    assert len(await events(event_platform, "distribution.published")) == 1


async def test_distribution_requested_without_a_distribution_reports_failed(
    event_platform: Platform,
) -> None:
    tenant = await make_tenant(event_platform, "acme")
    subscriber = await consumer(event_platform)
    course_id = uuid.uuid4()
    await publish(
        event_platform,
        "course.distribution.requested",
        {"course_id": str(course_id)},
        tenant.tenant_id,
    )
    await settle(event_platform, subscriber, lambda: processed(event_platform, 1))
    [failed] = await events(event_platform, "course.distribution.failed")
    assert failed.payload["course_id"] == str(course_id)
    assert "no distribution" in failed.payload["reason"]


def test_default_seo_and_cta_fit_the_limits() -> None:
    for title, description in [
        ("Geld", ""),
        ("x" * 100, "y " * 200),
        ("Banking", "Kurz."),
        ("Ünïcödé Kürs über Geldanlage für alle Menschen in Europa und überall", "ß" * 200),
    ]:
        seo = default_seo(title, description, "de", ["private_individuals"])
        assert 10 <= len(seo.meta_title) <= 60
        assert 50 <= len(seo.meta_description) <= 160
        assert len(seo.keywords) <= 10
    labels = {lang: default_cta(lang, None).label for lang in ("de", "en", "fr", "es")}
    assert len(set(labels.values())) == 4
    assert all(5 <= len(label) <= 50 for label in labels.values())


async def catalog_version(platform: Platform) -> int:
    async with platform.database.read_session() as session:
        return (await CatalogRepository(session).stamp()).version


def lesson_updated(course_id: uuid.UUID) -> dict[str, Any]:
    return {
        "course_id": str(course_id),
        "lesson_id": str(uuid.uuid4()),
        "revision": 2,
        "content_length": 1200,
    }


async def test_an_edited_lesson_renews_the_pages_of_visible_distributions_only(
    event_platform: Platform,
) -> None:
    """Course pages are cached under the catalog's version: a lesson edited in course_factory
    (its event) must raise it when the course has a page visitors can see, and only then."""
    tenant = await make_tenant(event_platform, "acme")
    subscriber = await consumer(event_platform)
    shown, hidden = uuid.uuid4(), uuid.uuid4()
    for course_id in (shown, hidden):
        await publish(
            event_platform, "course.generation.completed", completed(course_id), tenant.tenant_id
        )
    await settle(event_platform, subscriber, lambda: processed(event_platform, 2))
    async with event_platform.unit_of_work() as uow:
        service = DistributionService(uow, event_platform.events.publisher)
        [page] = await service.repo.of_course(shown, tenant_id=tenant.tenant_id)
        await service.publish_distribution(page, "UNLISTED")
    before = await catalog_version(event_platform)

    await publish(event_platform, "course.lesson.updated", lesson_updated(hidden), tenant.tenant_id)
    await settle(event_platform, subscriber, lambda: processed(event_platform, 3))
    assert await catalog_version(event_platform) == before

    await publish(event_platform, "course.lesson.updated", lesson_updated(shown), tenant.tenant_id)
    await settle(event_platform, subscriber, lambda: processed(event_platform, 4))
    assert await catalog_version(event_platform) == before + 1
