"""Every route the app registers refuses a request without a key, unless it is public by design."""

import re
import uuid

import httpx
from fastapi.routing import iter_route_contexts

from brain.bootstrap import Platform, create_app

PUBLIC = {
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("GET", "/api/distributions/catalog"),
    ("GET", "/api/distributions/{slug}"),
    ("GET", "/api/distributions/{slug}/outline"),
    ("POST", "/api/distributions/{distribution_id}/log-view"),
    ("POST", "/api/distributions/{distribution_id}/track-click"),
    ("GET", "/courses"),
    ("GET", "/courses/{slug}"),
    ("GET", "/courses/{slug}/enroll"),
    ("GET", "/sitemap.xml"),
    ("GET", "/robots.txt"),
    ("POST", "/api/payments/webhooks/stripe"),
    ("POST", "/courses/{slug}/checkout"),
    ("GET", "/courses/{slug}/checkout/return"),
    ("GET", "/learn/access"),
    ("GET", "/learn/{slug}"),
    ("POST", "/payments/test-provider/v1/checkout/sessions"),
    ("GET", "/payments/test-provider/v1/checkout/sessions/{session_id}"),
    ("POST", "/payments/test-provider/v1/checkout/sessions/{session_id}/expire"),
    ("POST", "/payments/test-provider/v1/refunds"),
    ("GET", "/payments/test-provider/v1/events"),
    ("GET", "/payments/test-provider/checkout/{session_id}"),
    ("POST", "/payments/test-provider/checkout/{session_id}/pay"),
    ("POST", "/payments/test-provider/checkout/{session_id}/decline"),
    ("GET", "/{key}.txt"),
}
# Public routes whose own credential is not an API key answer a bare request like this.
PUBLIC_ANSWERS = {
    ("POST", "/api/payments/webhooks/stripe"): 400,  # the Stripe-Signature is the credential
    ("GET", "/learn/access"): 403,  # the access token is
    # The built-in test provider's API takes its own (Stripe-style) key.
    ("POST", "/payments/test-provider/v1/checkout/sessions"): 401,
    ("GET", "/payments/test-provider/v1/checkout/sessions/{session_id}"): 401,
    ("POST", "/payments/test-provider/v1/checkout/sessions/{session_id}/expire"): 401,
    ("POST", "/payments/test-provider/v1/refunds"): 401,
    ("GET", "/payments/test-provider/v1/events"): 401,
}

PAGES_WITH_A_KEY = {("GET", "/staging/{course_id}/{path}")}
"""HTML pages (not in the OpenAPI document) that answer 401 without a key or a preview link."""


DASHBOARD = "/admin"
"""The dashboard's pages take a signed-in session, not an API key: without one they redirect to
its sign-in page (a POST too: it changes nothing)."""
DASHBOARD_PUBLIC = {
    ("GET", "/admin/login"),
    ("POST", "/admin/login"),
    ("GET", "/admin/language"),
    ("GET", "/admin/static/{name}"),
}


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)


def registered(platform: Platform) -> list[tuple[str, str]]:
    app = create_app(platform)
    found = []
    for route in iter_route_contexts(app.routes):
        methods = getattr(route, "methods", None) or set()
        for method in sorted(methods - {"HEAD", "OPTIONS"}):
            # the documented path: `{distribution_id}`, whatever convertor (`:uuid`) routes it
            found.append((method, str(getattr(route, "path_format", None) or route.path)))
    return found


def dashboard_route(route: tuple[str, str]) -> bool:
    return route[1] == DASHBOARD or route[1].startswith(f"{DASHBOARD}/")


async def test_every_non_public_route_answers_401_without_a_key(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    protected = [r for r in registered(platform) if r not in PUBLIC and not dashboard_route(r)]
    assert protected, "the app registers admin routes"
    for method, path in protected:
        response = await client.request(method, concrete(path), json={})
        assert response.status_code == 401, f"{method} {path} answered {response.status_code}"


async def test_public_routes_answer_without_a_key(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    for method, path in set(registered(platform)) & PUBLIC:
        if path == "/docs/oauth2-redirect":
            continue
        if (method, path) in PUBLIC_ANSWERS:
            response = await client.request(method, concrete(path))
            expected = PUBLIC_ANSWERS[(method, path)]
            assert response.status_code == expected, f"{method} {path} {response.status_code}"
            continue
        if "{" in path:
            # A parameterised public route needs no key: an unknown id or slug is a 404, not a 401.
            response = await client.request(method, concrete(path))
            assert response.status_code == 404, f"{method} {path} answered {response.status_code}"
            continue
        response = await client.request(method, path)
        assert response.status_code == 200, f"{method} {path}"


async def test_the_openapi_document_gives_auth_and_errors_for_every_admin_route(
    platform: Platform,
) -> None:
    app = create_app(platform)
    spec = app.openapi()
    assert spec["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
    checked = 0
    api_routes = [r for r in registered(platform) if not dashboard_route(r)]
    for method, path in api_routes:
        if (method, path) in PUBLIC or (method, path) in PAGES_WITH_A_KEY:
            continue
        operation = spec["paths"][path][method.lower()]
        assert {"ApiKey": []} in operation.get("security", []), (method, path)
        assert {"401", "403"} <= set(operation["responses"]), (method, path)
        checked += 1
    assert checked == len([r for r in api_routes if r not in PUBLIC | PAGES_WITH_A_KEY]) > 0
    assert not [path for path in spec["paths"] if path.startswith(DASHBOARD)]


CONTENT_ROUTES = {
    ("GET", "/api/course-content-kinds"),
    ("POST", "/api/course-contents"),
    ("GET", "/api/course-contents"),
    ("GET", "/api/course-contents/{content_id}"),
    ("PATCH", "/api/course-contents/{content_id}"),
    ("DELETE", "/api/course-contents/{content_id}"),
    ("POST", "/api/course-contents/{content_id}/assign-example"),
    ("GET", "/api/course-contents/{content_id}/deployment"),
    ("DELETE", "/api/course-contents/{content_id}/deployment"),
    ("GET", "/api/courses/{course_id}/deployment-summary"),
    ("POST", "/api/examples"),
    ("GET", "/api/examples"),
    ("GET", "/api/examples/{example_id}"),
    ("POST", "/api/examples/{example_id}/versions"),
    ("GET", "/api/examples/{example_id}/versions"),
    ("GET", "/api/examples/{example_id}/versions/{version_id}"),
    ("POST", "/api/courses/{course_id}/releases"),
    ("GET", "/api/courses/{course_id}/releases"),
    ("GET", "/api/courses/{course_id}/releases/{workflow_id}"),
    ("GET", "/api/courses/{course_id}/repository"),
    ("GET", "/api/courses/{course_id}/repository/files"),
    ("POST", "/api/course-contents/{content_id}/deployment/rollback"),
}


async def test_the_walk_covers_every_course_content_route(platform: Platform) -> None:
    routes = set(registered(platform))
    assert routes >= CONTENT_ROUTES
    assert not CONTENT_ROUTES & PUBLIC


async def test_every_dashboard_route_redirects_to_sign_in_without_a_session(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    pages = [r for r in registered(platform) if dashboard_route(r) and r not in DASHBOARD_PUBLIC]
    assert len(pages) > 20, "the dashboard registers its pages"
    for method, path in pages:
        response = await client.request(method, concrete(path), data={"csrf_token": "x"})
        assert response.status_code == 303, f"{method} {path} answered {response.status_code}"
        assert response.headers["location"].startswith("/admin/login?"), (method, path)


async def test_the_dashboards_public_routes_answer_without_a_session(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    assert set(registered(platform)) >= DASHBOARD_PUBLIC
    assert (await client.get("/admin/login")).status_code == 200
    assert (await client.post("/admin/login", data={"api_key": "x"})).status_code == 403
    assert (await client.get("/admin/language?lang=de")).status_code == 303
    assert (await client.get("/admin/static/dashboard.js")).status_code == 200
    assert (await client.get(concrete("/admin/static/{name}"))).status_code == 404
