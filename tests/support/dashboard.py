"""Dashboard test support: a browser-like HTTP client that signs in through the sign-in form,
keeps its cookies, and sends each form with the CSRF token of the last page it read; and small
readers of the pages' HTML."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import httpx
import pytest
from fastapi import FastAPI

from brain.bootstrap import Platform, build_platform, create_app
from brain.kernel.auth.models import Role
from tests.support.services import require_postgres

if TYPE_CHECKING:
    from tests.conftest import TenantKeys

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)


class Dashboard:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.csrf: str | None = None

    def _remember(self, response: httpx.Response) -> httpx.Response:
        is_html = "text/html" in response.headers.get("content-type", "")
        found = CSRF.search(response.text) if is_html else None
        if found and "/admin/login" not in str(response.url):
            self.csrf = found[1]
        return response

    async def sign_in(self, key: str, *, next_path: str = "") -> httpx.Response:
        page = await self.http.get("/admin/login")
        token = CSRF.search(page.text)
        assert token is not None, page.text
        response = await self.http.post(
            "/admin/login", data={"api_key": key, "csrf_token": token[1], "next": next_path}
        )
        if response.status_code == 303:
            self._remember(await self.http.get("/admin"))
        return response

    async def get(self, path: str) -> httpx.Response:
        return self._remember(await self.http.get(path))

    async def post(
        self, path: str, data: dict[str, object] | None = None, *, csrf: bool = True
    ) -> httpx.Response:
        body = dict(data or {})
        if csrf:
            assert self.csrf is not None, "read a page of the session first"
            body.setdefault("csrf_token", self.csrf)
        return self._remember(await self.http.post(path, data=body))


@asynccontextmanager
async def dashboard(
    app: FastAPI, base_url: str = "http://testserver", client: tuple[str, int] | None = None
) -> AsyncIterator[Dashboard]:
    """A browser of its own; `client` is its address (the sign-in limit counts per address)."""
    transport = httpx.ASGITransport(app=app, client=client or ("127.0.0.1", 123))
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
        yield Dashboard(http)


def field_errors(page: str, field: str) -> list[str]:
    """The reasons shown next to a form field (the list the field's `aria-describedby` names)."""
    ident = field.replace(".", "-")
    found = re.search(
        rf'<ul class="field-error" id="{re.escape(ident)}-error">(.*?)</ul>', page, re.S
    )
    if found is None:
        return []
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", found[1], re.S)]


def post_forms(page: str) -> list[str]:
    """The `action` of every form of the page that sends a POST."""
    actions = []
    for tag in FORM.findall(page):
        if re.search(r'method="post"', tag, re.I):
            action = re.search(r'action="([^"]*)"', tag)
            actions.append(html.unescape(action[1]) if action else "")
    return actions


def flash(page: str) -> str:
    found = re.search(r'<div class="flash flash-\w+" role="\w+">(.*?)</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found[1])).strip() if found else ""


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


# -- fixtures: one platform and app per test module and database, a tenant per test -----------
#
# Building a FastAPI app's routes costs a noticeable part of a second on its first requests, so
# the dashboard's tests share one app per module and database; every test has a tenant of its
# own, which the dashboard's tenant scoping keeps apart from the others' data.

SignIn = Callable[["TenantKeys", Role], Awaitable[Dashboard]]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def dashboard_database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        require_postgres()
        return str(request.getfixturevalue("migrated_postgres"))
    return str(request.getfixturevalue("migrated_sqlite"))


@pytest.fixture(scope="module")
async def dashboard_platform(
    dashboard_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Platform]:
    from tests.conftest import clear_tables, make_settings

    settings = make_settings(
        tmp_path_factory.mktemp("dashboard"), database_url=dashboard_database_url
    )
    built = build_platform(settings)
    yield built
    await clear_tables(built.database)
    await built.close()


@pytest.fixture(scope="module")
def dashboard_app(dashboard_platform: Platform) -> FastAPI:
    return create_app(dashboard_platform)


@pytest.fixture
async def operator_tenant(dashboard_platform: Platform) -> TenantKeys:
    from tests.conftest import make_tenant

    return await make_tenant(dashboard_platform, f"t-{uuid.uuid4().hex[:12]}")


@pytest.fixture
async def api(dashboard_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=dashboard_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def signed_in(dashboard_app: FastAPI) -> AsyncIterator[SignIn]:
    """Sign in as a role of a tenant, each in a browser of its own (closed after the test)."""
    opened: list[httpx.AsyncClient] = []

    async def sign_in(tenant: TenantKeys, role: Role) -> Dashboard:
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=dashboard_app), base_url="http://testserver"
        )
        opened.append(http)
        browser = Dashboard(http)
        assert (await browser.sign_in(tenant.keys[role])).status_code == 303
        return browser

    yield sign_in
    for http in opened:
        await http.aclose()
