"""What a browser, a log file and a child process get: security headers on every response, no SQL
parameter in any log unless asked for, no platform secret in the Temporal dev server's
environment."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from brain.bootstrap import Platform, build_platform, create_app
from brain.kernel import observability
from brain.kernel.auth.keys import parse_prefix
from brain.kernel.temporal import DevServer
from tests.conftest import TenantKeys, make_settings

HTML_HEADERS = {
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-content-type-options": "nosniff",
}


@pytest.mark.parametrize(
    "path",
    ["/courses", "/courses/no-such-course", "/docs", "/redoc", "/docs/oauth2-redirect"],
)
async def test_every_html_response_carries_the_browser_security_headers(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.headers["content-type"].startswith("text/html"), path
    for name, value in HTML_HEADERS.items():
        assert response.headers.get(name) == value, (path, name)
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy


async def test_the_docs_policy_allows_exactly_their_own_scripts(client: httpx.AsyncClient) -> None:
    policy = (await client.get("/docs")).headers["content-security-policy"]
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
    sources = script_src.split()[1:]
    assert "https://cdn.jsdelivr.net" in sources
    assert [s for s in sources if s.startswith("'sha256-")], "the inline start script by hash"
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources


@pytest.mark.parametrize(
    "path", ["/health", "/api/me", "/api/distributions/catalog", "/sitemap.xml", "/nope"]
)
async def test_every_other_response_says_nosniff(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.headers.get("x-content-type-options") == "nosniff", path
    assert "x-frame-options" not in response.headers


# -- SQL in the logs ------------------------------------------------------------------------------


@pytest.fixture
def log_buffer() -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    yield buffer
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)


async def debug_log_of_a_request(
    database_url: str, tmp_path: Path, buffer: io.StringIO, tenant: TenantKeys, *, sql: bool
) -> str:
    platform = build_platform(
        make_settings(tmp_path, database_url=database_url, log_sql=sql, log_level="DEBUG")
    )
    observability.configure_logging("DEBUG", "text", sql=sql)
    handler = observability._handler
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    try:
        transport = httpx.ASGITransport(app=create_app(platform))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            assert (await http.get("/api/me", headers=tenant.auth())).status_code == 200
        logging.getLogger("brain.test").debug("the log runs at DEBUG")
    finally:
        await platform.close()
    return buffer.getvalue()


async def test_sql_parameters_reach_the_log_only_when_log_sql_is_set(
    platform: Platform,
    tenant: TenantKeys,
    database_url: str,
    tmp_path: Path,
    log_buffer: io.StringIO,
) -> None:
    prefix = parse_prefix(tenant.auth()["Authorization"].removeprefix("Bearer "))
    assert prefix is not None
    quiet = await debug_log_of_a_request(
        database_url, tmp_path / "quiet", log_buffer, tenant, sql=False
    )
    assert "the log runs at DEBUG" in quiet
    assert prefix not in quiet
    assert "sqlalchemy.engine" not in quiet

    loud = await debug_log_of_a_request(
        database_url, tmp_path / "loud", io.StringIO(), tenant, sql=True
    )
    assert "sqlalchemy.engine" in loud and prefix in loud


# -- the Temporal dev server's environment --------------------------------------------------------


async def test_the_temporal_dev_server_inherits_none_of_the_platforms_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRAIN_LLM_API_KEY", "sk-very-secret")
    monkeypatch.setenv("BRAIN_DATABASE_URL", "postgresql://user:password@db/brain")
    server = DevServer(tmp_path / "temporal.db")
    await server.start()
    try:
        assert server._process is not None
        with open(f"/proc/{server._process.pid}/environ", "rb") as environ:  # noqa: ASYNC230
            raw = environ.read()
    finally:
        await server.stop()
    names = {entry.split(b"=", 1)[0].decode() for entry in raw.split(b"\0") if entry}
    assert not [name for name in names if name.startswith("BRAIN_")], names
    assert names <= {"PATH", "HOME", "TMPDIR", "TZ", "LANG", "LC_ALL"}, names
    assert b"sk-very-secret" not in raw
