"""The analytics read model: fed by the events, rebuilt from the log to the same rows, read per
course and per tenant as JSON and CSV."""

from __future__ import annotations

import csv
import io
import random
import uuid
from datetime import UTC, datetime, timedelta

from brain.bootstrap import Platform
from brain.integrations import analytics
from brain.integrations.repository import AnalyticsRepository
from brain.kernel.auth.models import Role
from tests.conftest import make_tenant
from tests.support.integrations import (
    PlatformFactory,
    deps,
    distribution_created,
    generation_failed,
    http,
    publish_at,
    pump,
)

DAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def requested(course_id: uuid.UUID, tenant_id: uuid.UUID) -> dict:
    return {
        "course_id": str(course_id),
        "title": "A course",
        "description": "",
        "language": "en",
        "target_audiences": ["employees"],
        "tenant_id": str(tenant_id),
        "dry_run": False,
        "full_lessons_count": 2,
    }


def completed(course_id: uuid.UUID, seconds: float) -> dict:
    return {
        "course_id": str(course_id),
        "title": "A course",
        "description": "",
        "language": "en",
        "target_audiences": ["employees"],
        "dry_run": False,
        "total_modules": 4,
        "total_lessons": 12,
        "full_lessons_generated": 2,
        "quiz_questions_count": 10,
        "evidence_pack_path": "evidence/a.zip",
        "execution_time_seconds": seconds,
        "deployed": False,
    }


def window(at: datetime) -> dict:
    return {
        "window_start": (at - timedelta(minutes=1)).isoformat(),
        "window_end": at.isoformat(),
    }


async def course_history(
    platform: Platform,
    tenant_id: uuid.UUID,
    course_id: uuid.UUID,
    distribution_id: uuid.UUID,
    rng: random.Random,
    days: int = 3,
) -> None:
    """A course's life over `days` days: generations, views, clicks, checkouts, payments."""
    await publish_at(
        platform, DAY, "course.generation.requested", requested(course_id, tenant_id), tenant_id
    )
    await publish_at(
        platform,
        DAY + timedelta(minutes=5),
        "distribution.created",
        distribution_created(distribution_id, course_id, slug=f"c-{distribution_id.hex[:8]}"),
        tenant_id,
    )
    for day in range(days):
        at = DAY + timedelta(days=day, hours=rng.randint(1, 10))
        choice = rng.random()
        if choice < 0.5:
            await publish_at(
                platform,
                at,
                "course.generation.completed",
                completed(course_id, round(rng.uniform(5, 90), 2)),
                tenant_id,
            )
        elif choice < 0.7:
            await publish_at(
                platform, at, "course.generation.failed", generation_failed(course_id), tenant_id
            )
        await publish_at(
            platform,
            at + timedelta(minutes=1),
            "distribution.viewed",
            {"distribution_id": str(distribution_id), "views": rng.randint(1, 50), **window(at)},
            tenant_id,
        )
        await publish_at(
            platform,
            at + timedelta(minutes=2),
            "distribution.enrollment_clicked",
            {
                "distribution_id": str(distribution_id),
                "course_id": str(course_id),
                "clicks": rng.randint(1, 9),
                **window(at),
            },
            tenant_id,
        )
        for _ in range(rng.randint(0, 3)):
            payment = uuid.uuid4()
            await publish_at(
                platform,
                at + timedelta(minutes=3),
                "course.payment.required",
                {
                    "payment_id": str(payment),
                    "course_id": str(course_id),
                    "buyer_id": str(uuid.uuid4()),
                    "amount_minor": 4900,
                    "currency": "EUR",
                },
                tenant_id,
            )
            if rng.random() < 0.6:
                await publish_at(
                    platform,
                    at + timedelta(minutes=4),
                    "course.payment.completed",
                    {
                        "payment_id": str(payment),
                        "course_id": str(course_id),
                        "buyer_id": str(uuid.uuid4()),
                        "transaction_id": str(uuid.uuid4()),
                    },
                    tenant_id,
                )


async def snapshot(platform: Platform) -> dict:
    async with platform.database.read_session() as session:
        return await AnalyticsRepository(session).snapshot()


async def rebuild(platform: Platform) -> int:
    async with platform.unit_of_work() as uow:
        return await analytics.rebuild(uow, deps(platform).events)


async def test_a_rebuild_from_the_event_log_equals_the_incremental_read_model(
    make_platform: PlatformFactory, database_url: str
) -> None:
    platform = await make_platform(database_url)
    rng = random.Random(20261202)
    tenants = [await make_tenant(platform, name) for name in ("acme", "globex")]
    for index in range(4):
        tenant = tenants[index % 2]
        await course_history(platform, tenant.tenant_id, uuid.uuid4(), uuid.uuid4(), rng)
    await publish_at(
        platform, DAY, "course.generation.failed", generation_failed(uuid.uuid4()), None
    )  # no tenant: not counted
    await pump(platform)
    incremental = await snapshot(platform)
    assert incremental["days"] and incremental["times"]

    counted = await rebuild(platform)
    assert await snapshot(platform) == incremental
    page = await deps(platform).events.list_events(tenant_id=None, all_tenants=True, limit=500)
    assert counted == sum(
        1 for _, e, _ in page.items if e.type in analytics.TYPES and e.meta.tenant_id is not None
    )

    # A rebuild while the live subscriber is behind: neither loses nor doubles an event.
    course = uuid.uuid4()
    await course_history(platform, tenants[0].tenant_id, course, uuid.uuid4(), rng, days=2)
    await rebuild(platform)
    await pump(platform)
    after_both = await snapshot(platform)
    await rebuild(platform)
    assert await snapshot(platform) == after_both
    assert any(row[1] == course for row in after_both["days"])


async def test_the_course_figures_are_counted_per_day_and_shown_as_json_and_csv(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite)
    acme = await make_tenant(platform, "acme")
    globex = await make_tenant(platform, "globex")
    course, distribution = uuid.uuid4(), uuid.uuid4()
    t = acme.tenant_id
    await publish_at(platform, DAY, "course.generation.requested", requested(course, t), t)
    await publish_at(platform, DAY, "course.generation.failed", generation_failed(course), t)
    await publish_at(platform, DAY, "course.generation.requested", requested(course, t), t)
    await publish_at(platform, DAY, "course.generation.completed", completed(course, 10.0), t)
    await publish_at(
        platform, DAY, "distribution.created", distribution_created(distribution, course), t
    )
    next_day = DAY + timedelta(days=1)
    await publish_at(platform, next_day, "course.generation.completed", completed(course, 30.0), t)
    await publish_at(platform, next_day, "course.generation.completed", completed(course, 20.0), t)
    await publish_at(
        platform,
        next_day,
        "distribution.viewed",
        {"distribution_id": str(distribution), "views": 40, **window(next_day)},
        t,
    )
    await publish_at(
        platform,
        next_day,
        "distribution.enrollment_clicked",
        {
            "distribution_id": str(distribution),
            "course_id": str(course),
            "clicks": 8,
            **window(next_day),
        },
        t,
    )
    for paid in (True, True, False):
        payment = str(uuid.uuid4())
        buyer = str(uuid.uuid4())
        await publish_at(
            platform,
            next_day,
            "course.payment.required",
            {
                "payment_id": payment,
                "course_id": str(course),
                "buyer_id": buyer,
                "amount_minor": 4900,
                "currency": "EUR",
            },
            t,
        )
        if paid:
            await publish_at(
                platform,
                next_day,
                "course.payment.completed",
                {
                    "payment_id": payment,
                    "course_id": str(course),
                    "buyer_id": buyer,
                    "transaction_id": str(uuid.uuid4()),
                },
                t,
            )
    await pump(platform)
    query = "from=2026-11-19&to=2026-11-22"
    async with http(platform) as client:
        shown = await client.get(
            f"/api/analytics/courses/{course}?{query}", headers=acme.auth(Role.VIEWER)
        )
        as_csv = await client.get(
            f"/api/analytics/courses/{course}?{query}",
            headers={**acme.auth(), "Accept": "text/csv"},
        )
        summary = await client.get(f"/api/analytics/summary?{query}", headers=acme.auth())
        summary_csv = await client.get(
            f"/api/analytics/summary?{query}", headers={**acme.auth(), "Accept": "text/csv"}
        )
        theirs = await client.get(f"/api/analytics/courses/{course}?{query}", headers=globex.auth())
        their_summary = await client.get(f"/api/analytics/summary?{query}", headers=globex.auth())
        backwards = await client.get(
            f"/api/analytics/courses/{course}?from=2026-11-22&to=2026-11-01", headers=acme.auth()
        )
        too_long = await client.get(
            "/api/analytics/summary?from=2024-01-01&to=2026-01-01", headers=acme.auth()
        )

    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["from"] == "2026-11-19" and body["to"] == "2026-11-22"
    first, second = body["days"]
    assert first["day"] == "2026-11-20"
    assert (first["generations_requested"], first["generations_failed"]) == (2, 1)
    assert first["generations_completed"] == 1 and first["median_generation_seconds"] == 10.0
    assert first["views"] == 0 and first["conversion"] is None
    assert second["median_generation_seconds"] == 25.0
    assert (second["views"], second["enrollment_clicks"]) == (40, 8)
    assert (second["checkouts"], second["payments"]) == (3, 2)
    assert second["conversion"] == 0.25
    totals = body["totals"]
    assert totals["generations_completed"] == 3 and totals["median_generation_seconds"] == 20.0
    assert totals["payments"] == 2 and totals["conversion"] == 0.25

    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [row["day"] for row in rows] == ["2026-11-20", "2026-11-21", "total"]
    assert rows[1]["views"] == "40" and rows[1]["conversion"] == "0.25"
    assert rows[0]["conversion"] == "" and rows[2]["payments"] == "2"

    assert summary.json()["totals"] == totals
    assert [c["course_id"] for c in summary.json()["courses"]] == [str(course)]
    assert list(csv.DictReader(io.StringIO(summary_csv.text)))[-1]["checkouts"] == "3"

    assert theirs.status_code == 404
    assert their_summary.json()["totals"]["payments"] == 0
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "query.from"
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "query.to"
