"""Seed 001's producer tests on every setup: each change publishes its event with its payload, in
the same transaction as the change (a change that fails publishes nothing)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from brain.bootstrap import Platform
from brain.course_distribution.models import Distribution
from brain.course_distribution.schemas import (
    CourseCTA,
    CourseSEO,
    DistributionCreate,
    DistributionUpdate,
    MicroNicheCreate,
)
from brain.course_distribution.service import DistributionService
from brain.events.catalog import CATALOG
from brain.events.models import EventRecord
from brain.kernel.errors import Conflict, ValidationFailed
from tests.conftest import make_tenant

SEO = CourseSEO(
    meta_title="Banking alternatives for everyone",
    meta_description=(
        "Learn which alternatives to a classic bank account exist and how to choose."
    ),
    keywords=["banking"],
)
CTA = CourseCTA(label="Start the course", action="open_course")


def create_body(**overrides: Any) -> DistributionCreate:
    values: dict[str, Any] = {
        "course_id": uuid.uuid4(),
        "title": "Banking Alternativen",
        "description": "About banks.",
        "language": "de",
        "target_group": ["private_individuals"],
        "seo": SEO,
        "cta": CTA,
    }
    values.update(overrides)
    return DistributionCreate(**values)


async def recorded(platform: Platform, type: str | None = None) -> list[EventRecord]:
    async with platform.database.sessionmaker() as session:
        query = select(EventRecord).order_by(EventRecord.pk)
        if type is not None:
            query = query.where(EventRecord.type == type)
        return list((await session.scalars(query)).all())


async def count_distributions(platform: Platform) -> int:
    async with platform.database.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Distribution)) or 0)


@pytest.fixture
async def tenant_id(event_platform: Platform) -> uuid.UUID:
    return (await make_tenant(event_platform, "acme")).tenant_id


async def run(platform: Platform, action):
    async with platform.unit_of_work() as uow:
        return await action(DistributionService(uow, platform.events.publisher))


async def create(platform: Platform, tenant_id: uuid.UUID, **overrides: Any) -> Distribution:
    return await run(platform, lambda s: s.create(tenant_id, create_body(**overrides)))


def check(record: EventRecord, tenant_id: uuid.UUID) -> dict[str, Any]:
    """The recorded payload validates against the catalog and carries the tenant."""
    CATALOG.validate_for_publish(record.type, record.payload, None)
    assert record.tenant_id == tenant_id
    assert record.source_module == "course_distribution"
    return record.payload


async def test_created_is_published(event_platform: Platform, tenant_id: uuid.UUID) -> None:
    made = await create(event_platform, tenant_id)
    [record] = await recorded(event_platform, "distribution.created")
    assert check(record, tenant_id) == {
        "distribution_id": str(made.id),
        "course_id": str(made.course_id),
        "slug": "banking-alternativen",
        "language": "de",
        "visibility": "PRIVATE",
        "version": "v1",
        "derived_from": None,
    }
    assert record.aggregate_id == str(made.id)


async def test_a_failing_create_publishes_nothing(
    event_platform: Platform, tenant_id: uuid.UUID
) -> None:
    await create(event_platform, tenant_id, slug="taken")
    with pytest.raises(Conflict):
        await create(event_platform, tenant_id, slug="taken")
    assert len(await recorded(event_platform, "distribution.created")) == 1
    assert await count_distributions(event_platform) == 1


async def test_updated_is_published_with_the_changed_fields(
    event_platform: Platform, tenant_id: uuid.UUID
) -> None:
    made = await create(event_platform, tenant_id)
    await run(
        event_platform,
        lambda s: s.update(
            tenant_id,
            made.id,
            DistributionUpdate(
                slug="banking-neu", cta=CourseCTA(label="Jetzt starten", action="open_course")
            ),
        ),
    )
    [record] = await recorded(event_platform, "distribution.updated")
    assert check(record, tenant_id) == {
        "distribution_id": str(made.id),
        "slug": "banking-neu",
        "changed_fields": ["cta.label", "slug"],
    }


async def test_deleted_is_published(event_platform: Platform, tenant_id: uuid.UUID) -> None:
    made = await create(event_platform, tenant_id)
    await run(event_platform, lambda s: s.delete(tenant_id, made.id))
    [record] = await recorded(event_platform, "distribution.deleted")
    assert check(record, tenant_id) == {
        "distribution_id": str(made.id),
        "course_id": str(made.course_id),
        "slug": made.slug,
    }


async def test_published_and_unpublished_are_published(
    event_platform: Platform, tenant_id: uuid.UUID
) -> None:
    made = await create(event_platform, tenant_id)
    await run(event_platform, lambda s: s.publish(tenant_id, made.id))
    await run(event_platform, lambda s: s.unpublish(tenant_id, made.id))
    [published] = await recorded(event_platform, "distribution.published")
    payload = check(published, tenant_id)
    assert payload["visibility"] == "PUBLIC"
    assert payload["slug"] == made.slug
    assert payload["published_at"]
    [unpublished] = await recorded(event_platform, "distribution.unpublished")
    assert check(unpublished, tenant_id) == {
        "distribution_id": str(made.id),
        "course_id": str(made.course_id),
        "slug": made.slug,
        "visibility": "PRIVATE",
    }


async def test_a_refused_publish_publishes_nothing(
    event_platform: Platform, tenant_id: uuid.UUID
) -> None:
    made = await create(event_platform, tenant_id, seo=None)
    with pytest.raises(ValidationFailed):
        await run(event_platform, lambda s: s.publish(tenant_id, made.id))
    assert await recorded(event_platform, "distribution.published") == []


async def test_micro_niche_created_is_published(
    event_platform: Platform, tenant_id: uuid.UUID
) -> None:
    parent = await create(event_platform, tenant_id)
    variant = await run(
        event_platform,
        lambda s: s.create_micro_niche(
            tenant_id, parent.id, MicroNicheCreate(target_group=["students"])
        ),
    )
    [record] = await recorded(event_platform, "distribution.micro_niche_created")
    assert check(record, tenant_id) == {
        "distribution_id": str(variant.id),
        "parent_distribution_id": str(parent.id),
        "course_id": str(parent.course_id),
        "target_group": ["students"],
    }
    created = await recorded(event_platform, "distribution.created")
    assert created[-1].payload["derived_from"] == str(parent.id)
    # SQLite checks the parent link row by row: remove the variant with its parent.
    await run(event_platform, lambda s: s.delete(tenant_id, parent.id, cascade=True))


async def test_version_bumped_is_published(event_platform: Platform, tenant_id: uuid.UUID) -> None:
    made = await create(event_platform, tenant_id)
    await run(event_platform, lambda s: s.bump_version(tenant_id, made.id, "New fees lesson"))
    [record] = await recorded(event_platform, "distribution.version_bumped")
    assert check(record, tenant_id) == {
        "distribution_id": str(made.id),
        "from_version": "v1",
        "to_version": "v2",
        "message": "New fees lesson",
    }


async def test_events_reach_the_transport(event_platform: Platform, tenant_id: uuid.UUID) -> None:
    made = await create(event_platform, tenant_id)
    await run(event_platform, lambda s: s.publish(tenant_id, made.id))
    assert await event_platform.events.relay.drain() == 2
