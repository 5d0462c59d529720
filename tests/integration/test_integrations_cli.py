"""`brain webhooks …` and `brain analytics rebuild` on a fresh SQLite database."""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest
from typer.testing import CliRunner

from brain.bootstrap import build_platform, load_platform_settings
from brain.cli import app
from brain.kernel.auth.service import AuthService
from tests.support.integrations import SUBSCRIBERS, deps, distribution_created, publish, pump
from tests.support.receiver import receiving

runner = CliRunner()
ID = r"[0-9a-f-]{36}"


def brain(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def acme(cli_env: dict[str, str]) -> str:
    assert brain("db", "upgrade").exit_code == 0
    assert brain("tenant", "create", "acme").exit_code == 0
    return "acme"


def test_an_insecure_or_private_url_is_refused_naming_the_option(acme: str) -> None:
    result = brain(
        "webhooks", "add", "--tenant", acme, "--url", "http://127.0.0.1:9/h", "--event-type", "*"
    )
    assert result.exit_code == 2
    assert "--url: must use https" in result.output
    unknown = brain("webhooks", "list", "--tenant", "nobody")
    assert unknown.exit_code == 2 and "no tenant named 'nobody'" in unknown.output


def test_add_list_rotate_deliveries_redeliver_and_rebuild(
    acme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRAIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true")
    monkeypatch.setenv("BRAIN_WEBHOOKS_ALLOW_INSECURE", "true")
    with receiving() as receiver:
        added = brain(
            "webhooks",
            "add",
            "--tenant",
            acme,
            "--url",
            receiver.url(),
            "--event-type",
            "distribution.*",
            "--event-type",
            "alert.*",
        )
        assert added.exit_code == 0, added.output
        endpoint_id = re.search(rf"endpoint ({ID}) registered", added.output)[1]
        secret = re.search(r"whsec_\S+", added.output)[0]

        listed = brain("webhooks", "list", "--tenant", acme)
        assert f"{endpoint_id}\tenabled\t{receiver.url()}\tdistribution.*,alert.*" in listed.output
        assert secret not in listed.output

        rotated = brain("webhooks", "rotate", endpoint_id, "--tenant", acme)
        assert rotated.exit_code == 0, rotated.output
        assert re.search(r"whsec_\S+", rotated.output)[0] != secret
        assert "keeps signing until" in rotated.output

        asyncio.run(_deliver_one(acme))
        assert len(receiver.requests) == 1
        shown = brain("webhooks", "deliveries", endpoint_id, "--tenant", acme)
        assert shown.exit_code == 0, shown.output
        assert "delivered\tdistribution.created" in shown.output
        assert "1 of 1 deliveries" in shown.output
        delivery_id = re.search(rf"^({ID})\t", shown.output, re.MULTILINE)[1]

        again = brain("webhooks", "redeliver", delivery_id, "--tenant", acme)
        assert again.exit_code == 0 and "queued again" in again.output and "pending" in again.output
        twice = brain("webhooks", "redeliver", delivery_id, "--tenant", acme)
        assert twice.exit_code == 1 and "still pending" in twice.output
        bad = brain("webhooks", "redeliver", "not-an-id", "--tenant", acme)
        assert bad.exit_code == 2

    rebuilt = brain("analytics", "rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "1 event(s) counted" in rebuilt.output


async def _deliver_one(tenant: str) -> None:
    platform = build_platform(load_platform_settings(_env_file=None))
    try:
        for name in SUBSCRIBERS:
            await platform.events.runtime.ensure_subscription(platform.events.registry.get(name))
        async with platform.unit_of_work() as uow:
            tenant_id = (await AuthService(uow.session).tenant_named(tenant)).id
        await publish(
            platform,
            "distribution.created",
            distribution_created(uuid.uuid4(), uuid.uuid4()),
            tenant_id,
        )
        await pump(platform)
        assert await deps(platform).delivery.deliver_due() == ["delivered"]
    finally:
        await platform.close()
