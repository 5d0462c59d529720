from pathlib import Path

import httpx

from brain.bootstrap import Platform, build_platform, create_app
from tests.conftest import make_settings


async def test_health_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_ready_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok"}


async def ready_of(platform: Platform) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app(platform))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        return await http.get("/ready")


async def test_not_ready_when_the_database_does_not_answer(tmp_path: Path) -> None:
    platform = build_platform(
        make_settings(tmp_path, database_url="postgresql://brain@127.0.0.1:1/brain")
    )
    try:
        response = await ready_of(platform)
    finally:
        await platform.close()
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("unavailable")


async def test_not_ready_when_redis_is_configured_and_does_not_answer(
    tmp_path: Path, database_url: str
) -> None:
    platform = build_platform(
        make_settings(
            tmp_path,
            database_url=database_url,
            event_transport="redis",
            redis_url="redis://127.0.0.1:1/0",
        )
    )
    try:
        response = await ready_of(platform)
    finally:
        await platform.close()
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["redis"].startswith("unavailable")


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get("/health")
    await client.delete("/api/apikeys/6c4b2a49-3f8e-4d59-9e53-2b7d1f0b6a11")
    await client.post("/api/distributions/6c4b2a49-3f8e-4d59-9e53-2b7d1f0b6a11/publish")
    text = (await client.get("/metrics")).text
    assert 'brain_http_requests_total{method="GET",route="/health",status="200"} 1.0' in text
    assert 'route="/api/apikeys/{key_id}",status="401"' in text
    assert 'route="/api/distributions/{distribution_id}/publish",status="401"' in text
    assert ":uuid" not in text, "routes are labelled by their documented template"
    assert "6c4b2a49" not in text


async def test_the_openapi_document_says_metrics_are_prometheus_text(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    content = document["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["text/plain"]
    served = await client.get("/metrics")
    assert served.headers["content-type"].startswith("text/plain")
