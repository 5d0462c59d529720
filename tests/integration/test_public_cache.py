"""Public pages from memory (ADR 0024): what a kept response costs, when it goes, and what a miss
costs, on both dialects. The course outlines come from course_factory's real reader."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from brain.bootstrap import Platform, build_platform, create_app
from brain.course_distribution import catalog
from brain.course_distribution.catalog import CatalogVersion
from brain.course_distribution.models import Distribution
from brain.course_distribution.module import MODULE as DISTRIBUTION
from brain.course_distribution.schemas import DistributionUpdate
from brain.course_distribution.service import DistributionService
from brain.course_factory.models import Course, CourseModule, Lesson
from brain.kernel.db import Database
from tests.conftest import TenantKeys, clear_tables, make_settings

PUBLIC = ["/courses", "/courses/kept-page", "/api/distributions/catalog", "/sitemap.xml"]


@pytest.fixture
async def platform(database_url: str, tmp_path: Path) -> AsyncIterator[Platform]:
    built = build_platform(make_settings(tmp_path, database_url=database_url))
    yield built
    await clear_tables(built.database)
    await built.close()


@pytest.fixture
async def web(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(platform))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def version_of(platform: Platform) -> CatalogVersion:
    return platform.deps_of(DISTRIBUTION).version


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """Every statement sent to the database (both engines on SQLite) while the block runs."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engines = {database.engine.sync_engine, database.read_engine.sync_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


async def course_with_outline(
    platform: Platform, tenant: TenantKeys, modules: int, lessons: int
) -> uuid.UUID:
    async with platform.unit_of_work() as uow:
        course = Course(
            tenant_id=tenant.tenant_id,
            title="Budgeting",
            description="Plan a budget.",
            language="en",
            target_audiences=["students"],
            template_id="default",
            full_lessons_count=1,
            generate_quiz=False,
            generate_landing_page=False,
            deploy_to_staging=False,
        )
        uow.session.add(course)
        await uow.session.flush()
        position = 0
        for m in range(modules):
            module = CourseModule(course_id=course.id, position=m, title=f"M{m}", summary="s")
            uow.session.add(module)
            await uow.session.flush()
            for _ in range(lessons):
                position += 1
                uow.session.add(
                    Lesson(
                        course_id=course.id,
                        module_id=module.id,
                        position=position,
                        module_position=m,
                        title=f"Lesson {position}",
                        summary="s",
                        markdown="# text" if position % 2 else None,
                    )
                )
        return course.id


def distribution_row(tenant: TenantKeys, course_id: uuid.UUID, slug: str, n: int) -> Distribution:
    alternates = {lang: f"https://example.org/{lang}/{slug}" for lang in ("de", "fr", "es")}
    return Distribution(
        tenant_id=tenant.tenant_id,
        course_id=course_id,
        slug=slug,
        language="en",
        title=f"Course {slug}",
        description="A practical course.",
        target_group=["students"],
        seo={
            "meta_title": f"Course {slug}",
            "meta_description": "Learn it step by step, with examples from everyday life.",
            "keywords": ["learning"],
            "hreflang_alternates": alternates,
        },
        cta={"label": "Start", "action": "open_course"},
        visibility="PUBLIC",
        published_at=datetime.now(UTC) - timedelta(seconds=n),
    )


async def publish_many(
    platform: Platform, tenant: TenantKeys, course_id: uuid.UUID, slugs: list[str]
) -> None:
    """PUBLIC distributions in bulk (one flush), their catalog entries from one rebuild."""
    async with platform.unit_of_work() as uow:
        uow.session.add_all(
            [distribution_row(tenant, course_id, slug, n) for n, slug in enumerate(slugs)]
        )
        await uow.session.flush()
        await catalog.rebuild(uow.session)


async def test_a_kept_public_response_costs_no_database_statement(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    course_id = await course_with_outline(platform, tenant, 2, 3)
    await publish_many(platform, tenant, course_id, ["kept-page"])
    version_of(platform).check_seconds = 3600.0
    first = {path: await web.get(path) for path in [*PUBLIC, "/robots.txt"]}
    assert {path: r.status_code for path, r in first.items()} == dict.fromkeys(first, 200)
    with statements(platform.database) as seen:
        for path, response in first.items():
            again = await web.get(path)
            assert again.content == response.content
            unchanged = await web.get(path, headers={"If-None-Match": response.headers["etag"]})
            assert unchanged.status_code == 304
            assert unchanged.headers["etag"] == response.headers["etag"]
    assert seen == []


async def test_public_pages_say_how_shared_caches_may_keep_them(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    course_id = await course_with_outline(platform, tenant, 1, 1)
    await publish_many(platform, tenant, course_id, ["kept-page"])
    for path in PUBLIC:
        for _ in range(2):  # rendered, then from memory
            response = await web.get(path)
            assert response.headers["cache-control"] == (
                "public, max-age=60, stale-while-revalidate=60"
            )
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "vary" not in response.headers
    page = await web.get("/courses/kept-page")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


async def test_the_process_that_made_a_change_serves_it_on_its_next_request(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    course_id = await course_with_outline(platform, tenant, 1, 2)
    await publish_many(platform, tenant, course_id, ["kept-page"])
    version_of(platform).check_seconds = 3600.0
    before = await web.get("/courses/kept-page")
    assert "Course kept-page" in before.text
    distribution_id = (await web.get("/api/distributions/catalog")).json()["items"][0]["id"]
    async with platform.unit_of_work() as uow:
        await DistributionService(uow, platform.events.publisher).update(
            tenant.tenant_id, uuid.UUID(distribution_id), DistributionUpdate(title="Renamed")
        )
    after = await web.get("/courses/kept-page")
    assert "Renamed" in after.text and after.headers["etag"] != before.headers["etag"]
    async with platform.unit_of_work() as uow:
        await DistributionService(uow, platform.events.publisher).unpublish(
            tenant.tenant_id, uuid.UUID(distribution_id)
        )
    assert (await web.get("/courses/kept-page")).status_code == 404
    assert (await web.get("/api/distributions/catalog")).json()["total"] == 0
    assert "kept-page" not in (await web.get("/sitemap.xml")).text


async def test_another_process_change_shows_within_the_check_interval(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient, tmp_path: Path
) -> None:
    course_id = await course_with_outline(platform, tenant, 1, 2)
    await publish_many(platform, tenant, course_id, ["kept-page"])
    version = version_of(platform)
    version.check_seconds = 0.3
    assert (await web.get("/courses/kept-page")).status_code == 200
    distribution_id = (await web.get("/api/distributions/catalog")).json()["items"][0]["id"]
    other = build_platform(
        make_settings(tmp_path / "other", database_url=platform.settings.resolved_database_url)
    )
    try:
        async with other.unit_of_work() as uow:  # another Database: no commit hook here
            await DistributionService(uow, other.events.publisher).unpublish(
                tenant.tenant_id, uuid.UUID(distribution_id)
            )
        changed = time.monotonic()
        while (await web.get("/courses/kept-page")).status_code == 200:
            assert time.monotonic() - changed < 0.3 + 0.5, "still served after the interval"
            await asyncio.sleep(0.02)
    finally:
        await other.close()


async def test_a_course_page_render_reads_as_much_with_5000_distributions_as_with_10(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    small = await course_with_outline(platform, tenant, 2, 2)
    large = await course_with_outline(platform, tenant, 8, 25)
    await publish_many(platform, tenant, small, [f"small-{n}" for n in range(5)])
    await publish_many(platform, tenant, large, [f"large-{n}" for n in range(5)])
    version_of(platform).check_seconds = 0.0  # a check per request, the same on every render

    async def render(path: str) -> list[str]:
        with statements(platform.database) as seen:
            response = await web.get(path)
        assert response.status_code == 200, response.text
        return list(seen)

    few = {
        "small": await render("/courses/small-1"),
        "large": await render("/courses/large-1"),
        "catalog": await render("/courses?page=1"),
        "api": await render("/api/distributions/catalog?page=1"),
    }
    await publish_many(platform, tenant, large, [f"bulk-{n}" for n in range(4_990)])
    many = {
        "small": await render("/courses/small-2"),
        "large": await render("/courses/large-2"),
        "catalog": await render("/courses?page=2"),
        "api": await render("/api/distributions/catalog?page=2"),
    }
    assert {k: len(v) for k, v in many.items()} == {k: len(v) for k, v in few.items()}, many
    # a version check, the distribution, the course, its modules and its lessons' outline
    assert len(few["small"]) == len(few["large"])
    assert len([s for s in few["large"] if s.lstrip().upper().startswith("SELECT")]) == 5


async def test_concurrent_misses_beyond_the_pool_all_answer(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    """The stall: each course page held a read connection while the outline reader waited for
    a second one; 32 misses at once took every connection and waited for the pool's timeout."""
    course_id = await course_with_outline(platform, tenant, 2, 3)
    slugs = [f"cold-{n}" for n in range(48)]
    await publish_many(platform, tenant, course_id, slugs)
    answers = await asyncio.wait_for(
        asyncio.gather(*(web.get(f"/courses/{slug}") for slug in slugs)), timeout=20
    )
    assert [a.status_code for a in answers] == [200] * len(slugs)
