"""A second tenant can neither create nor affect anything of the first: every id that comes from a
body, a path or an event is looked up within the caller's (or the event's) tenant."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi.routing import iter_route_contexts
from sqlalchemy import func, select

from brain.bootstrap import Platform, create_app
from brain.course_distribution.consumers import SUBSCRIBER as DISTRIBUTION_CONSUMER
from brain.course_distribution.models import Distribution, PendingStagingUrl
from brain.course_factory.consumers import SUBSCRIBER as GENERATION_STARTER
from brain.course_factory.models import ApprovalRequest, Course, Lesson, Quiz, QuizQuestion
from brain.events.models import DeadLetter, EventRecord
from brain.integrations.models import WebhookDelivery, WebhookEndpoint
from brain.kernel import migrations
from brain.kernel.auth.models import ApiKey, Role, Tenant
from brain.kernel.db import Database
from brain.payments.models import Buyer, Payment
from tests.conftest import TenantKeys
from tests.integration.test_distribution_api import body
from tests.integration.test_event_stream import settle
from tests.support.content import (
    CONTENTS,
    create_example,
    node,
    package_files,
    upload,
    uploaded_version,
    zip_of,
)
from tests.support.factory import completed_course, requested_course
from tests.support.services import create_postgres_database, drop_postgres_database

BASE = "/api/distributions"


async def distribution_count(platform: Platform) -> int:
    async with platform.database.read_session() as session:
        return int(await session.scalar(select(func.count()).select_from(Distribution)) or 0)


async def test_a_distribution_of_another_tenants_course_is_refused_naming_the_course_id(
    client: httpx.AsyncClient, platform: Platform, tenant: TenantKeys, other_tenant: TenantKeys
) -> None:
    theirs = await requested_course(client, tenant)
    for course_id in (theirs, str(uuid.uuid4())):
        response = await client.post(
            f"{BASE}/create", json=body(course_id=course_id), headers=other_tenant.auth()
        )
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == ["body.course_id"]
    assert await distribution_count(platform) == 0

    mine = await client.post(f"{BASE}/create", json=body(course_id=theirs), headers=tenant.auth())
    assert mine.status_code == 201, mine.text
    assert mine.json()["course_id"] == theirs


# -- events: the consumers look up by the event's tenant -----------------------------------------


async def publish(
    platform: Platform, type: str, payload: dict[str, Any], tenant_id: uuid.UUID
) -> None:
    async with platform.unit_of_work() as uow:
        await platform.events.publisher.publish(uow, type, payload, tenant_id=tenant_id)


async def consume(platform: Platform, name: str, count: int) -> None:
    subscriber = platform.events.registry.get(name)
    await platform.events.runtime.ensure_subscription(subscriber)

    async def done() -> bool:
        return await platform.events.operations.processed_count(name) >= count

    await settle(platform, subscriber, done)


async def one_distribution(platform: Platform, distribution_id: str) -> Distribution:
    async with platform.database.read_session() as session:
        found = await session.get(Distribution, uuid.UUID(distribution_id))
        assert found is not None
        return found


async def test_another_tenants_course_events_leave_a_tenants_distribution_alone(
    client: httpx.AsyncClient, platform: Platform, tenant: TenantKeys, other_tenant: TenantKeys
) -> None:
    course_id = await requested_course(client, tenant)
    created = await client.post(
        f"{BASE}/create", json=body(course_id=course_id), headers=tenant.auth()
    )
    assert created.status_code == 201, created.text
    distribution_id = created.json()["id"]
    forged = other_tenant.tenant_id
    await publish(
        platform,
        "course.deployed.staging",
        {
            "course_id": course_id,
            "staging_url": "https://attacker.example.com/",
            "staging_domain": "attacker.example.com",
            "deployed_at": "2026-11-23T10:00:00Z",
        },
        forged,
    )
    await publish(
        platform,
        "course.distribution.requested",
        {"course_id": course_id},
        forged,
    )
    await consume(platform, DISTRIBUTION_CONSUMER, 2)

    mine = await one_distribution(platform, distribution_id)
    assert mine.staging_url is None
    assert mine.visibility == "PRIVATE"
    async with platform.database.read_session() as session:
        pending = (await session.scalars(select(PendingStagingUrl))).all()
        failed = (
            await session.scalars(
                select(EventRecord).where(EventRecord.type == "course.distribution.failed")
            )
        ).all()
    assert [(p.tenant_id, str(p.course_id)) for p in pending] == [(forged, course_id)]
    assert [(f.tenant_id, f.payload["reason"]) for f in failed] == [
        (forged, "no distribution exists for this course")
    ]


async def test_a_generation_request_in_another_tenants_name_is_refused(
    platform: Platform, tenant: TenantKeys, other_tenant: TenantKeys
) -> None:
    # A completed course: its own `course.generation.requested` is a no-op for the starter, so
    # only the forged one can reach Temporal.
    course_id = str(await completed_course(platform, tenant.tenant_id))
    await publish(
        platform,
        "course.generation.requested",
        {
            "course_id": course_id,
            "title": "Saving for students",
            "description": "",
            "language": "en",
            "target_audiences": ["students"],
            "tenant_id": str(other_tenant.tenant_id),
            "dry_run": False,
            "full_lessons_count": 3,
        },
        other_tenant.tenant_id,
    )
    subscriber = platform.events.registry.get(GENERATION_STARTER)
    await platform.events.runtime.ensure_subscription(subscriber)

    async def dead_lettered() -> list[DeadLetter]:
        async with platform.database.read_session() as session:
            return list((await session.scalars(select(DeadLetter))).all())

    await settle(platform, subscriber, dead_lettered)
    [letter] = await dead_lettered()
    assert letter.tenant_id == other_tenant.tenant_id
    assert "does not exist" in letter.reason


# -- every route with an id: another tenant's key finds nothing ---------------------------------


BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PUT", "/api/courses/{course_id}/lessons/{lesson_id}"): {"title": "A new lesson title"},
    ("POST", "/api/courses/{course_id}/transitions"): {"to_state": "PUBLISH_READY"},
    ("PUT", "/api/distributions/{distribution_id}"): {"title": "Taken over by another"},
    ("POST", "/api/distributions/{distribution_id}/micro-niches"): {"target_group": ["students"]},
    ("POST", "/api/distributions/{distribution_id}/bump-version"): {"message": "mine now"},
    ("POST", "/api/distributions/{distribution_id}/publish"): {"visibility": "PUBLIC"},
    ("POST", "/api/approvals/{approval_id}/approve"): {"comment": "ok"},
    ("POST", "/api/approvals/{approval_id}/reject"): {"comment": "no"},
    ("PATCH", "/api/course-contents/{content_id}"): {"title": "Taken over"},
    ("POST", "/api/course-contents/{content_id}/assign-example"): {
        "example_version_id": "{version_id}"
    },
    ("POST", "/api/course-contents/{content_id}/deployment/rollback"): {"version_tag": "1.0"},
    ("POST", "/api/payments/{payment_id}/refund"): {},
    ("PATCH", "/api/webhooks/endpoints/{endpoint_id}"): {"enabled": False},
}
UPLOADS = {("POST", "/api/examples/{example_id}/versions")}
"""Multipart routes: a valid package is sent, so only the tenant rule can refuse it."""
PUBLIC_BY_ID = {"/api/distributions/{slug}", "/api/distributions/{slug}/outline"}


async def first(platform: Platform, statement: Any) -> uuid.UUID:
    async with platform.database.read_session() as session:
        found = await session.scalar(statement.limit(1))
    assert found is not None
    return uuid.UUID(str(found))


@pytest.fixture
async def tenant_objects(
    client: httpx.AsyncClient, platform: Platform, tenant: TenantKeys
) -> dict[str, str]:
    """One of each kind of object the API addresses by id, all of `tenant`."""
    course_id = await completed_course(platform, tenant.tenant_id)
    moved = await client.post(
        f"/api/courses/{course_id}/transitions",
        json={"to_state": "PUBLISH_READY"},
        headers=tenant.auth(Role.EDITOR),
    )
    assert moved.status_code == 202, moved.text
    created = await client.post(
        f"{BASE}/create", json=body(course_id=str(course_id)), headers=tenant.auth()
    )
    assert created.status_code == 201, created.text
    event_id = await first(
        platform, select(EventRecord.id).where(EventRecord.tenant_id == tenant.tenant_id)
    )
    async with platform.unit_of_work() as uow:
        letter = DeadLetter(
            id=uuid.uuid4(),
            subscriber_name=DISTRIBUTION_CONSUMER,
            event_id=event_id,
            event_type="course.generation.requested",
            tenant_id=tenant.tenant_id,
            stream_message_id="1-0",
            kind="permanent",
            reason="for the test",
            attempts=1,
        )
        uow.session.add(letter)
    return {
        "course_id": str(course_id),
        "lesson_id": str(await first(platform, select(Lesson.id))),
        "question_id": str(await first(platform, select(QuizQuestion.id).join(Quiz))),
        "approval_id": str(await first(platform, select(ApprovalRequest.id))),
        "distribution_id": created.json()["id"],
        "event_id": str(event_id),
        "letter_id": str(letter.id),
        "key_id": str(tenant.key_ids[Role.VIEWER]),
        **await content_objects(client, tenant, course_id),
        **await payment_and_webhook_objects(platform, tenant, course_id, created.json()["id"]),
    }


async def content_objects(
    client: httpx.AsyncClient, tenant: TenantKeys, course_id: uuid.UUID
) -> dict[str, str]:
    """An assignment with a deployment of an uploaded example version, through the API."""
    example = await create_example(client, tenant)
    version = await uploaded_version(client, tenant, example["id"], "1.0")
    assignment = await node(client, tenant, course_id, "week_1", "assignment")
    assigned = await client.post(
        f"{CONTENTS}/{assignment['id']}/assign-example",
        json={"example_version_id": version["id"]},
        headers=tenant.auth(Role.EDITOR),
    )
    assert assigned.status_code in (200, 201), assigned.text
    return {
        "content_id": assignment["id"],
        "example_id": example["id"],
        "version_id": version["id"],
        "workflow_id": f"release-{course_id}",
    }


async def payment_and_webhook_objects(
    platform: Platform, tenant: TenantKeys, course_id: uuid.UUID, distribution_id: str
) -> dict[str, str]:
    """A paid payment, a webhook endpoint and one of its deliveries, written as their modules
    store them (creating them through their flows needs a provider and a receiver)."""
    async with platform.unit_of_work() as uow:
        buyer = Buyer(id=uuid.uuid4(), email=None)
        uow.session.add(buyer)
        await uow.session.flush()
        payment = Payment(
            id=uuid.uuid4(),
            tenant_id=tenant.tenant_id,
            course_id=course_id,
            distribution_id=uuid.UUID(distribution_id),
            buyer_id=buyer.id,
            amount_minor=1900,
            currency="EUR",
            status="paid",
            provider="test",
            provider_session_id=f"cs_test_{uuid.uuid4().hex}",
        )
        endpoint = WebhookEndpoint(
            id=uuid.uuid4(),
            tenant_id=tenant.tenant_id,
            url="https://hooks.example.com/brain",
            event_types=["*"],
            secret="whsec_" + "A" * 32,
        )
        uow.session.add_all([payment, endpoint])
        await uow.session.flush()
        delivery = WebhookDelivery(
            id=uuid.uuid4(),
            tenant_id=tenant.tenant_id,
            endpoint_id=endpoint.id,
            event_id=uuid.uuid4(),
            event_type="distribution.published",
            aggregate_id=distribution_id,
            sequence=1,
            body="{}",
            status="failed",
        )
        uow.session.add(delivery)
    return {
        "payment_id": str(payment.id),
        "endpoint_id": str(endpoint.id),
        "delivery_id": str(delivery.id),
    }


def routes_with_ids(platform: Platform) -> list[tuple[str, str]]:
    found = []
    for route in iter_route_contexts(create_app(platform).routes):
        # the documented path: `{distribution_id}`, whatever convertor (`:uuid`) routes it
        path = str(getattr(route, "path_format", None) or getattr(route, "path", ""))
        if not path.startswith("/api/") or "{" not in path or path in PUBLIC_BY_ID:
            continue
        for method in sorted((getattr(route, "methods", None) or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, path))
    return found


async def test_another_tenants_key_finds_none_of_a_tenants_objects_on_any_route(
    client: httpx.AsyncClient,
    platform: Platform,
    tenant: TenantKeys,
    other_tenant: TenantKeys,
    tenant_objects: dict[str, str],
) -> None:
    routes = routes_with_ids(platform)
    assert len(routes) >= 20, routes
    for method, path in routes:
        url = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: tenant_objects[m[1]], path)
        payload = {
            name: value.format(**tenant_objects) if isinstance(value, str) else value
            for name, value in BODIES.get((method, path), {}).items()
        }
        if (method, path) in UPLOADS:
            response = await upload(
                client, other_tenant, tenant_objects["example_id"], zip_of(package_files()), "2.0"
            )
        else:
            response = await client.request(
                method,
                url,
                json=payload if (method, path) in BODIES else None,
                headers=other_tenant.auth(),
            )
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"

    async with platform.database.read_session() as session:
        course = await session.get(Course, uuid.UUID(tenant_objects["course_id"]))
        distribution = await session.get(Distribution, uuid.UUID(tenant_objects["distribution_id"]))
        key = await session.get(ApiKey, uuid.UUID(tenant_objects["key_id"]))
        letter = await session.get(DeadLetter, uuid.UUID(tenant_objects["letter_id"]))
        approval = await session.get(ApprovalRequest, uuid.UUID(tenant_objects["approval_id"]))
    assert course is not None and course.workflow_state == "REVIEW"
    assert distribution is not None and distribution.visibility == "PRIVATE"
    assert distribution.title == body()["title"] and distribution.version == "v1"
    assert key is not None and key.revoked_at is None
    assert letter is not None and letter.status == "open"
    assert approval is not None and approval.status == "pending"
    theirs = await client.get(
        f"{CONTENTS}/{tenant_objects['content_id']}/deployment", headers=tenant.auth()
    )
    assert theirs.status_code == 200, theirs.text
    versions = await client.get(
        f"/api/examples/{tenant_objects['example_id']}/versions", headers=tenant.auth()
    )
    assert [v["version_tag"] for v in versions.json()["items"]] == ["1.0"]
    async with platform.database.read_session() as session:
        payment = await session.get(Payment, uuid.UUID(tenant_objects["payment_id"]))
        endpoint = await session.get(WebhookEndpoint, uuid.UUID(tenant_objects["endpoint_id"]))
        delivery = await session.get(WebhookDelivery, uuid.UUID(tenant_objects["delivery_id"]))
    assert payment is not None and (payment.status, payment.refunded_minor) == ("paid", 0)
    assert endpoint is not None and endpoint.enabled
    assert delivery is not None and (delivery.status, delivery.attempts) == ("failed", 0)


# -- the migration that gave pending staging URLs their tenant ---------------------------------


@pytest.fixture
async def empty_database(dialect: str, tmp_path: Path) -> AsyncIterator[Database]:
    url = (
        await create_postgres_database()
        if dialect == "postgres"
        else f"sqlite+aiosqlite:///{tmp_path / 'migrate.db'}"
    )
    database = Database(url)
    yield database
    await database.dispose()
    if dialect == "postgres":
        await drop_postgres_database(url)


async def test_upgrading_gives_each_pending_staging_url_the_tenant_of_its_event(
    empty_database: Database,
) -> None:
    await migrations.upgrade(empty_database.engine, "0006")
    tenant_id, known, orphan = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    pending = sa.table(
        "distribution_pending_staging_urls",
        sa.column("course_id", sa.Uuid()),
        sa.column("staging_url", sa.String()),
        sa.column("received_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    async with empty_database.engine.begin() as conn:
        await conn.execute(
            sa.insert(Tenant.__table__).values(id=tenant_id, name="acme", created_at=now)
        )
        for course_id in (known, orphan):
            await conn.execute(
                sa.insert(pending).values(course_id=course_id, staging_url="u", received_at=now)
            )
        await conn.execute(
            sa.insert(EventRecord.__table__).values(
                id=uuid.uuid4(),
                type="course.deployed.staging",
                source="course_factory",
                target=None,
                timestamp=now,
                payload={},
                schema_version=1,
                producer="test",
                source_module="course_factory",
                tenant_id=tenant_id,
                correlation_id=uuid.uuid4(),
                causation_id=None,
                aggregate_id=str(known),
                sequence=1,
            )
        )
    await migrations.upgrade(empty_database.engine)
    async with empty_database.engine.connect() as conn:
        rows = (
            await conn.execute(sa.select(PendingStagingUrl.course_id, PendingStagingUrl.tenant_id))
        ).all()
    assert [tuple(row) for row in rows] == [(known, tenant_id)]
    await migrations.downgrade(empty_database.engine, "0006")
