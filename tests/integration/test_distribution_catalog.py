"""The public catalog's read model: kept by the distribution events in their transaction, always
equal to a rebuild from the distributions, served through a per-process cache that no change
outlives (not even one made by another process)."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from brain.bootstrap import Platform, build_platform, create_app
from brain.course_distribution import catalog
from brain.course_distribution.models import CatalogEntry, CatalogState, Distribution
from brain.course_distribution.module import MODULE as DISTRIBUTION
from brain.course_distribution.repository import CATALOG_STATE_ID, CatalogRepository
from brain.course_distribution.schemas import (
    CourseCTA,
    CourseSEO,
    DistributionCreate,
    DistributionUpdate,
    MicroNicheCreate,
)
from brain.course_distribution.service import DistributionService
from brain.kernel import migrations
from brain.kernel.db import Database
from tests.conftest import TenantKeys, make_settings
from tests.support.factory import requested_course

BASE = "/api/distributions"
SEO = CourseSEO(
    meta_title="Banking alternatives for everyone",
    meta_description="Learn which alternatives to a classic bank account exist and how to choose.",
    keywords=["banking", "finance"],
)
CTA = CourseCTA(label="Start the course", action="open_course")
AUDIENCES = ["private_individuals", "employees", "students", "self_employed"]


def new(title: str = "Banking alternatives", **fields: Any) -> DistributionCreate:
    values: dict[str, Any] = {
        "course_id": uuid.uuid4(),
        "title": title,
        "description": "A course about alternatives to banks.",
        "language": "en",
        "target_group": ["private_individuals"],
        "seo": SEO,
        "cta": CTA,
    }
    values.update(fields)
    return DistributionCreate(**values)


async def snapshot(platform: Platform) -> dict[uuid.UUID, dict[str, Any]]:
    async with platform.database.read_session() as session:
        rows = (await session.scalars(select(CatalogEntry))).all()
        return {
            row.distribution_id: {
                "slug": row.slug,
                "language": row.language,
                "audiences": row.audiences,
                "search_text": row.search_text,
                "published_at": row.published_at,
                "item": row.item,
            }
            for row in rows
        }


async def version(platform: Platform) -> int:
    async with platform.database.read_session() as session:
        return (await CatalogRepository(session).stamp()).version


async def public_ids(platform: Platform) -> set[uuid.UUID]:
    async with platform.database.read_session() as session:
        return set(
            (
                await session.scalars(
                    select(Distribution.id).where(Distribution.visibility == "PUBLIC")
                )
            ).all()
        )


async def rebuilt(platform: Platform) -> dict[uuid.UUID, dict[str, Any]]:
    async with platform.unit_of_work() as uow:
        await catalog.rebuild(uow.session)
    return await snapshot(platform)


@contextlib.asynccontextmanager
async def distributions(platform: Platform) -> AsyncIterator[DistributionService]:
    """The service in a unit of work of its own, as one API request has it."""
    async with platform.unit_of_work() as uow:
        yield DistributionService(uow, platform.events.publisher)


# -- the projection --------------------------------------------------------------------------------


async def test_publishing_and_unpublishing_change_the_read_model_in_their_transaction(
    platform: Platform, tenant: TenantKeys
) -> None:
    async with distributions(platform) as service:
        created = await service.create(tenant.tenant_id, new())
    assert await snapshot(platform) == {}, "a PRIVATE distribution is not in the catalog"
    before = await version(platform)

    async with distributions(platform) as service:
        await service.publish(tenant.tenant_id, created.id)
    entries = await snapshot(platform)
    assert list(entries) == [created.id]
    assert entries[created.id]["item"]["slug"] == created.slug
    assert entries[created.id]["audiences"] == "|private_individuals|"
    assert await version(platform) == before + 1

    async with distributions(platform) as service:
        await service.unpublish(tenant.tenant_id, created.id)
    assert await snapshot(platform) == {}
    assert await version(platform) == before + 2


async def test_a_rolled_back_change_leaves_the_read_model_and_its_version_alone(
    platform: Platform, tenant: TenantKeys
) -> None:
    async with distributions(platform) as service:
        created = await service.create(tenant.tenant_id, new())
    before = await version(platform)

    async def publish_then_fail() -> None:
        async with distributions(platform) as service:
            await service.publish(tenant.tenant_id, created.id)
            raise RuntimeError("the request failed after the publish")

    with pytest.raises(RuntimeError):
        await publish_then_fail()
    assert await snapshot(platform) == {}
    assert await version(platform) == before


async def test_a_change_the_catalog_does_not_show_leaves_its_version_alone(
    platform: Platform, tenant: TenantKeys
) -> None:
    async with distributions(platform) as service:
        created = await service.create(tenant.tenant_id, new())
        await service.publish(tenant.tenant_id, created.id)
    before = await version(platform)
    async with distributions(platform) as service:  # a PRIVATE one, edited
        hidden = await service.create(tenant.tenant_id, new("Hidden course"))
        await service.update(tenant.tenant_id, hidden.id, DistributionUpdate(title="Still hidden"))
    assert await version(platform) == before


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "create",
                "publish",
                "unlist",
                "unpublish",
                "update",
                "slug",
                "bump",
                "niche",
                "delete",
            ]
        ),
        st.integers(min_value=0, max_value=7),
        st.sampled_from(["de", "en", "fr", "es"]),
        st.lists(st.sampled_from(AUDIENCES), min_size=1, max_size=2, unique=True),
    ),
    min_size=1,
    max_size=12,
)


async def run_operations(
    platform: Platform, tenant: TenantKeys, operations: list[tuple[str, int, str, list[str]]]
) -> None:
    """Each operation in its own unit of work, through the service as the API calls it."""
    ids: list[uuid.UUID] = []
    for number, (operation, pick, language, audiences) in enumerate(operations):
        async with platform.unit_of_work() as uow:
            service = DistributionService(uow, platform.events.publisher)
            live = [i for i in ids if await service.repo.get(i) is not None]
            if operation == "create" or not live:
                created = await service.create(
                    tenant.tenant_id,
                    new(f"Course {number} {language}", language=language, target_group=audiences),
                )
                ids.append(created.id)
                continue
            target = live[pick % len(live)]
            if operation == "publish":
                await service.publish(tenant.tenant_id, target)
            elif operation == "unlist":
                await service.publish(tenant.tenant_id, target, "UNLISTED")
            elif operation == "unpublish":
                await service.unpublish(tenant.tenant_id, target)
            elif operation == "update":
                await service.update(
                    tenant.tenant_id,
                    target,
                    DistributionUpdate(
                        title=f"Renamed {number}",
                        language=language,  # type: ignore[arg-type]
                        target_group=audiences,
                        description=f"Now about topic {number}.",
                    ),
                )
            elif operation == "slug":
                await service.update(
                    tenant.tenant_id,
                    target,
                    DistributionUpdate(slug=f"moved-{uuid.uuid4().hex[:12]}"),
                )
            elif operation == "bump":
                await service.bump_version(tenant.tenant_id, target, f"change {number}")
            elif operation == "niche":
                variant = await service.create_micro_niche(
                    tenant.tenant_id, target, MicroNicheCreate(target_group=audiences)
                )
                ids.append(variant.id)
            elif operation == "delete":
                await service.delete(tenant.tenant_id, target, cascade=True)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
async def test_the_projection_always_equals_a_rebuild_from_the_distributions(
    platform: Platform, tenant: TenantKeys, operations: list[tuple[str, int, str, list[str]]]
) -> None:
    """Any sequence of changes: exactly the PUBLIC distributions are in the catalog, each as a
    rebuild would write it."""
    # The examples share the test's database: the invariants hold over all they left.
    await run_operations(platform, tenant, operations)
    projected = await snapshot(platform)
    assert set(projected) == await public_ids(platform)
    assert projected == await rebuilt(platform)


# -- serving -------------------------------------------------------------------------------------


async def publish_one(client: httpx.AsyncClient, tenant: TenantKeys, title: str) -> dict:
    course_id = await requested_course(client, tenant)
    created = await client.post(
        f"{BASE}/create",
        json=new(title, course_id=course_id).model_dump(mode="json"),
        headers=tenant.auth(),
    )
    assert created.status_code == 201, created.text
    published = await client.post(f"{BASE}/{created.json()['id']}/publish", headers=tenant.auth())
    assert published.status_code == 200, published.text
    return dict(published.json())


async def test_the_catalog_is_served_from_memory_until_it_changes_in_any_process(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys, tmp_path: Path
) -> None:
    version = platform.deps_of(DISTRIBUTION).version
    first = await publish_one(client, tenant, "First public course")
    page = await client.get(f"{BASE}/catalog")
    assert [i["slug"] for i in page.json()["items"]] == [first["slug"]]
    etag = page.headers["etag"]
    assert (await client.get(f"{BASE}/catalog", headers={"If-None-Match": etag})).status_code == 304

    # Another process on the same database (its own app, its own cache) publishes a course:
    # this process shows it within its check interval (ADR 0024), not when some entry expires.
    other = build_platform(
        make_settings(tmp_path / "other", database_url=platform.settings.database_url)
    )
    try:
        transport = httpx.ASGITransport(app=create_app(other))
        async with httpx.AsyncClient(transport=transport, base_url="http://other") as elsewhere:
            second = await publish_one(elsewhere, tenant, "Second public course")
    finally:
        await other.close()
    published = time.monotonic()
    while (
        page := await client.get(f"{BASE}/catalog", headers={"If-None-Match": etag})
    ).status_code == 304:
        assert time.monotonic() - published < version.check_seconds + 0.5
        await asyncio.sleep(0.02)
    assert page.status_code == 200
    assert {i["slug"] for i in page.json()["items"]} == {first["slug"], second["slug"]}
    for path in ("/courses", "/sitemap.xml"):
        assert f"/courses/{second['slug']}" in (await client.get(path)).text


async def test_a_kept_catalog_answers_without_any_statement(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    from sqlalchemy import event as sa_event

    platform.deps_of(DISTRIBUTION).version.check_seconds = 3600.0
    await publish_one(client, tenant, "Cached public course")
    assert (await client.get(f"{BASE}/catalog?language=en")).status_code == 200
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    engines = {platform.database.engine.sync_engine, platform.database.read_engine.sync_engine}
    for engine in engines:
        sa_event.listen(engine, "before_cursor_execute", record)
    try:
        for path in (f"{BASE}/catalog?language=en", f"{BASE}/catalog?language=en"):
            assert (await client.get(path)).status_code == 200
    finally:
        for engine in engines:
            sa_event.remove(engine, "before_cursor_execute", record)
    assert sent == []


async def test_the_rebuild_command_restores_a_lost_read_model(
    platform: Platform, client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    from typer.testing import CliRunner

    from brain.cli import app

    published = await publish_one(client, tenant, "Course to restore")
    async with platform.unit_of_work() as uow:
        await uow.session.execute(text("DELETE FROM distribution_catalog"))
        await uow.session.execute(text("UPDATE distribution_catalog_state SET version = 0"))
    result = await asyncio.to_thread(  # the command runs its own event loop
        CliRunner().invoke,
        app,
        ["distributions", "rebuild-catalog"],
        env={"BRAIN_DATABASE_URL": platform.settings.database_url},
    )
    assert result.exit_code == 0, result.output
    assert "1 public distribution" in result.output
    assert list(await snapshot(platform)) == [uuid.UUID(published["id"])]


async def test_the_upgrade_fills_the_read_model_with_the_distributions_public_before_it(
    tmp_path: Path,
) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'before.db'}")
    try:
        await migrations.upgrade(database.engine, "0004")
        tenant_id, public, private = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        async with database.engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO tenants (id, name, created_at) VALUES (:id, 'acme', :now)"),
                {"id": tenant_id.hex, "now": "2026-11-01 10:00:00.000000"},
            )
        async with database.sessionmaker() as session, session.begin():
            for distribution_id, visibility in ((public, "PUBLIC"), (private, "PRIVATE")):
                session.add(
                    Distribution(
                        id=distribution_id,
                        tenant_id=tenant_id,
                        course_id=uuid.uuid4(),
                        slug=f"course-{visibility.lower()}",
                        language="de",
                        title=f"Kurs {visibility}",
                        description="Worum es geht.",
                        target_group=["employees"],
                        seo=SEO.model_dump(mode="json"),
                        cta=CTA.model_dump(mode="json"),
                        visibility=visibility,
                        published_at=None if visibility == "PRIVATE" else _now(),
                        price_amount_minor=1900,
                        price_currency="EUR",
                    )
                )
        await migrations.upgrade(database.engine)
        async with database.sessionmaker() as session:
            entries = (await session.scalars(select(CatalogEntry))).all()
            state = await session.get(CatalogState, CATALOG_STATE_ID)
            distribution = await session.get(Distribution, public)
            assert distribution is not None
            expected = catalog.entry_values(distribution)
        assert [e.distribution_id for e in entries] == [public]
        assert {k: getattr(entries[0], k) for k in expected} == expected
        assert state is not None and state.version == 1
    finally:
        await database.dispose()


def _now() -> Any:
    from brain.kernel.clock import utcnow

    return utcnow()
