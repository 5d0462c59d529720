"""Alerting: failed generations, dead letters, disabled endpoints and payments flagged for a
mismatched amount raise `alert.raised` to the tenant's alert endpoints and to the log, once per
cause within the window."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook

from brain.events import HandlerContext, PermanentError, Subscriber
from tests.conftest import make_tenant
from tests.support.integrations import (
    PlatformFactory,
    deps,
    distribution_created,
    generation_failed,
    http,
    publish,
    publish_at,
    pump,
    register,
    settle,
)
from tests.support.receiver import Reply, receiving

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


def alerts_of(receiver) -> list[dict]:
    return [r.json() for r in receiver.on("/alerts")]


async def test_a_burst_of_failed_generations_raises_one_alert_per_cause_to_endpoints_and_log(
    make_platform: PlatformFactory, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    platform = await make_platform(database_url, alerts_dedup_seconds=600)
    acme = await make_tenant(platform, "acme")
    with receiving() as receiver:
        async with http(platform) as client:
            _, secret = await register(client, acme.auth(), receiver.url("/alerts"), ["alert.*"])
            await register(client, acme.auth(), receiver.url("/courses"), ["course.*"])
        with caplog.at_level(logging.WARNING, logger="brain.integrations.alerts"):
            for second in range(5):
                await publish_at(
                    platform,
                    T0 + timedelta(seconds=second),
                    "course.generation.failed",
                    generation_failed(uuid.uuid4(), "TimeoutError"),
                    acme.tenant_id,
                )
            await publish_at(
                platform,
                T0 + timedelta(seconds=6),
                "course.generation.failed",
                generation_failed(uuid.uuid4(), "ValidationError"),
                acme.tenant_id,
            )
            await settle(platform, lambda: len(receiver.on("/alerts")) == 2)
    alerts = alerts_of(receiver)
    assert [a["type"] for a in alerts] == ["alert.raised", "alert.raised"]
    assert sorted(a["payload"]["summary"] for a in alerts) == [
        "A course generation failed (TimeoutError)",
        "A course generation failed (ValidationError)",
    ]
    assert {a["payload"]["severity"] for a in alerts} == {"warning"}
    assert {a["payload"]["cause"] for a in alerts} == {"generation_failed"}
    for request in receiver.on("/alerts"):
        Webhook(secret).verify(request.body, request.headers)
    logged = [r for r in caplog.records if r.getMessage().startswith("alert ")]
    assert len(logged) == 2
    assert not [r for r in receiver.on("/courses") if r.json()["type"] == "alert.raised"]


async def test_after_the_window_the_cause_alerts_again_counting_what_was_deduplicated(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite, alerts_dedup_seconds=60)
    acme = await make_tenant(platform, "acme")
    for offset in (0, 10, 50, 61, 70):
        await publish_at(
            platform,
            T0 + timedelta(seconds=offset),
            "course.generation.failed",
            generation_failed(uuid.uuid4()),
            acme.tenant_id,
        )
    await pump(platform)
    async with http(platform) as client:
        raised = await client.get("/api/events?type=alert.raised", headers=acme.auth())
    payloads = [e["payload"] for e in raised.json()["items"]]
    assert [p["suppressed_count"] for p in payloads] == [0, 2], (
        "the first at 0 s; 10 s and 50 s deduplicated; 61 s alerts again; 70 s deduplicated"
    )


async def test_an_occurrence_older_than_a_day_raises_no_alert(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite)
    acme = await make_tenant(platform, "acme")
    await publish_at(
        platform,
        T0 - timedelta(days=2),
        "course.generation.failed",
        generation_failed(uuid.uuid4()),
        acme.tenant_id,
    )
    await pump(platform)
    async with http(platform) as client:
        raised = await client.get("/api/events?type=alert.raised", headers=acme.auth())
    assert raised.json()["items"] == []


async def test_a_payment_flagged_for_a_mismatched_amount_raises_a_critical_alert(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite)
    acme = await make_tenant(platform, "acme")
    payment, course = uuid.uuid4(), uuid.uuid4()
    with receiving() as receiver:
        async with http(platform) as client:
            await register(client, acme.auth(), receiver.url("/alerts"), ["alert.raised"])
        flagged = await publish(
            platform,
            "course.payment.flagged",
            {
                "payment_id": str(payment),
                "course_id": str(course),
                "reason_code": "amount_mismatch",
            },
            acme.tenant_id,
        )
        await publish(
            platform,
            "course.payment.flagged",
            {"payment_id": str(uuid.uuid4()), "course_id": str(course), "reason_code": "dispute"},
            acme.tenant_id,
        )
        await settle(platform, lambda: receiver.on("/alerts"))
        await settle(platform, lambda: True)
    (alert,) = alerts_of(receiver)
    assert alert["payload"]["severity"] == "critical"
    assert alert["payload"]["cause"] == "payment_flagged"
    assert alert["payload"]["subject_id"] == str(payment)
    assert alert["payload"]["source_event_id"] == str(flagged.id)
    assert alert["meta"]["causation_id"] == str(flagged.id)


async def test_a_disabled_endpoint_alerts_the_tenants_other_alert_endpoints(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite)
    acme = await make_tenant(platform, "acme")
    with receiving() as receiver, receiving(Reply(410)) as gone:
        async with http(platform) as client:
            endpoint_id, _ = await register(client, acme.auth(), gone.url(), ["distribution.*"])
            await register(client, acme.auth(), receiver.url("/alerts"), ["alert.*"])
        await publish(
            platform,
            "distribution.created",
            distribution_created(uuid.uuid4(), uuid.uuid4()),
            acme.tenant_id,
        )
        await settle(platform, lambda: receiver.on("/alerts"))
    (alert,) = alerts_of(receiver)
    assert alert["payload"]["cause"] == "webhook_endpoint_disabled"
    assert alert["payload"]["subject_id"] == str(endpoint_id)
    assert "gone, last status 410" in alert["payload"]["summary"]


async def test_a_new_dead_letter_raises_one_alert(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite)
    acme = await make_tenant(platform, "acme")

    async def refuse(ctx: HandlerContext) -> None:
        raise PermanentError("cannot handle this one")

    failing = platform.events.registry.add(
        Subscriber("test_refusing_consumer", ("distribution.created",), refuse)
    )
    await platform.events.runtime.ensure_subscription(failing)
    watch = deps(platform).dead_letters
    assert await watch.check() == 0
    with receiving() as receiver:
        async with http(platform) as client:
            await register(client, acme.auth(), receiver.url("/alerts"), ["alert.*"])
        await publish(
            platform,
            "distribution.created",
            distribution_created(uuid.uuid4(), uuid.uuid4()),
            acme.tenant_id,
        )
        await pump(platform, "test_refusing_consumer")
        assert await watch.check() == 1
        assert await watch.check() == 0, "a dead letter alerts once"
        await settle(platform, lambda: receiver.on("/alerts"))
    (alert,) = alerts_of(receiver)
    assert alert["payload"]["cause"] == "dead_letter"
    assert alert["payload"]["severity"] == "critical"
    assert (
        "test_refusing_consumer dead-lettered an event of type distribution.created"
        in (alert["payload"]["summary"])
    )
    letters = await platform.events.operations.dead_letters(tenant_id=acme.tenant_id)
    assert alert["payload"]["subject_id"] == str(letters[0].id)
