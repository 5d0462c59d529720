"""The webhook endpoints API: secrets shown once, rotation, SSRF refusals at registration, bad
input naming the field, tenant scoping and roles, and the metrics it feeds."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from standardwebhooks.webhooks import Webhook

from brain.bootstrap import Platform
from brain.integrations.models import WebhookEndpoint
from brain.kernel.auth.models import Role
from brain.kernel.clock import utcnow
from tests.conftest import TenantKeys, make_tenant
from tests.support.integrations import (
    PlatformFactory,
    deliveries,
    distribution_created,
    http,
    publish,
    register,
    settle,
)
from tests.support.receiver import receiving

ENDPOINTS = "/api/webhooks/endpoints"


@pytest.fixture
async def strict(make_platform: PlatformFactory, migrated_sqlite: str) -> Platform:
    """The production defaults: https only, no private targets."""
    return await make_platform(
        migrated_sqlite, webhooks_allow_private_targets=False, webhooks_allow_insecure=False
    )


@pytest.fixture
async def acme(strict: Platform) -> TenantKeys:
    return await make_tenant(strict, "acme")


@pytest.fixture
async def api(strict: Platform) -> httpx.AsyncClient:
    async with http(strict) as client:
        yield client


def field_errors(response: httpx.Response) -> dict[str, str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return {e["field"]: e["reason"] for e in response.json()["errors"]}


async def test_an_endpoint_shows_its_secret_once(api: httpx.AsyncClient, acme: TenantKeys) -> None:
    created = await api.post(
        ENDPOINTS,
        headers=acme.auth(),
        json={
            "url": "https://93.184.216.34/hooks/brain",
            "event_types": ["distribution.*", "course.payment.completed"],
            "description": "CRM sync",
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    secret = body["secret"]
    assert secret.startswith("whsec_")
    assert 24 <= len(base64.b64decode(secret.removeprefix("whsec_"))) <= 64
    shown = await api.get(f"{ENDPOINTS}/{body['id']}", headers=acme.auth())
    listed = await api.get(ENDPOINTS, headers=acme.auth())
    assert "secret" not in shown.json() and secret not in shown.text
    assert secret not in listed.text and listed.json()["total"] == 1
    assert shown.json()["event_types"] == ["distribution.*", "course.payment.completed"]
    assert shown.json()["enabled"] is True


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://93.184.216.34/hook", "must use https"),
        ("https://127.0.0.1/hook", "loopback"),
        ("https://10.1.2.3/hook", "private"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://[::1]:8443/hook", "loopback"),
        ("https://[fd00::1]/hook", "private"),
        ("https://[::ffff:127.0.0.1]/hook", "loopback"),
        ("https://localhost/hook", "resolves to a loopback"),
        ("ftp://example.com/hook", "https://"),
        ("https:///no-host", "no host"),
        # host names IDNA cannot encode (the resolver used to raise UnicodeError: a 500)
        ("https://a..b/hook", "is not a valid host name"),
        ("https://" + "a" * 64 + ".org/hook", "is not a valid host name"),
        ("https://\u00ad.org/hook", "is not a valid host name"),
    ],
)
async def test_unsafe_urls_are_refused_at_registration(
    api: httpx.AsyncClient, acme: TenantKeys, url: str, reason: str
) -> None:
    response = await api.post(
        ENDPOINTS, headers=acme.auth(), json={"url": url, "event_types": ["*"]}
    )
    assert response.status_code == 422
    assert reason in field_errors(response)["body.url"]
    assert (await api.get(ENDPOINTS, headers=acme.auth())).json()["total"] == 0


async def test_a_public_ipv6_address_is_accepted(api: httpx.AsyncClient, acme: TenantKeys) -> None:
    response = await api.post(
        ENDPOINTS,
        headers=acme.auth(),
        json={"url": "https://[2001:4860:4860::8888]/hook", "event_types": ["alert.*"]},
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"url": "https://93.184.216.34/h", "event_types": []}, "body.event_types", "at least 1"),
        (
            {"url": "https://93.184.216.34/h", "event_types": ["nope.*"]},
            "body.event_types",
            "no event",
        ),
        ({"url": "https://93.184.216.34/h", "event_types": ["a b"]}, "body.event_types", "pattern"),
        (
            {"url": "https://93.184.216.34/h", "event_types": ["*", "*"]},
            "body.event_types",
            "twice",
        ),
        ({"url": "https://93.184.216.34/h", "event_types": ["*"], "x": 1}, "body.x", "Extra"),
        ({"event_types": ["*"]}, "body.url", "required"),
    ],
)
async def test_bad_input_names_the_field(
    api: httpx.AsyncClient, acme: TenantKeys, body: dict, field: str, reason: str
) -> None:
    response = await api.post(ENDPOINTS, headers=acme.auth(), json=body)
    assert response.status_code == 422
    errors = field_errors(response)
    assert any(name.startswith(field) and reason in text for name, text in errors.items()), errors


async def test_a_patch_changes_what_is_given_and_refuses_nothing_or_an_unsafe_url(
    api: httpx.AsyncClient, acme: TenantKeys, strict: Platform
) -> None:
    created = await api.post(
        ENDPOINTS,
        headers=acme.auth(),
        json={"url": "https://93.184.216.34/h", "event_types": ["*"]},
    )
    endpoint = f"{ENDPOINTS}/{created.json()['id']}"
    empty = await api.patch(endpoint, headers=acme.auth(), json={})
    unsafe = await api.patch(endpoint, headers=acme.auth(), json={"url": "https://10.0.0.7/"})
    changed = await api.patch(
        endpoint,
        headers=acme.auth(),
        json={"event_types": ["course.*"], "description": "ops", "enabled": False},
    )
    assert empty.status_code == 422 and "body" in field_errors(empty)
    assert unsafe.status_code == 422 and "private" in field_errors(unsafe)["body.url"]
    assert changed.status_code == 200
    assert changed.json()["event_types"] == ["course.*"]
    assert changed.json()["enabled"] is False and changed.json()["disabled_reason"] == "operator"
    assert changed.json()["url"] == "https://93.184.216.34/h"
    test = await api.post(f"{endpoint}/test", headers=acme.auth())
    assert test.status_code == 409, "a disabled endpoint is not sent a test"
    events = await api.get("/api/events?type=webhook.endpoint.*", headers=acme.auth())
    kinds = [(e["type"], e["payload"].get("changed_fields")) for e in events.json()["items"]]
    assert kinds == [
        ("webhook.endpoint.created", None),
        ("webhook.endpoint.updated", ["event_types", "description", "enabled"]),
    ]


async def test_another_tenants_endpoints_and_deliveries_are_not_found(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite)
    acme = await make_tenant(platform, "acme")
    globex = await make_tenant(platform, "globex")
    with receiving() as receiver:
        async with http(platform) as client:
            endpoint_id, _ = await register(client, acme.auth(), receiver.url(), ["distribution.*"])
            await publish(
                platform,
                "distribution.created",
                distribution_created(uuid.uuid4(), uuid.uuid4()),
                acme.tenant_id,
            )
            await settle(platform, lambda: receiver.requests)
            (delivery,) = await deliveries(platform)
            theirs = globex.auth()
            answers = [
                await client.get(f"{ENDPOINTS}/{endpoint_id}", headers=theirs),
                await client.patch(
                    f"{ENDPOINTS}/{endpoint_id}", headers=theirs, json={"enabled": False}
                ),
                await client.delete(f"{ENDPOINTS}/{endpoint_id}", headers=theirs),
                await client.post(f"{ENDPOINTS}/{endpoint_id}/rotate-secret", headers=theirs),
                await client.post(f"{ENDPOINTS}/{endpoint_id}/test", headers=theirs),
                await client.get(f"{ENDPOINTS}/{endpoint_id}/deliveries", headers=theirs),
                await client.get(f"/api/webhooks/deliveries/{delivery.id}", headers=theirs),
                await client.post(
                    f"/api/webhooks/deliveries/{delivery.id}/redeliver", headers=theirs
                ),
            ]
            listed = await client.get(ENDPOINTS, headers=theirs)
            editor = await client.get(ENDPOINTS, headers=acme.auth(Role.EDITOR))
            mine = await client.get(f"{ENDPOINTS}/{endpoint_id}", headers=acme.auth())
    assert [a.status_code for a in answers] == [404] * len(answers)
    assert listed.json()["total"] == 0
    assert editor.status_code == 403
    assert mine.json()["enabled"] is True, "nothing the other tenant tried changed it"


async def test_rotation_signs_with_both_secrets_until_the_old_one_expires(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite)
    acme = await make_tenant(platform, "acme")
    with receiving() as receiver:
        async with http(platform) as client:
            endpoint_id, old = await register(
                client, acme.auth(), receiver.url(), ["distribution.*"]
            )
            rotated = await client.post(
                f"{ENDPOINTS}/{endpoint_id}/rotate-secret", headers=acme.auth()
            )
            new = rotated.json()["secret"]
            await publish(
                platform,
                "distribution.created",
                distribution_created(uuid.uuid4(), uuid.uuid4()),
                acme.tenant_id,
            )
            await settle(platform, lambda: len(receiver.requests) == 1)
            async with platform.unit_of_work() as uow:
                await uow.session.execute(
                    update(WebhookEndpoint)
                    .where(WebhookEndpoint.id == endpoint_id)
                    .values(previous_secret_expires_at=utcnow() - timedelta(seconds=1))
                )
            await publish(
                platform,
                "distribution.created",
                distribution_created(uuid.uuid4(), uuid.uuid4()),
                acme.tenant_id,
            )
            await settle(platform, lambda: len(receiver.requests) == 2)
    assert new != old and new.startswith("whsec_")
    expires = rotated.json()["previous_secret_expires_at"]
    assert expires is not None
    during, after = receiver.requests
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        Webhook(secret).verify(during.body, during.headers)
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    Webhook(new).verify(after.body, after.headers)
    with pytest.raises(Exception, match="signature"):
        Webhook(old).verify(after.body, after.headers)


async def test_deleting_an_endpoint_removes_its_log(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite)
    acme = await make_tenant(platform, "acme")
    with receiving() as receiver:
        async with http(platform) as client:
            endpoint_id, _ = await register(client, acme.auth(), receiver.url(), ["*"])
            await settle(platform, lambda: receiver.requests)
            deleted = await client.delete(f"{ENDPOINTS}/{endpoint_id}", headers=acme.auth())
            gone = await client.get(f"{ENDPOINTS}/{endpoint_id}", headers=acme.auth())
            events = await client.get(
                "/api/events?type=webhook.endpoint.deleted", headers=acme.auth()
            )
    assert deleted.status_code == 204 and gone.status_code == 404
    assert await deliveries(platform) == []
    assert [e["payload"] for e in events.json()["items"]] == [{"endpoint_id": str(endpoint_id)}]


async def test_a_tenant_has_at_most_twenty_endpoints(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite)
    acme = await make_tenant(platform, "acme")
    async with http(platform) as client:
        for number in range(20):
            await register(client, acme.auth(), f"http://127.0.0.1:9/{number}", ["alert.*"])
        refused = await client.post(
            ENDPOINTS,
            headers=acme.auth(),
            json={"url": "http://127.0.0.1:9/x", "event_types": ["*"]},
        )
    assert refused.status_code == 409


async def test_metrics_show_deliveries_by_outcome_latency_pending_and_disabled_endpoints(
    make_platform: PlatformFactory, migrated_sqlite: str
) -> None:
    platform = await make_platform(migrated_sqlite)
    acme = await make_tenant(platform, "acme")
    with receiving() as receiver:
        async with http(platform) as client:
            await register(client, acme.auth(), receiver.url(), ["distribution.*"])
            await register(
                client, acme.auth(), "http://127.0.0.1:9/off", ["distribution.*"], enabled=False
            )
            await publish(
                platform,
                "distribution.created",
                distribution_created(uuid.uuid4(), uuid.uuid4()),
                acme.tenant_id,
            )
            await settle(platform, lambda: receiver.requests)
            text = (await client.get("/metrics")).text
    assert 'brain_webhook_deliveries_total{outcome="delivered"} 1.0' in text
    assert "brain_webhook_delivery_duration_seconds_count 1.0" in text
    assert "brain_webhook_deliveries_pending 0.0" in text
    assert "brain_webhook_endpoints_disabled 1.0" in text
