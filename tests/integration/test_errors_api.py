"""Bad input gets a clear 4xx problem naming the field; nothing answers 500 to bad input."""

import httpx
import pytest

from brain.bootstrap import Platform, create_app
from brain.kernel.auth.models import Role
from tests.conftest import TenantKeys


async def keys_of(client: httpx.AsyncClient, tenant: TenantKeys) -> int:
    return len((await client.get("/api/apikeys", headers=tenant.auth())).json())


async def test_malformed_json_answers_400(client: httpx.AsyncClient, tenant: TenantKeys) -> None:
    response = await client.post(
        "/api/apikeys",
        content=b'{"role": "viewer"',
        headers={**tenant.auth(), "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/malformed-json"
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": 7}, "body.role"),
        ({"role": "superuser"}, "body.role"),
        ({}, "body.role"),
        ({"role": "viewer", "name": ["list"]}, "body.name"),
        ({"role": "viewer", "name": "x" * 101}, "body.name"),
        ({"role": "viewer", "scopes": ["all"]}, "body.scopes"),
        ([1, 2], "body"),
    ],
)
async def test_invalid_fields_answer_422_naming_the_field(
    client: httpx.AsyncClient, tenant: TenantKeys, body: object, field: str
) -> None:
    before = await keys_of(client, tenant)
    response = await client.post("/api/apikeys", json=body, headers=tenant.auth())
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/validation-error"
    assert field in [error["field"] for error in problem["errors"]]
    assert await keys_of(client, tenant) == before


async def test_a_malformed_path_parameter_answers_422(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    response = await client.delete("/api/apikeys/not-a-uuid", headers=tenant.auth())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.key_id"


async def test_an_oversized_body_answers_413(
    client: httpx.AsyncClient, tenant: TenantKeys, platform: Platform
) -> None:
    limit = platform.settings.max_body_bytes
    body = b'{"role": "viewer", "name": "' + b"x" * limit + b'"}'
    response = await client.post(
        "/api/apikeys", content=body, headers={**tenant.auth(), "content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["type"] == "/problems/payload-too-large"


async def test_a_streamed_oversized_body_answers_413(
    client: httpx.AsyncClient, tenant: TenantKeys, platform: Platform
) -> None:
    chunk = b"x" * 65536

    async def stream():
        yield b'{"role": "viewer", "name": "'
        for _ in range(platform.settings.max_body_bytes // len(chunk) + 2):
            yield chunk
        yield b'"}'

    response = await client.post(
        "/api/apikeys",
        content=stream(),
        headers={**tenant.auth(), "content-type": "application/json"},
    )
    assert response.status_code == 413


async def test_an_unknown_route_answers_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["status"] == 404


async def test_an_unexpected_error_answers_500_with_the_request_id(
    platform: Platform, tenant: TenantKeys
) -> None:
    app = create_app(platform)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("kaboom: secret internals")

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.get("/boom", headers={"X-Request-ID": "req-123"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "req-123"
    assert response.json()["request_id"] == "req-123"
    assert "kaboom" not in response.text


async def test_every_response_carries_a_request_id(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    first = await client.get("/health")
    second = await client.get("/api/me", headers=tenant.auth(Role.VIEWER))
    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2
    unsafe = await client.get("/health", headers={"X-Request-ID": "bad id\nwith newline"})
    assert unsafe.headers["x-request-id"] != "bad id\nwith newline"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/api/apikeys", "GET, POST"),
        ("DELETE", "/api/apikeys", "GET, POST"),
        # /create is not a distribution id (ids are UUIDs): PUT there is no route, not a 422
        ("PUT", "/api/distributions/create", "GET, POST"),
        ("PATCH", "/api/distributions/00000000-0000-4000-8000-000000000000", "DELETE, GET, PUT"),
    ],
)
async def test_a_method_the_path_lacks_answers_405_with_every_method_it_has(
    client: httpx.AsyncClient, tenant: TenantKeys, method: str, path: str, allow: str
) -> None:
    response = await client.request(method, path, headers=tenant.auth(), json={})
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["type"] == "/problems/method-not-allowed"


async def test_a_distribution_id_that_is_no_uuid_matches_no_distribution_route(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    response = await client.post("/api/distributions/not-a-uuid/publish", headers=tenant.auth())
    assert response.status_code == 404


async def test_a_rule_beyond_the_schema_answers_422_unprocessable_naming_the_field(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    response = await client.post(
        "/api/webhooks/endpoints",
        json={"url": "https://hooks.example.org/brain", "event_types": ["nothing.*"]},
        headers=tenant.auth(Role.ADMIN),
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/unprocessable"
    assert [error["field"] for error in problem["errors"]] == ["body.event_types"]
