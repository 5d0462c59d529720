"""The dashboard's webhook pages and the overview's figures of the day, through integrations'
operator contracts: an admin adds an endpoint (its secret shown once, the API's messages at the
fields), sends a test event that a real receiver on loopback gets, reads the delivery log and
redelivers; other roles see nothing of it and a forged form is refused; another tenant's endpoint
answers 404; a form without its CSRF token changes nothing."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from brain.bootstrap import Platform, create_app
from brain.kernel.auth.models import Role
from brain.kernel.clock import utcnow
from tests.conftest import TenantKeys, make_tenant
from tests.support.dashboard import Dashboard, dashboard, field_errors, flash, post_forms, text_of
from tests.support.integrations import (
    PlatformFactory,
    deliveries,
    distribution_created,
    publish,
    settle,
)
from tests.support.receiver import Receiver, receiving

pytestmark = pytest.mark.usefixtures("dialect")


@pytest.fixture
async def platform(make_platform: PlatformFactory, database_url: str) -> Platform:
    return await make_platform(database_url)


@pytest.fixture
async def tenant(platform: Platform) -> TenantKeys:
    return await make_tenant(platform, f"w-{uuid.uuid4().hex[:12]}")


@pytest.fixture
def receiver() -> AsyncIterator[Receiver]:
    with receiving() as started:
        yield started


class Browsers:
    def __init__(self, platform: Platform) -> None:
        self.app = create_app(platform)
        self.opened: list[object] = []

    async def sign_in(self, tenant: TenantKeys, role: Role) -> Dashboard:
        context = dashboard(self.app, client=("127.0.0.1", 1000 + len(self.opened)))
        browser = await context.__aenter__()
        self.opened.append(context)
        assert (await browser.sign_in(tenant.keys[role])).status_code == 303
        return browser

    async def close(self) -> None:
        for context in self.opened:
            await context.__aexit__(None, None, None)  # type: ignore[attr-defined]


@pytest.fixture
async def browsers(platform: Platform) -> AsyncIterator[Browsers]:
    opened = Browsers(platform)
    yield opened
    await opened.close()


async def endpoint_of(
    admin: Dashboard, receiver: Receiver, types: str = "webhook.test.requested"
) -> str:
    made = await admin.post("/admin/webhooks", {"url": receiver.url(), "event_types": types})
    assert made.status_code == 201, made.text
    found = re.search(r'href="/admin/webhooks/([0-9a-f-]{36})"', made.text)
    assert found is not None
    return found[1]


async def test_an_admin_adds_an_endpoint_shown_once_with_the_apis_messages_at_the_fields(
    browsers: Browsers, tenant: TenantKeys, receiver: Receiver
) -> None:
    admin = await browsers.sign_in(tenant, Role.ADMIN)
    bad = await admin.post("/admin/webhooks", {"url": "ftp://nowhere", "event_types": ""})
    assert bad.status_code == 422
    assert field_errors(bad.text, "event_types") == [
        "List should have at least 1 item after validation, not 0"
    ]
    unknown = await admin.post("/admin/webhooks", {"url": receiver.url(), "event_types": "x.*"})
    assert field_errors(unknown.text, "event_types") == [
        "'x.*' matches no event type (see `brain events types`)"
    ]
    refused = await admin.post(
        "/admin/webhooks", {"url": "ftp://nowhere", "event_types": "webhook.*"}
    )
    assert refused.status_code == 422
    [reason] = field_errors(refused.text, "url")
    assert "http" in reason
    assert 'value="ftp://nowhere"' in refused.text, "what was typed stays in the form"
    made = await admin.post(
        "/admin/webhooks",
        {"url": receiver.url(), "event_types": "webhook.*, course.*", "description": "CRM"},
    )
    assert made.status_code == 201
    secret = re.search(r'<code class="secret">(whsec_[^<]+)</code>', made.text)
    assert secret is not None
    listing = await admin.get("/admin/webhooks")
    assert secret[1] not in listing.text, "the secret is shown only once"
    assert receiver.url() in listing.text and "webhook.*, course.*" in listing.text


async def test_a_test_event_reaches_the_receiver_and_is_redelivered_from_the_log(
    browsers: Browsers, platform: Platform, tenant: TenantKeys, receiver: Receiver
) -> None:
    admin = await browsers.sign_in(tenant, Role.ADMIN)
    endpoint_id = await endpoint_of(admin, receiver)
    sent = await admin.post(f"/admin/webhooks/{endpoint_id}/test")
    assert sent.status_code == 303
    assert flash((await admin.get(sent.headers["location"])).text) == "Test event queued."

    async def delivered() -> bool:
        return any(
            d.status == "delivered" and d.event_type == "webhook.test.requested"
            for d in await deliveries(platform)
        )

    await settle(platform, delivered)
    assert len([r for r in receiver.requests if r.method == "POST"]) == 1
    page = await admin.get(f"/admin/webhooks/{endpoint_id}")
    assert "webhook.test.requested" in page.text and "delivered" in page.text
    [delivery] = await deliveries(platform)
    action = f"/admin/webhooks/deliveries/{delivery.id}/redeliver"
    assert action in post_forms(page.text)
    again = await admin.post(action, {"endpoint_id": endpoint_id})
    assert again.status_code == 303
    assert flash((await admin.get(again.headers["location"])).text) == "Delivery queued again."

    await settle(platform, lambda: len([r for r in receiver.requests if r.method == "POST"]) == 2)
    first, second = [r for r in receiver.requests if r.method == "POST"]
    assert first.headers["webhook-id"] == second.headers["webhook-id"]

    disabled = await admin.post(f"/admin/webhooks/{endpoint_id}/disable")
    assert flash((await admin.get(disabled.headers["location"])).text) == "Endpoint updated."
    refused = await admin.post(action, {"endpoint_id": endpoint_id})
    shown = await admin.get(refused.headers["location"])
    assert "is disabled; enable it first" in flash(shown.text)


async def test_only_admins_see_webhooks_and_a_forged_write_is_refused(
    browsers: Browsers, platform: Platform, tenant: TenantKeys, receiver: Receiver
) -> None:
    admin = await browsers.sign_in(tenant, Role.ADMIN)
    endpoint_id = await endpoint_of(admin, receiver)
    for role in (Role.EDITOR, Role.VIEWER):
        other = await browsers.sign_in(tenant, role)
        assert 'href="/admin/webhooks"' not in (await other.get("/admin")).text
        assert (await other.get("/admin/webhooks")).status_code == 403
        assert (await other.get(f"/admin/webhooks/{endpoint_id}")).status_code == 403
        forged = await other.post(f"/admin/webhooks/{endpoint_id}/delete")
        assert forged.status_code == 403 and "may not do this" in forged.text
        made = await other.post(
            "/admin/webhooks", {"url": receiver.url("/forged"), "event_types": "course.*"}
        )
        assert made.status_code == 403
    assert (await admin.get(f"/admin/webhooks/{endpoint_id}")).status_code == 200
    assert "/forged" not in (await admin.get("/admin/webhooks")).text


async def test_another_tenants_endpoint_answers_404_and_no_csrf_token_changes_nothing(
    browsers: Browsers, platform: Platform, tenant: TenantKeys, receiver: Receiver
) -> None:
    other = await make_tenant(platform, f"o-{uuid.uuid4().hex[:12]}")
    theirs = await browsers.sign_in(other, Role.ADMIN)
    their_endpoint = await endpoint_of(theirs, receiver)
    admin = await browsers.sign_in(tenant, Role.ADMIN)
    assert (await admin.get(f"/admin/webhooks/{their_endpoint}")).status_code == 404
    assert (await admin.post(f"/admin/webhooks/{their_endpoint}/delete")).status_code == 404
    forged = await admin.post(f"/admin/webhooks/deliveries/{uuid.uuid4()}/redeliver")
    assert forged.status_code == 404
    assert receiver.url() not in (await admin.get("/admin/webhooks")).text

    mine = await endpoint_of(admin, receiver)
    refused = await admin.post(f"/admin/webhooks/{mine}/delete", {"csrf_token": ""})
    assert refused.status_code == 403 and "This form has expired" in refused.text
    assert (await admin.get(f"/admin/webhooks/{mine}")).status_code == 200
    assert (await theirs.get(f"/admin/webhooks/{their_endpoint}")).status_code == 200


async def test_the_overview_shows_todays_views_and_clicks_from_the_analytics_read_model(
    browsers: Browsers, platform: Platform, tenant: TenantKeys
) -> None:
    distribution_id, course_id = uuid.uuid4(), uuid.uuid4()
    await publish(
        platform,
        "distribution.created",
        distribution_created(distribution_id, course_id),
        tenant.tenant_id,
    )
    now = utcnow()
    window = {
        "window_start": (now - timedelta(minutes=1)).isoformat(),
        "window_end": now.isoformat(),
    }
    await publish(
        platform,
        "distribution.viewed",
        {"distribution_id": str(distribution_id), "views": 3, **window},
        tenant.tenant_id,
    )
    await publish(
        platform,
        "distribution.enrollment_clicked",
        {
            "distribution_id": str(distribution_id),
            "course_id": str(course_id),
            "clicks": 1,
            **window,
        },
        tenant.tenant_id,
    )
    viewer = await browsers.sign_in(tenant, Role.VIEWER)

    async def counted() -> bool:
        text = text_of((await viewer.get("/admin")).text)
        return "Views today 3" in text and "Enrolment clicks today 1" in text

    await settle(platform, counted, deliver=False)
