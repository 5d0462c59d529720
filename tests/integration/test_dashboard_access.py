"""Signing in to the dashboard: the session cookie, its end (sign-out, revocation, idle time), the
CSRF token on every form, the rate limit on failed sign-ins, the security headers."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from fastapi import FastAPI
from itsdangerous import URLSafeSerializer

from brain.bootstrap import Platform
from brain.dashboard.module import MODULE as DASHBOARD
from brain.dashboard.sessions import SESSION_COOKIE, SessionCodec
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import AuthService
from brain.kernel.secrets import platform_secret
from tests.conftest import TenantKeys
from tests.support.dashboard import dashboard, field_errors, flash

SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
}


@pytest.fixture
def platform(dashboard_platform: Platform) -> Platform:
    return dashboard_platform


@pytest.fixture
def app(dashboard_app: FastAPI) -> FastAPI:
    return dashboard_app


@pytest.fixture
def tenant(operator_tenant: TenantKeys) -> TenantKeys:
    return operator_tenant


def session_cookie(response: httpx.Response) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))


def payload_of(cookie_header: str) -> dict[str, object]:
    """What anyone holding the cookie can read without the secret: the signed payload, which
    itsdangerous writes as URL-safe base64, zlib-compressed behind a leading "." when that is
    shorter (random nonces decide which, so both forms occur)."""
    value = cookie_header.split(";", 1)[0].split("=", 1)[1]
    data = value.rsplit(".", 2)[0]
    return dict(URLSafeSerializer(b"not the secret").load_payload(data.encode()))


async def key_count(platform: Platform, tenant: TenantKeys) -> int:
    async with platform.database.read_session() as session:
        return len(await AuthService(session).list_keys(tenant.tenant_id))


async def test_signing_in_starts_a_strict_http_only_session_holding_the_key_id_not_the_key(
    app: FastAPI, tenant: TenantKeys
) -> None:
    async with dashboard(app) as browser:
        response = await browser.sign_in(tenant.keys[Role.EDITOR], next_path="/admin/courses")
        assert response.status_code == 303
        assert response.headers["location"] == "/admin/courses"
        cookie = session_cookie(response)
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "samesite=strict", "path=/admin"} <= flags
        assert "secure" not in flags, "plain HTTP: a Secure cookie would never come back"
        assert payload_of(cookie)["k"] == str(tenant.key_ids[Role.EDITOR])
        assert tenant.keys[Role.EDITOR] not in cookie
        page = await browser.get("/admin/courses")
        assert page.status_code == 200
        assert f"Tenant {tenant.name}, role editor" in page.text


async def test_over_https_the_session_cookie_is_secure(app: FastAPI, tenant: TenantKeys) -> None:
    async with dashboard(app, "https://testserver") as browser:
        response = await browser.sign_in(tenant.keys[Role.VIEWER])
        assert "secure" in session_cookie(response).lower()


async def test_without_a_session_a_page_redirects_to_the_sign_in_page_and_back(
    app: FastAPI, tenant: TenantKeys
) -> None:
    async with dashboard(app) as browser:
        response = await browser.get("/admin/events?type=course.*")
        assert response.status_code == 303
        location = response.headers["location"]
        assert location.startswith("/admin/login?")
        assert "next=%2Fadmin%2Fevents%3Ftype%3Dcourse.%2A" in location
        signed = await browser.sign_in(tenant.keys[Role.VIEWER], next_path="/admin/events")
        assert signed.headers["location"] == "/admin/events"


async def test_a_wrong_key_is_named_at_its_field_and_repeated_failures_are_rate_limited(
    app: FastAPI, tenant: TenantKeys
) -> None:
    async with dashboard(app, client=("203.0.113.9", 40000)) as browser:
        wrong = await browser.sign_in("brain_aaaaaaaaaaaa_" + "x" * 43)
        assert wrong.status_code == 401
        assert field_errors(wrong.text, "api_key") == ["This is not a valid API key."]
        assert not any(h.startswith(SESSION_COOKIE) for h in wrong.headers.get_list("set-cookie"))
        for _ in range(4):
            assert (await browser.sign_in("not a key")).status_code == 401
        limited = await browser.sign_in(tenant.keys[Role.ADMIN])
        assert limited.status_code == 429
        assert 0 < int(limited.headers["retry-after"]) <= 300
        assert "Too many failed sign-ins" in limited.text
        assert (await browser.get("/admin")).status_code == 303, "still not signed in"
    async with dashboard(app, client=("203.0.113.10", 40000)) as elsewhere:
        assert (await elsewhere.sign_in(tenant.keys[Role.ADMIN])).status_code == 303


async def test_the_sign_in_form_is_refused_without_its_own_token(
    app: FastAPI, tenant: TenantKeys
) -> None:
    async with dashboard(app) as browser:
        response = await browser.http.post(
            "/admin/login", data={"api_key": tenant.keys[Role.ADMIN], "csrf_token": "forged"}
        )
        assert response.status_code == 403
        assert not any(
            h.startswith(SESSION_COOKIE) for h in response.headers.get_list("set-cookie")
        )


async def test_signing_out_ends_the_session(app: FastAPI, tenant: TenantKeys) -> None:
    async with dashboard(app) as browser:
        await browser.sign_in(tenant.keys[Role.ADMIN])
        response = await browser.post("/admin/logout")
        assert response.status_code == 303
        assert response.headers["location"] == "/admin/login"
        assert flash((await browser.get("/admin/login")).text) == "Signed out."
        assert (await browser.get("/admin")).status_code == 303


async def test_revoking_the_key_ends_its_sessions_at_their_next_request(
    app: FastAPI, platform: Platform, tenant: TenantKeys
) -> None:
    async with dashboard(app) as browser:
        await browser.sign_in(tenant.keys[Role.EDITOR])
        assert (await browser.get("/admin")).status_code == 200
        async with platform.unit_of_work() as uow:
            await AuthService(uow.session).revoke_key(tenant.key_ids[Role.EDITOR])
        response = await browser.get("/admin/courses")
        assert response.status_code == 303
        assert "reason=revoked" in response.headers["location"]
        cleared = session_cookie(response)
        assert "max-age=0" in cleared.lower()


async def test_a_session_idle_for_longer_than_the_idle_time_has_ended(
    app: FastAPI, platform: Platform, tenant: TenantKeys
) -> None:
    idle = platform.settings.dashboard_idle_minutes * 60  # type: ignore[attr-defined]
    key_id = tenant.key_ids[Role.ADMIN]

    def cookie_signed(seconds_ago: float) -> str:
        codec = SessionCodec(
            platform_secret(platform.settings),
            idle_seconds=idle,
            lifetime_seconds=12 * 3600,
            clock=lambda: time.time() - seconds_ago,
        )
        return codec.dump(codec.start(key_id, tenant.name))

    async with dashboard(app) as browser:
        browser.http.cookies.set(SESSION_COOKIE, cookie_signed(idle - 120), path="/admin")
        assert (await browser.get("/admin")).status_code == 200
        browser.http.cookies.clear()
        browser.http.cookies.set(SESSION_COOKIE, cookie_signed(idle + 5), path="/admin")
        response = await browser.get("/admin")
        assert response.status_code == 303
        assert "reason=expired" in response.headers["location"]


async def test_a_used_session_is_signed_again_so_the_idle_time_counts_from_the_last_request(
    app: FastAPI, platform: Platform, tenant: TenantKeys
) -> None:
    codec = SessionCodec(
        platform_secret(platform.settings),
        idle_seconds=1800,
        lifetime_seconds=12 * 3600,
        clock=lambda: time.time() - 600,
    )
    async with dashboard(app) as browser:
        browser.http.cookies.set(
            SESSION_COOKIE, codec.dump(codec.start(tenant.key_ids[Role.ADMIN], tenant.name))
        )
        response = await browser.get("/admin")
        assert response.status_code == 200
        renewed = DASHBOARD.dependency.value(app).sessions.load(
            session_cookie(response).split(";")[0].split("=", 1)[1]
        )
        assert renewed is not None
        assert time.time() - renewed.signed_at < 60


async def test_a_forged_cookie_is_no_session(app: FastAPI, tenant: TenantKeys) -> None:
    forged = SessionCodec(b"another secret", idle_seconds=1800, lifetime_seconds=3600)
    async with dashboard(app) as browser:
        browser.http.cookies.set(
            SESSION_COOKIE, forged.dump(forged.start(tenant.key_ids[Role.ADMIN], "acme"))
        )
        assert (await browser.get("/admin")).status_code == 303


async def test_a_post_without_the_sessions_csrf_token_is_refused_and_changes_nothing(
    app: FastAPI, platform: Platform, tenant: TenantKeys
) -> None:
    before = await key_count(platform, tenant)
    async with dashboard(app) as browser, dashboard(app) as other:
        await browser.sign_in(tenant.keys[Role.ADMIN])
        await other.sign_in(tenant.keys[Role.ADMIN])
        assert browser.csrf != other.csrf, "each session has its own token"
        form = {"role": "viewer", "name": "forged"}
        for token in (None, "", "0" * 64, other.csrf):
            data = dict(form) if token is None else {**form, "csrf_token": token}
            response = await browser.post("/admin/keys", data, csrf=False)
            assert response.status_code == 403, token
            assert "This form has expired" in response.text
        assert await key_count(platform, tenant) == before
        made = await browser.post("/admin/keys", form)
        assert made.status_code == 201
        assert await key_count(platform, tenant) == before + 1


async def test_every_dashboard_response_carries_the_security_headers(
    app: FastAPI, tenant: TenantKeys
) -> None:
    async with dashboard(app) as browser:
        responses = [await browser.get("/admin/login"), await browser.get("/admin")]
        await browser.sign_in(tenant.keys[Role.VIEWER])
        responses += [
            await browser.get("/admin/courses"),
            await browser.get(f"/admin/courses/{uuid.uuid4()}"),
            await browser.get("/admin/keys"),
        ]
        assert [r.status_code for r in responses] == [200, 303, 200, 404, 403]
        for response in responses:
            for name, value in SECURITY_HEADERS.items():
                assert response.headers[name] == value
            policy = response.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
            assert "unsafe-inline" not in policy
            assert response.headers["cache-control"] == "no-store"
            assert "<script>" not in response.text, "no inline script"


async def test_the_language_follows_accept_language_and_the_switch(
    app: FastAPI, tenant: TenantKeys
) -> None:
    async with dashboard(app) as browser:
        german = await browser.http.get(
            "/admin/login", headers={"Accept-Language": "fr;q=0.9, de-CH;q=0.8, en;q=0.5"}
        )
        assert '<html lang="de">' in german.text and "Anmelden" in german.text
        switched = await browser.get("/admin/language?lang=en&next=/admin/login")
        assert switched.headers["location"] == "/admin/login"
        english = await browser.http.get("/admin/login", headers={"Accept-Language": "de"})
        assert '<html lang="en">' in english.text and "Sign in" in english.text
        away = await browser.get("/admin/language?lang=de&next=https://evil.example/")
        assert away.headers["location"] == "/admin", "the switch only returns to the dashboard"


async def test_the_static_files_are_our_own_and_long_cached(app: FastAPI) -> None:
    async with dashboard(app) as browser:
        page = await browser.get("/admin/login")
        for name, kind in (("dashboard.js", "text/javascript"), ("dashboard.css", "text/css")):
            assert f"/admin/static/{name}?v=" in page.text
            response = await browser.get(f"/admin/static/{name}")
            assert response.status_code == 200
            assert response.headers["content-type"].startswith(kind)
            assert "immutable" in response.headers["cache-control"]
        assert (await browser.get("/admin/static/../module.py")).status_code == 404
        assert (await browser.get("/admin/static/other.js")).status_code == 404
