"""Staging sites are previews for the course's tenant (a key, or a signed link that expires);
visitors read a distributed course in the learner view."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select

from brain.bootstrap import Platform
from brain.course_factory.preview import PreviewLinks
from brain.events.models import EventRecord
from brain.kernel.auth.models import Role
from brain.kernel.secrets import platform_secret
from tests.conftest import TenantKeys
from tests.integration.test_distribution_api import body as distribution_body
from tests.support.factory import completed_course


@pytest.fixture
async def course_id(platform: Platform, tenant: TenantKeys) -> uuid.UUID:
    return await completed_course(platform, tenant.tenant_id)


async def test_a_staging_site_is_served_only_to_a_key_of_the_courses_tenant(
    client: httpx.AsyncClient,
    platform: Platform,
    tenant: TenantKeys,
    other_tenant: TenantKeys,
    course_id: uuid.UUID,
) -> None:
    site = f"/staging/{course_id}/"
    assert (await client.get(site)).status_code == 401
    assert (await client.get(f"{site}lessons/1.html")).status_code == 401
    assert (await client.get(site, headers=other_tenant.auth())).status_code == 404
    mine = await client.get(site, headers=tenant.auth(Role.VIEWER))
    assert mine.status_code == 200, mine.text
    assert "Alternatives to the big banks" in mine.text
    assert mine.headers["x-frame-options"] == "DENY"
    assert mine.headers["cache-control"] == "private, no-store"
    lesson = await client.get(f"{site}lessons/1.html", headers=tenant.auth(Role.VIEWER))
    assert lesson.status_code == 200
    assert (await client.get(f"{site}../../secret_key", headers=tenant.auth())).status_code == 404

    async with platform.database.read_session() as session:
        [deployed] = (
            await session.scalars(
                select(EventRecord).where(EventRecord.type == "course.deployed.staging")
            )
        ).all()
    assert deployed.payload["staging_url"] == f"http://127.0.0.1:8000{site}"


async def test_a_preview_link_opens_the_site_until_it_expires(
    client: httpx.AsyncClient,
    platform: Platform,
    tenant: TenantKeys,
    other_tenant: TenantKeys,
    course_id: uuid.UUID,
) -> None:
    url = f"/api/courses/{course_id}/preview-link"
    assert (await client.get(url, headers=other_tenant.auth())).status_code == 404
    issued = await client.get(url, headers=tenant.auth(Role.VIEWER))
    assert issued.status_code == 200, issued.text
    link = urlsplit(issued.json()["url"])
    assert link.path == f"/staging/{course_id}/" and link.query.startswith("preview=")

    opened = await client.get(f"{link.path}?{link.query}")
    assert opened.status_code == 303
    assert opened.headers["location"] == f"/staging/{course_id}/"
    cookie = opened.headers["set-cookie"]
    assert f"Path=/staging/{course_id}/" in cookie and "HttpOnly" in cookie
    token = re.search(r"brain_preview=([^;]+)", cookie)
    assert token is not None
    jar = {"Cookie": f"brain_preview={token[1]}"}
    for page in ("", "lessons/1.html", "quiz.html", "style.css"):
        response = await client.get(f"/staging/{course_id}/{page}", headers=jar)
        assert response.status_code == 200, (page, response.text)
    other_course = await completed_course(platform, other_tenant.tenant_id)
    assert (await client.get(f"/staging/{other_course}/", headers=jar)).status_code == 401

    expired = PreviewLinks(platform_secret(platform.settings), -1, "http://x").link(course_id)
    stale = urlsplit(expired.url)
    assert (await client.get(f"{stale.path}?{stale.query}")).status_code == 401
    forged = urlsplit(PreviewLinks(b"another secret", 3600, "http://x").link(course_id).url)
    assert (await client.get(f"{forged.path}?{forged.query}")).status_code == 401


async def distributed(
    client: httpx.AsyncClient,
    tenant: TenantKeys,
    course_id: uuid.UUID,
    visibility: str | None = "PUBLIC",
    **fields: object,
) -> str:
    created = await client.post(
        "/api/distributions/create",
        json=distribution_body(course_id=str(course_id), **fields),
        headers=tenant.auth(),
    )
    assert created.status_code == 201, created.text
    if visibility is not None:
        published = await client.post(
            f"/api/distributions/{created.json()['id']}/publish",
            json={"visibility": visibility},
            headers=tenant.auth(),
        )
        assert published.status_code == 200, published.text
    return str(created.json()["slug"])


async def test_the_learner_view_renders_a_public_course_escaped_with_its_quiz(
    client: httpx.AsyncClient, tenant: TenantKeys, course_id: uuid.UUID
) -> None:
    lessons = (await client.get(f"/api/courses/{course_id}/lessons", headers=tenant.auth())).json()
    edited = await client.put(
        f"/api/courses/{course_id}/lessons/{lessons[0]['id']}",
        json={
            "title": "Costs <b>compared</b>",
            "markdown": "## Fees\n\nPay **less**.\n\n<script>alert(1)</script>",
        },
        headers=tenant.auth(Role.EDITOR),
    )
    assert edited.status_code == 200, edited.text
    slug = await distributed(client, tenant, course_id)
    page = await client.get(f"/learn/{slug}")
    assert page.status_code == 200, page.text
    html = page.text
    assert "Costs &lt;b&gt;compared&lt;/b&gt;" in html
    assert "<strong>less</strong>" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/ld+json">']
    quiz = (await client.get(f"/api/courses/{course_id}/quiz", headers=tenant.auth())).json()
    assert quiz["questions"][0]["question"].split("<")[0][:30] in html.replace("&#39;", "'")
    assert f'<link rel="canonical" href="http://127.0.0.1:8000/learn/{slug}">' in html
    assert 'property="og:title"' in html and "noindex" not in html
    assert page.headers["content-security-policy"].startswith("default-src 'none'")

    enrol = await client.get(f"/courses/{slug}/enroll")
    assert enrol.headers["location"] == f"/learn/{slug}"


async def test_the_learner_view_is_noindex_when_unlisted_and_absent_otherwise(
    client: httpx.AsyncClient, tenant: TenantKeys, course_id: uuid.UUID
) -> None:
    unlisted = await distributed(client, tenant, course_id, "UNLISTED")
    page = await client.get(f"/learn/{unlisted}")
    assert page.status_code == 200
    assert '<meta name="robots" content="noindex">' in page.text
    assert page.headers["x-robots-tag"] == "noindex"
    private = await distributed(client, tenant, course_id, None, slug="still-private")
    assert (await client.get(f"/learn/{private}")).status_code == 404
    assert (await client.get("/learn/no-such-course")).status_code == 404
    priced = await distributed(
        client, tenant, course_id, slug="sold", price={"amount_minor": 1900, "currency": "EUR"}
    )
    refused = await client.get(f"/learn/{priced}")
    assert refused.status_code == 403
    assert "Fees" not in refused.text
