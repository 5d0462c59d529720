"""The events admin API and CLI: audit log and dead letters, scoped to the caller's tenant."""

from __future__ import annotations

import uuid

import httpx
import pytest
from typer.testing import CliRunner

from brain.bootstrap import Platform, create_app
from brain.events import HandlerContext, PermanentError, Subscriber
from brain.kernel.auth.models import Role
from tests.conftest import TenantKeys, make_tenant

REQUESTED = "course.distribution.requested"


@pytest.fixture
async def api(event_platform: Platform):
    transport = httpx.ASGITransport(app=create_app(event_platform))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def acme(event_platform: Platform) -> TenantKeys:
    return await make_tenant(event_platform, "acme")


@pytest.fixture
async def globex(event_platform: Platform) -> TenantKeys:
    return await make_tenant(event_platform, "globex")


async def publish(platform: Platform, tenant: uuid.UUID, count: int, course: str | None = None):
    async with platform.unit_of_work() as uow:
        return [
            await platform.events.publisher.publish(
                uow, REQUESTED, {"course_id": course or str(uuid.uuid4())}, tenant_id=tenant
            )
            for _ in range(count)
        ]


async def test_the_audit_log_lists_only_the_callers_tenant(
    api: httpx.AsyncClient, event_platform: Platform, acme: TenantKeys, globex: TenantKeys
) -> None:
    mine = await publish(event_platform, acme.tenant_id, 3)
    theirs = await publish(event_platform, globex.tenant_id, 2)
    await event_platform.events.relay.drain()
    response = await api.get("/api/events", headers=acme.auth(Role.VIEWER))
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert ids == [str(e.id) for e in mine]
    assert all(item["published_at"] for item in response.json()["items"])
    foreign = await api.get(f"/api/events/{theirs[0].id}", headers=acme.auth())
    assert foreign.status_code == 404
    own = await api.get(f"/api/events/{mine[0].id}", headers=acme.auth(Role.VIEWER))
    assert own.json()["meta"]["tenant_id"] == str(acme.tenant_id)


async def test_the_audit_log_filters_and_paginates_with_a_cursor(
    api: httpx.AsyncClient, event_platform: Platform, acme: TenantKeys
) -> None:
    course = str(uuid.uuid4())
    trail = await publish(event_platform, acme.tenant_id, 5, course=course)
    await publish(event_platform, acme.tenant_id, 2)
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        params = {"course_id": course, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/api/events", params=params, headers=acme.auth())).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(e.id) for e in trail]
    typed = await api.get("/api/events", params={"type": "course.*"}, headers=acme.auth())
    assert len(typed.json()["items"]) == 7
    none = await api.get("/api/events", params={"type": "distribution.*"}, headers=acme.auth())
    assert none.json()["items"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "query.limit"),
        ({"limit": 100000}, "query.limit"),
        ({"since": "yesterday"}, "query.since"),
        ({"since": "2026-11-22T10:00:00"}, "query.since"),
        ({"cursor": "abc"}, "query.cursor"),
        ({"course_id": "nope"}, "query.course_id"),
    ],
)
async def test_bad_audit_queries_answer_422_naming_the_field(
    api: httpx.AsyncClient, acme: TenantKeys, params: dict, field: str
) -> None:
    response = await api.get("/api/events", params=params, headers=acme.auth())
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


async def dead_letter_for(platform: Platform, tenant: uuid.UUID) -> uuid.UUID:
    async def handler(ctx: HandlerContext) -> None:
        raise PermanentError("cannot handle this")

    if "strict" not in platform.events.registry.names():
        subscriber = platform.events.registry.add(Subscriber("strict", (REQUESTED,), handler))
        await platform.events.runtime.ensure_subscription(subscriber)
    subscriber = platform.events.registry.get("strict")
    await publish(platform, tenant, 1)
    await platform.events.relay.drain()
    await platform.events.runtime.drain(subscriber)
    letters = await platform.events.operations.dead_letters(tenant_id=tenant)
    return letters[0].id


async def test_admins_list_show_and_discard_their_dead_letters(
    api: httpx.AsyncClient, event_platform: Platform, acme: TenantKeys, globex: TenantKeys
) -> None:
    letter = await dead_letter_for(event_platform, acme.tenant_id)
    theirs = await dead_letter_for(event_platform, globex.tenant_id)
    listed = (await api.get("/api/events/dead-letters", headers=acme.auth())).json()
    assert [item["id"] for item in listed] == [str(letter)]
    shown = (await api.get(f"/api/events/dead-letters/{letter}", headers=acme.auth())).json()
    assert shown["kind"] == "permanent"
    assert shown["event"]["type"] == REQUESTED
    assert (
        await api.get(f"/api/events/dead-letters/{theirs}", headers=acme.auth())
    ).status_code == 404
    assert (
        await api.post(f"/api/events/dead-letters/{theirs}/discard", headers=acme.auth())
    ).status_code == 404
    discarded = await api.post(f"/api/events/dead-letters/{letter}/discard", headers=acme.auth())
    assert discarded.json()["status"] == "discarded"
    assert discarded.json()["resolved_at"] is not None
    again = await api.post(f"/api/events/dead-letters/{letter}/discard", headers=acme.auth())
    assert again.status_code == 409
    assert (await api.get("/api/events/dead-letters", headers=acme.auth())).json() == []


async def test_retrying_a_dead_letter_reports_the_outcome(
    api: httpx.AsyncClient, event_platform: Platform, acme: TenantKeys
) -> None:
    letter = await dead_letter_for(event_platform, acme.tenant_id)
    response = await api.post(f"/api/events/dead-letters/{letter}/retry", headers=acme.auth())
    assert response.status_code == 200
    assert response.json()["outcome"] == "dead_lettered"
    retried = await api.get(
        "/api/events/dead-letters", params={"status": "retried"}, headers=acme.auth()
    )
    assert [item["id"] for item in retried.json()] == [str(letter)]
    assert len((await api.get("/api/events/dead-letters", headers=acme.auth())).json()) == 1


async def test_a_retry_where_the_subscriber_does_not_run_answers_409(
    api: httpx.AsyncClient, event_platform: Platform, acme: TenantKeys
) -> None:
    letter = await dead_letter_for(event_platform, acme.tenant_id)
    event_platform.events.runtime.registry._subscribers.pop("strict")  # not run in this process
    response = await api.post(f"/api/events/dead-letters/{letter}/retry", headers=acme.auth())
    assert response.status_code == 409
    assert "does not run in this process" in response.json()["detail"]
    shown = await api.get(f"/api/events/dead-letters/{letter}", headers=acme.auth())
    assert shown.json()["status"] == "open"


async def test_only_admins_handle_dead_letters(
    api: httpx.AsyncClient, event_platform: Platform, acme: TenantKeys
) -> None:
    letter = await dead_letter_for(event_platform, acme.tenant_id)
    for role in (Role.EDITOR, Role.APPROVER, Role.VIEWER):
        assert (
            await api.get("/api/events/dead-letters", headers=acme.auth(role))
        ).status_code == 403
        assert (
            await api.post(f"/api/events/dead-letters/{letter}/retry", headers=acme.auth(role))
        ).status_code == 403


runner = CliRunner()


def test_the_cli_lists_the_catalog_and_refuses_unknown_subscribers(
    cli_env: dict[str, str],
) -> None:
    from brain.cli import app

    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    types = runner.invoke(app, ["events", "types"])
    assert types.exit_code == 0
    assert "course.generation.completed\tv1\tEmitted when" in types.output
    replay = runner.invoke(app, ["events", "replay", "--subscriber", "nobody"])
    assert replay.exit_code == 2
    assert "no subscriber 'nobody'" in replay.output
    bad_time = runner.invoke(app, ["events", "replay", "--subscriber", "x", "--since", "soon"])
    assert bad_time.exit_code == 2
    assert runner.invoke(app, ["events", "dlq", "list"]).exit_code == 0
    assert runner.invoke(app, ["events", "dlq", "show", "nope"]).exit_code == 2
    missing = runner.invoke(app, ["events", "dlq", "discard", str(uuid.uuid4())])
    assert missing.exit_code == 1
    assert "no dead letter" in missing.output
