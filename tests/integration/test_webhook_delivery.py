"""Webhook delivery against a real receiving HTTP server on loopback: Standard Webhooks signatures
checked with the specification's own package, retries, 410, auto-disable, order, tenant
isolation, redirects, SSRF at delivery time, pruning, several workers, and a slow receiver beside
the distribution consumer."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from standardwebhooks.webhooks import Webhook

from brain.course_distribution.models import Distribution
from brain.integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from brain.integrations.schemas import EndpointCreate
from brain.integrations.service import WebhookService
from brain.kernel.clock import utcnow
from tests.conftest import make_tenant
from tests.support.integrations import (
    PlatformFactory,
    deliveries,
    deps,
    distribution_created,
    distribution_published,
    distribution_updated,
    http,
    publish,
    pump,
    register,
    settle,
)
from tests.support.receiver import Receiver, Reply, receiving


@pytest.fixture
def receiver() -> Receiver:
    with receiving() as server:
        yield server


async def test_a_delivery_is_signed_per_standard_webhooks_and_carries_the_event_as_the_api_shows(
    make_platform: PlatformFactory,
    migrated_sqlite: str,
    receiver: Receiver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    platform = await make_platform(migrated_sqlite)
    tenant = await make_tenant(platform, "acme")
    secret_path = "/services/T0001/B0002/s3cr3tT0k3n"
    async with http(platform) as client:
        _endpoint, secret = await register(
            client, tenant.auth(), receiver.url(secret_path), ["distribution.*"]
        )
        event = await publish(
            platform,
            "distribution.published",
            distribution_published(uuid.uuid4(), uuid.uuid4()),
            tenant.tenant_id,
        )
        with caplog.at_level(logging.INFO):
            await settle(platform, lambda: receiver.requests)
        shown = (await client.get(f"/api/events/{event.id}", headers=tenant.auth())).json()

    (request,) = receiver.requests
    assert request.headers["webhook-id"] == str(event.id)
    assert request.headers["content-type"] == "application/json"
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
    verified = Webhook(secret).verify(request.body, request.headers)
    assert verified == shown
    assert verified["type"] == "distribution.published"
    assert verified["meta"]["tenant_id"] == str(tenant.tenant_id)
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "QUFB" * 8).verify(request.body, request.headers)
    assert request.path == secret_path
    assert not [r for r in caplog.records if "s3cr3t" in r.getMessage()], (
        "a receiver's URL may carry its credentials: it is not logged"
    )


async def test_a_receiver_answering_500_twice_then_200_gets_it_three_times_and_it_is_delivered(
    make_platform: PlatformFactory, migrated_sqlite: str, receiver: Receiver
) -> None:
    platform = await make_platform(migrated_sqlite)
    tenant = await make_tenant(platform, "acme")
    receiver.script(Reply(500, b"down"), Reply(500, b"still down"))
    async with http(platform) as client:
        endpoint_id, _ = await register(client, tenant.auth(), receiver.url(), ["distribution.*"])
        event = await publish(
            platform,
            "distribution.created",
            distribution_created(uuid.uuid4(), uuid.uuid4()),
            tenant.tenant_id,
        )
        await settle(platform, lambda: len(receiver.requests) == 3)
        await settle(platform, _all_finished(platform))
        log = await client.get(
            f"/api/webhooks/endpoints/{endpoint_id}/deliveries", headers=tenant.auth()
        )
        (item,) = log.json()["items"]
        detail = await client.get(f"/api/webhooks/deliveries/{item['id']}", headers=tenant.auth())

    assert {r.headers["webhook-id"] for r in receiver.requests} == {str(event.id)}
    assert item["status"] == "delivered" and item["attempts"] == 3
    assert item["last_status_code"] == 200 and item["next_attempt_at"] is None
    attempts = detail.json()["attempt_log"]
    assert [a["status_code"] for a in attempts] == [500, 500, 200]
    assert [a["response_excerpt"] for a in attempts] == ["down", "still down", "ok"]
    assert all(a["duration_ms"] >= 0 for a in attempts)


async def test_the_schedule_exhausted_leaves_the_delivery_failed_and_visible(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite, webhooks_retry_schedule="0.02,0.02")
    tenant = await make_tenant(platform, "acme")
    with receiving(Reply(503, b"x" * 5000)) as receiver:
        async with http(platform) as client:
            endpoint_id, _ = await register(
                client, tenant.auth(), receiver.url(), ["distribution.*"]
            )
            await publish(
                platform,
                "distribution.created",
                distribution_created(uuid.uuid4(), uuid.uuid4()),
                tenant.tenant_id,
            )
            await settle(platform, _all_finished(platform))
            failed = await client.get(
                f"/api/webhooks/endpoints/{endpoint_id}/deliveries?status=failed",
                headers=tenant.auth(),
            )
    assert len(receiver.requests) == 3, "one attempt and two retries"
    (item,) = failed.json()["items"]
    assert item["attempts"] == 3 and item["last_status_code"] == 503
    assert item["next_attempt_at"] is None
    assert len(item["last_response"].encode()) == 2048, "the excerpt stops at 2 KiB"


async def test_retry_after_is_honoured(
    make_platform: PlatformFactory, migrated_sqlite: str, receiver: Receiver
) -> None:
    platform = await make_platform(migrated_sqlite)
    tenant = await make_tenant(platform, "acme")
    receiver.script(Reply(429, b"slow down", {"Retry-After": "1"}))
    async with http(platform) as client:
        await register(client, tenant.auth(), receiver.url(), ["distribution.*"])
    await publish(
        platform,
        "distribution.created",
        distribution_created(uuid.uuid4(), uuid.uuid4()),
        tenant.tenant_id,
    )
    await settle(platform, lambda: len(receiver.requests) == 2)
    first, second = receiver.requests
    assert second.at - first.at >= 0.95, "the schedule says 0.05 s, the receiver 1 s"


async def test_410_gone_disables_the_endpoint_and_no_more_is_sent_to_it(
    make_platform: PlatformFactory, migrated_sqlite: str, receiver: Receiver
) -> None:
    platform = await make_platform(migrated_sqlite)
    tenant = await make_tenant(platform, "acme")
    receiver.script(Reply(410, b"gone"))
    async with http(platform) as client:
        endpoint_id, _ = await register(client, tenant.auth(), receiver.url(), ["distribution.*"])
        await publish(
            platform,
            "distribution.created",
            distribution_created(uuid.uuid4(), uuid.uuid4()),
            tenant.tenant_id,
        )
        await settle(platform, _all_finished(platform))
        shown = (
            await client.get(f"/api/webhooks/endpoints/{endpoint_id}", headers=tenant.auth())
        ).json()
        await publish(
            platform,
            "distribution.created",
            distribution_created(uuid.uuid4(), uuid.uuid4()),
            tenant.tenant_id,
        )
        await settle(platform, lambda: True)
        events = await client.get(
            "/api/events?type=webhook.endpoint.disabled", headers=tenant.auth()
        )
    assert len(receiver.requests) == 1
    assert shown["enabled"] is False and shown["disabled_reason"] == "gone"
    (disabled,) = events.json()["items"]
    assert disabled["payload"] == {
        "endpoint_id": str(endpoint_id),
        "reason_code": "gone",
        "failing_since": None,
        "last_status_code": 410,
    }
    assert [d.status for d in await deliveries(platform)] == ["failed"], (
        "a disabled endpoint gets no new deliveries"
    )


async def test_an_endpoint_whose_deliveries_all_fail_for_the_period_is_disabled(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(
        migrated_sqlite,
        webhooks_retry_schedule="0.15,0.15,0.15,0.15,0.15",
        webhooks_disable_after_seconds=0.4,
    )
    tenant = await make_tenant(platform, "acme")
    with receiving(Reply(500)) as receiver:
        async with http(platform) as client:
            endpoint_id, _ = await register(
                client, tenant.auth(), receiver.url(), ["distribution.*"]
            )
            await publish(
                platform,
                "distribution.created",
                distribution_created(uuid.uuid4(), uuid.uuid4()),
                tenant.tenant_id,
            )
            await settle(platform, _endpoint(platform, endpoint_id, "disabled"))
            shown = (
                await client.get(f"/api/webhooks/endpoints/{endpoint_id}", headers=tenant.auth())
            ).json()
            events = await client.get(
                "/api/events?type=webhook.endpoint.disabled", headers=tenant.auth()
            )
            sent = len(receiver.requests)
            # Re-enabling forgets the failures; the waiting delivery goes out again.
            enabled = await client.patch(
                f"/api/webhooks/endpoints/{endpoint_id}",
                headers=tenant.auth(),
                json={"enabled": True},
            )
            await settle(platform, lambda: len(receiver.requests) > sent)
    assert shown["disabled_reason"] == "failing" and shown["failing_since"] is not None
    assert 2 <= sent <= 5
    (disabled,) = events.json()["items"]
    assert disabled["payload"]["reason_code"] == "failing"
    assert disabled["payload"]["last_status_code"] == 500
    assert enabled.json()["enabled"] is True and enabled.json()["failing_since"] is None


async def test_redelivery_keeps_the_webhook_id_and_signs_afresh(
    make_platform: PlatformFactory, migrated_sqlite: str, receiver: Receiver
) -> None:
    platform = await make_platform(migrated_sqlite)
    tenant = await make_tenant(platform, "acme")
    async with http(platform) as client:
        endpoint_id, secret = await register(
            client, tenant.auth(), receiver.url(), ["distribution.*"]
        )
        await publish(
            platform,
            "distribution.created",
            distribution_created(uuid.uuid4(), uuid.uuid4()),
            tenant.tenant_id,
        )
        await settle(platform, _all_finished(platform))
        (delivery,) = await deliveries(platform)
        again = await client.post(
            f"/api/webhooks/deliveries/{delivery.id}/redeliver", headers=tenant.auth()
        )
        twice = await client.post(
            f"/api/webhooks/deliveries/{delivery.id}/redeliver", headers=tenant.auth()
        )
        await settle(platform, lambda: len(receiver.requests) == 2)
        await settle(platform, _all_finished(platform))
        shown = await client.get(f"/api/webhooks/deliveries/{delivery.id}", headers=tenant.auth())

    assert again.status_code == 202 and again.json()["status"] == "pending"
    assert twice.status_code == 409, "a pending delivery is not queued twice"
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == str(delivery.event_id)
    assert first.body == second.body
    for request in (first, second):
        Webhook(secret).verify(request.body, request.headers)
    assert shown.json()["attempts"] == 2 and shown.json()["status"] == "delivered"
    assert endpoint_id == delivery.endpoint_id


async def test_the_test_event_goes_to_its_endpoint_only(
    make_platform: PlatformFactory, migrated_sqlite: str, receiver: Receiver
) -> None:
    platform = await make_platform(migrated_sqlite)
    tenant = await make_tenant(platform, "acme")
    async with http(platform) as client:
        first, secret = await register(client, tenant.auth(), receiver.url("/a"), ["course.*"])
        await register(client, tenant.auth(), receiver.url("/b"), ["*"])
        answer = await client.post(f"/api/webhooks/endpoints/{first}/test", headers=tenant.auth())
        await settle(platform, lambda: receiver.on("/a"))
        await settle(platform, _all_finished(platform))
    assert answer.status_code == 202
    (request,) = receiver.on("/a")
    body = Webhook(secret).verify(request.body, request.headers)
    assert body["type"] == "webhook.test.requested"
    assert body["id"] == answer.json()["event_id"] == request.headers["webhook-id"]
    assert body["payload"] == {"endpoint_id": str(first)}
    assert [r.json()["type"] for r in receiver.on("/b")] == ["webhook.endpoint.created"], (
        "the catch-all endpoint sees its own registration, never the other endpoint's test"
    )


async def test_another_tenants_events_never_arrive(
    make_platform: PlatformFactory, migrated_sqlite: str, receiver: Receiver
) -> None:
    platform = await make_platform(migrated_sqlite)
    acme = await make_tenant(platform, "acme")
    globex = await make_tenant(platform, "globex")
    async with http(platform) as client:
        await register(client, acme.auth(), receiver.url("/acme"), ["distribution.*"])
        await register(client, globex.auth(), receiver.url("/globex"), ["distribution.*"])
    mine = await publish(
        platform,
        "distribution.created",
        distribution_created(uuid.uuid4(), uuid.uuid4()),
        acme.tenant_id,
    )
    theirs = await publish(
        platform,
        "distribution.created",
        distribution_created(uuid.uuid4(), uuid.uuid4()),
        globex.tenant_id,
    )
    await publish(
        platform, "distribution.created", distribution_created(uuid.uuid4(), uuid.uuid4()), None
    )
    await settle(platform, lambda: len(receiver.requests) >= 2)
    await settle(platform, _all_finished(platform))
    assert [r.headers["webhook-id"] for r in receiver.on("/acme")] == [str(mine.id)]
    assert [r.headers["webhook-id"] for r in receiver.on("/globex")] == [str(theirs.id)]


async def test_events_before_an_endpoint_existed_are_not_delivered_to_it(
    make_platform: PlatformFactory, migrated_sqlite: str, receiver: Receiver
) -> None:
    platform = await make_platform(migrated_sqlite)
    tenant = await make_tenant(platform, "acme")
    await publish(
        platform,
        "distribution.created",
        distribution_created(uuid.uuid4(), uuid.uuid4()),
        tenant.tenant_id,
    )
    async with http(platform) as client:
        await register(client, tenant.auth(), receiver.url(), ["distribution.*"])
    later = await publish(
        platform,
        "distribution.created",
        distribution_created(uuid.uuid4(), uuid.uuid4()),
        tenant.tenant_id,
    )
    await settle(platform, lambda: receiver.requests)
    await settle(platform, _all_finished(platform))
    assert [r.headers["webhook-id"] for r in receiver.requests] == [str(later.id)]


async def test_a_retried_event_holds_back_later_events_of_its_aggregate_only(
    make_platform: PlatformFactory, database_url: str
) -> None:
    platform = await make_platform(database_url, webhooks_retry_schedule="1.0,1.0")
    tenant = await make_tenant(platform, "acme")
    distribution, other = uuid.uuid4(), uuid.uuid4()
    with receiving() as receiver:
        receiver.script(Reply(500))
        async with http(platform) as client:
            await register(client, tenant.auth(), receiver.url(), ["distribution.*"])
        created = await publish(
            platform,
            "distribution.created",
            distribution_created(distribution, uuid.uuid4()),
            tenant.tenant_id,
        )
        await settle(platform, lambda: len(receiver.requests) == 1)  # answered 500
        updated = await publish(
            platform,
            "distribution.updated",
            distribution_updated(distribution, "a-course"),
            tenant.tenant_id,
        )
        unrelated = await publish(
            platform,
            "distribution.created",
            distribution_created(other, uuid.uuid4(), slug="other"),
            tenant.tenant_id,
        )
        await settle(platform, lambda: len(receiver.requests) == 4)
    ids = [r.headers["webhook-id"] for r in receiver.requests]
    assert ids[:2] == [str(created.id), str(unrelated.id)], (
        "the other aggregate is not held back while the first event waits for its retry"
    )
    assert ids[2:] == [str(created.id), str(updated.id)]


async def test_a_redirect_is_not_followed(
    make_platform: PlatformFactory, migrated_sqlite: str, receiver: Receiver
) -> None:
    platform = await make_platform(migrated_sqlite)
    tenant = await make_tenant(platform, "acme")
    receiver.script(Reply(302, b"", {"Location": receiver.url("/elsewhere")}))
    async with http(platform) as client:
        await register(client, tenant.auth(), receiver.url(), ["distribution.*"])
    await publish(
        platform,
        "distribution.created",
        distribution_created(uuid.uuid4(), uuid.uuid4()),
        tenant.tenant_id,
    )
    await settle(platform, lambda: len(receiver.on("/hook")) >= 2)
    assert receiver.on("/elsewhere") == []
    async with platform.database.read_session() as session:
        codes = list(
            await session.scalars(
                select(WebhookAttempt.status_code).order_by(WebhookAttempt.attempted_at)
            )
        )
    assert codes == [302, 200], "a redirect is a failed attempt, retried at the same URL"


async def test_a_host_that_resolves_to_loopback_at_delivery_time_is_refused_then(
    make_platform: PlatformFactory, migrated_sqlite: str, receiver: Receiver
) -> None:
    platform = await make_platform(migrated_sqlite, webhooks_allow_private_targets=False)
    tenant = await make_tenant(platform, "acme")
    answers = {"hooks.example.com": ["93.184.216.34"]}

    async def resolver(host: str, port: int) -> list[str]:
        return answers[host]

    url = f"http://hooks.example.com:{receiver.port}/hook"
    async with platform.unit_of_work() as uow:
        service = WebhookService(
            uow, platform.events.publisher, deps(platform).settings, resolver=resolver
        )
        await service.create(tenant.tenant_id, EndpointCreate(url=url, event_types=["*"]))
    answers["hooks.example.com"] = ["127.0.0.1"]  # the DNS record changed since
    deps(platform).delivery.sender.resolver = resolver
    await settle(platform, _attempted(platform))
    assert receiver.requests == []
    (delivery,) = await deliveries(platform)
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert "loopback" in (delivery.last_error or "")


async def test_deliveries_older_than_the_retention_are_pruned(
    make_platform: PlatformFactory, migrated_sqlite: str, receiver: Receiver
) -> None:
    platform = await make_platform(migrated_sqlite)
    tenant = await make_tenant(platform, "acme")
    async with http(platform) as client:
        await register(client, tenant.auth(), receiver.url(), ["distribution.*"])
    for _ in range(2):
        await publish(
            platform,
            "distribution.created",
            distribution_created(uuid.uuid4(), uuid.uuid4()),
            tenant.tenant_id,
        )
    await settle(platform, _all_finished(platform, 2))
    old, recent = await deliveries(platform)
    async with platform.unit_of_work() as uow:
        await uow.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == old.id)
            .values(created_at=utcnow() - timedelta(days=31))
        )
    assert await deps(platform).delivery.prune() == 1
    assert [d.id for d in await deliveries(platform)] == [recent.id]
    async with platform.database.read_session() as session:
        left = set(await session.scalars(select(WebhookAttempt.delivery_id)))
    assert left == {recent.id}


async def test_two_workers_send_each_delivery_once(
    make_platform: PlatformFactory, database_url: str, receiver: Receiver
) -> None:
    first = await make_platform(database_url)
    second = await make_platform(database_url)
    tenant = await make_tenant(first, "acme")
    async with http(first) as client:
        await register(client, tenant.auth(), receiver.url(), ["distribution.*"])
    published = [
        await publish(
            first,
            "distribution.created",
            distribution_created(uuid.uuid4(), uuid.uuid4()),
            tenant.tenant_id,
        )
        for _ in range(24)
    ]
    await pump(first)
    for _ in range(20):
        await asyncio.gather(
            deps(first).delivery.deliver_due(limit=5), deps(second).delivery.deliver_due(limit=5)
        )
        if len(receiver.requests) >= len(published):
            break
    ids = [r.headers["webhook-id"] for r in receiver.requests]
    assert sorted(ids) == sorted(str(e.id) for e in published)
    assert {d.status for d in await deliveries(first)} == {"delivered"}


async def test_a_slow_receiver_does_not_delay_the_distribution_consumer(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite, webhooks_timeout_seconds=10.0)
    tenant = await make_tenant(platform, "acme")
    with receiving(Reply(200, delay=2.0)) as receiver:
        async with http(platform) as client:
            await register(client, tenant.auth(), receiver.url(), ["*"])
        stop = asyncio.Event()
        worker = asyncio.gather(platform.events.run(stop), deps(platform).delivery.run(stop))
        try:
            await receiver.wait_for(1)  # webhook.endpoint.created is now held for 2 s
            course_id = uuid.uuid4()
            started = time.monotonic()
            await publish(
                platform,
                "course.generation.completed",
                _completed(course_id),
                tenant.tenant_id,
            )
            while not await _distribution_of(platform, course_id):
                assert time.monotonic() - started < 1.5, "the consumer waited for the receiver"
                await asyncio.sleep(0.02)
            took = time.monotonic() - started
            assert receiver.requests[0].at + 2.0 > time.monotonic(), "still answering"
        finally:
            stop.set()
            await worker
    assert took < 1.5


# -- helpers -------------------------------------------------------------------------------------


def _all_finished(platform, count: int = 1):
    async def done() -> bool:
        found = await deliveries(platform)
        return len(found) >= count and all(d.status != "pending" for d in found)

    return done


def _attempted(platform):
    async def done() -> bool:
        return any(d.attempts for d in await deliveries(platform))

    return done


def _endpoint(platform, endpoint_id: uuid.UUID, state: str):
    async def done() -> bool:
        async with platform.database.read_session() as session:
            endpoint = await session.get(WebhookEndpoint, endpoint_id)
            return endpoint is not None and (endpoint.enabled is (state == "enabled"))

    return done


async def _distribution_of(platform, course_id: uuid.UUID) -> bool:
    async with platform.database.read_session() as session:
        return (
            await session.scalar(select(Distribution.id).where(Distribution.course_id == course_id))
        ) is not None


def _completed(course_id: uuid.UUID) -> dict:
    return {
        "course_id": str(course_id),
        "title": "Banking alternatives",
        "description": "What else there is besides a bank account.",
        "language": "en",
        "target_audiences": ["employees"],
        "dry_run": False,
        "total_modules": 4,
        "total_lessons": 12,
        "full_lessons_generated": 2,
        "quiz_questions_count": 10,
        "evidence_pack_path": "evidence/course.zip",
        "execution_time_seconds": 12.5,
        "deployed": False,
    }
