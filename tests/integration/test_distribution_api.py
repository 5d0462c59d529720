"""The distribution API: create, update, publish, variants, versions, public reads, roles, tenants,
and bad input for every limit of seed 001's model (422 naming the field)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from brain.bootstrap import Platform
from brain.course_distribution.models import SlugHistory
from brain.events.models import EventRecord
from brain.kernel.auth.models import Role
from tests.conftest import TenantKeys
from tests.support.factory import requested_course

BASE = "/api/distributions"
SEO = {
    "meta_title": "Banking alternatives for everyone",
    "meta_description": (
        "Learn which alternatives to a classic bank account exist and how to choose."
    ),
    "keywords": ["banking", "finance"],
    "og_image_url": "https://cdn.example.com/og.png",
    "hreflang_alternates": {"de": "https://example.com/de/kurs", "en": "https://example.com/en"},
}
CTA = {"label": "Start the course", "action": "open_course"}


def body(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "course_id": str(uuid.uuid4()),
        "title": "Banking Alternativen für Privatpersonen",
        "description": "A course about alternatives to banks.",
        "language": "de",
        "target_group": ["private_individuals"],
        "seo": SEO,
        "cta": CTA,
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


async def create(client: httpx.AsyncClient, tenant: TenantKeys, **overrides: Any) -> dict:
    """A distribution of a new course of `tenant` (or of `course_id`)."""
    overrides.setdefault("course_id", await requested_course(client, tenant))
    response = await client.post(f"{BASE}/create", json=body(**overrides), headers=tenant.auth())
    assert response.status_code == 201, response.text
    return response.json()


async def events_of(platform: Platform, type: str) -> list[EventRecord]:
    async with platform.database.sessionmaker() as session:
        return list(
            (await session.scalars(select(EventRecord).where(EventRecord.type == type))).all()
        )


async def test_create_makes_a_private_distribution_with_a_slug_from_the_title(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    created = await create(client, tenant)
    assert created["slug"] == "banking-alternativen-fuer-privatpersonen"
    assert created["visibility"] == "PRIVATE"
    assert created["version"] == "v1"
    assert (created["view_count"], created["enrollment_click_count"]) == (0, 0)
    second = await create(client, tenant)
    third = await create(client, tenant)
    assert second["slug"] == "banking-alternativen-fuer-privatpersonen-2"
    assert third["slug"] == "banking-alternativen-fuer-privatpersonen-3"


async def test_list_filters_and_tenant_scoping(
    client: httpx.AsyncClient, tenant: TenantKeys, other_tenant: TenantKeys
) -> None:
    mine = await create(client, tenant)
    await create(client, tenant)
    theirs = await create(client, other_tenant)
    listed = (await client.get(BASE, headers=tenant.auth(Role.VIEWER))).json()
    assert listed["total"] == 2
    assert theirs["id"] not in {d["id"] for d in listed["items"]}
    by_course = await client.get(
        BASE, params={"course_id": mine["course_id"]}, headers=tenant.auth()
    )
    assert [d["id"] for d in by_course.json()["items"]] == [mine["id"]]
    for method, path in [
        ("PUT", f"{BASE}/{theirs['id']}"),
        ("DELETE", f"{BASE}/{theirs['id']}"),
        ("POST", f"{BASE}/{theirs['id']}/publish"),
        ("POST", f"{BASE}/{theirs['id']}/unpublish"),
        ("GET", f"{BASE}/{theirs['id']}/micro-niches"),
    ]:
        response = await client.request(
            method, path, json={} if method == "PUT" else None, headers=tenant.auth()
        )
        assert response.status_code == 404, (method, path, response.text)


async def test_a_viewer_cannot_write(client: httpx.AsyncClient, tenant: TenantKeys) -> None:
    created = await create(client, tenant)
    viewer = tenant.auth(Role.VIEWER)
    assert (await client.post(f"{BASE}/create", json=body(), headers=viewer)).status_code == 403
    for path in ["publish", "unpublish", "bump-version", "micro-niches"]:
        response = await client.post(f"{BASE}/{created['id']}/{path}", json={}, headers=viewer)
        assert response.status_code == 403, path
    assert (
        await client.put(f"{BASE}/{created['id']}", json={"title": "x" * 5}, headers=viewer)
    ).status_code == 403
    assert (await client.delete(f"{BASE}/{created['id']}", headers=viewer)).status_code == 403
    editor = tenant.auth(Role.EDITOR)
    response = await client.post(f"{BASE}/{created['id']}/publish", headers=editor)
    assert response.status_code == 200


async def test_publish_unpublish_and_the_public_reads(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    created = await create(client, tenant)
    slug = created["slug"]
    assert (await client.get(f"{BASE}/{slug}")).status_code == 404
    published = await client.post(f"{BASE}/{created['id']}/publish", headers=tenant.auth())
    assert published.json()["visibility"] == "PUBLIC"
    assert published.json()["published_at"]
    public = await client.get(f"{BASE}/{slug}")
    assert public.status_code == 200
    assert public.json()["url"].endswith(f"/courses/{slug}")
    assert "view_count" not in public.json() and "tenant_id" not in public.json()
    catalog = (await client.get(f"{BASE}/catalog")).json()
    assert [item["slug"] for item in catalog["items"]] == [slug]
    unlisted = await client.post(
        f"{BASE}/{created['id']}/publish", json={"visibility": "UNLISTED"}, headers=tenant.auth()
    )
    assert unlisted.json()["visibility"] == "UNLISTED"
    shown = await client.get(f"{BASE}/{slug}")
    assert shown.status_code == 200
    assert shown.headers["x-robots-tag"] == "noindex"
    assert (await client.get(f"{BASE}/catalog")).json()["total"] == 0
    await client.post(f"{BASE}/{created['id']}/unpublish", headers=tenant.auth())
    assert (await client.get(f"{BASE}/{slug}")).status_code == 404
    assert (await client.get(f"{BASE}/{slug}/outline")).status_code == 404


async def test_publishing_refuses_incomplete_seo_or_cta_listing_what_is_missing(
    client: httpx.AsyncClient, tenant: TenantKeys, platform: Platform
) -> None:
    created = await create(client, tenant, seo=None, cta=None)
    response = await client.post(f"{BASE}/{created['id']}/publish", headers=tenant.auth())
    assert response.status_code == 422
    problem = response.json()
    assert problem["missing"] == [
        "seo.meta_title",
        "seo.meta_description",
        "cta.label",
        "cta.action",
    ]
    assert {e["field"] for e in problem["errors"]} == set(problem["missing"])
    assert await events_of(platform, "distribution.published") == []


async def test_catalog_filters_and_paginates(client: httpx.AsyncClient, tenant: TenantKeys) -> None:
    made = [
        await create(client, tenant, title="Sparen für Studenten", target_group=["students"]),
        await create(
            client, tenant, title="Saving for employees", language="en", target_group=["employees"]
        ),
        await create(
            client,
            tenant,
            title="Investing for employees",
            language="en",
            target_group=["employees", "students"],
        ),
    ]
    await create(client, tenant, title="Private draft course")
    for item in made:
        await client.post(f"{BASE}/{item['id']}/publish", headers=tenant.auth())
    catalog = lambda **p: client.get(f"{BASE}/catalog", params=p)  # noqa: E731
    assert (await catalog()).json()["total"] == 3
    assert (await catalog(language="en")).json()["total"] == 2
    assert (await catalog(target_group="students")).json()["total"] == 2
    assert [i["title"] for i in (await catalog(q="invest")).json()["items"]] == [
        "Investing for employees"
    ]
    page = (await catalog(page=2, page_size=2)).json()
    assert (page["total"], len(page["items"]), page["page"]) == (3, 1, 2)
    assert (await catalog(page_size=101)).status_code == 422
    assert (await catalog(language="xx")).status_code == 422


async def test_a_changed_slug_answers_301_from_the_old_one(
    client: httpx.AsyncClient, tenant: TenantKeys, platform: Platform
) -> None:
    created = await create(client, tenant)
    old = created["slug"]
    await client.post(f"{BASE}/{created['id']}/publish", headers=tenant.auth())
    updated = await client.put(
        f"{BASE}/{created['id']}", json={"slug": "banking-neu"}, headers=tenant.auth()
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["slug"] == "banking-neu"
    moved = await client.get(f"{BASE}/{old}", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"{BASE}/banking-neu"
    moved = await client.get(f"{BASE}/{old}/outline", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"{BASE}/banking-neu/outline"
    async with platform.database.sessionmaker() as session:
        assert await session.get(SlugHistory, old) is not None
    # The old slug stays reserved: a new distribution with the same title does not take it.
    again = await create(client, tenant)
    assert again["slug"] == f"{old}-2"
    taken = await client.put(f"{BASE}/{again['id']}", json={"slug": old}, headers=tenant.auth())
    assert taken.status_code == 409
    # Its own old slug can be taken back.
    back = await client.put(f"{BASE}/{created['id']}", json={"slug": old}, headers=tenant.auth())
    assert back.status_code == 200
    assert (await client.get(f"{BASE}/{old}")).status_code == 200
    assert (await client.get(f"{BASE}/banking-neu", follow_redirects=False)).status_code == 301


async def test_micro_niches_and_delete_with_variants(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    parent = await create(client, tenant)
    response = await client.post(
        f"{BASE}/{parent['id']}/micro-niches",
        json={"target_group": ["students"]},
        headers=tenant.auth(),
    )
    assert response.status_code == 201, response.text
    variant = response.json()
    assert variant["derived_from"] == parent["id"]
    assert variant["course_id"] == parent["course_id"]
    assert variant["slug"] != parent["slug"]
    assert variant["target_group"] == ["students"]
    assert variant["seo"] == parent["seo"]
    listed = (await client.get(f"{BASE}/{parent['id']}/micro-niches", headers=tenant.auth())).json()
    assert [v["id"] for v in listed["items"]] == [variant["id"]]
    by_parent = await client.get(BASE, params={"derived_from": parent["id"]}, headers=tenant.auth())
    assert by_parent.json()["total"] == 1
    refused = await client.delete(f"{BASE}/{parent['id']}", headers=tenant.auth())
    assert refused.status_code == 409
    done = await client.delete(
        f"{BASE}/{parent['id']}", params={"cascade": "true"}, headers=tenant.auth()
    )
    assert done.status_code == 204
    assert (await client.get(BASE, headers=tenant.auth())).json()["total"] == 0


async def test_bump_version_keeps_a_changelog(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    created = await create(client, tenant)
    for message in ["New lesson on fees", "Updated examples"]:
        response = await client.post(
            f"{BASE}/{created['id']}/bump-version", json={"message": message}, headers=tenant.auth()
        )
        assert response.status_code == 200
    bumped = response.json()
    assert bumped["version"] == "v3"
    assert [(c["from_version"], c["to_version"], c["message"]) for c in bumped["changelog"]] == [
        ("v1", "v2", "New lesson on fees"),
        ("v2", "v3", "Updated examples"),
    ]
    empty = await client.post(
        f"{BASE}/{created['id']}/bump-version", json={"message": ""}, headers=tenant.auth()
    )
    assert empty.status_code == 422


async def test_the_outline_comes_from_the_course_factory_contract(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    created = await create(client, tenant)
    await client.post(f"{BASE}/{created['id']}/publish", headers=tenant.auth())
    response = await client.get(f"{BASE}/{created['slug']}/outline")
    assert response.status_code == 200
    assert response.json() == {"slug": created["slug"], "title": created["title"], "modules": []}


def seo(**changes: Any) -> dict[str, Any]:
    return {**SEO, **changes}


BAD_INPUT = [
    ({"seo": seo(meta_title="too short")}, "body.seo.meta_title"),
    ({"seo": seo(meta_title="x" * 61)}, "body.seo.meta_title"),
    ({"seo": seo(meta_description="x" * 49)}, "body.seo.meta_description"),
    ({"seo": seo(meta_description="x" * 161)}, "body.seo.meta_description"),
    ({"seo": seo(keywords=[f"k{i}" for i in range(11)])}, "body.seo.keywords"),
    ({"seo": seo(og_image_url="/relative/og.png")}, "body.seo.og_image_url"),
    ({"seo": seo(hreflang_alternates={"de": "not a url"})}, "body.seo.hreflang_alternates.de"),
    (
        {"seo": seo(hreflang_alternates={"deutsch": "https://x.de"})},
        "body.seo.hreflang_alternates.deutsch.[key]",
    ),
    ({"seo": seo(unknown=1)}, "body.seo.unknown"),
    ({"cta": {"label": "Go", "action": "open_course"}}, "body.cta.label"),
    ({"cta": {"label": "x" * 51, "action": "open_course"}}, "body.cta.label"),
    ({"cta": {"label": "Enrol now", "action": "buy"}}, "body.cta.action"),
    ({"cta": {"label": "Enrol now", "action": "custom"}}, "body.cta"),
    ({"cta": {"label": "Enrol now", "action": "custom", "url": "ftp://x"}}, "body.cta.url"),
    ({"language": "it"}, "body.language"),
    ({"title": "ab"}, "body.title"),
    ({"target_group": []}, "body.target_group"),
    ({"target_group": ["Not A Code"]}, "body.target_group.0"),
    ({"slug": "Not A Slug"}, "body.slug"),
    ({"course_id": "nope"}, "body.course_id"),
    ({"surprise": True}, "body.surprise"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INPUT)
async def test_bad_input_answers_422_naming_the_field(
    client: httpx.AsyncClient, tenant: TenantKeys, platform: Platform, change: dict, field: str
) -> None:
    response = await client.post(f"{BASE}/create", json=body(**change), headers=tenant.auth())
    assert response.status_code == 422, response.text
    fields = [e["field"] for e in response.json()["errors"]]
    assert field in fields, fields
    assert await events_of(platform, "distribution.created") == []


async def test_a_custom_cta_with_a_url_is_accepted_and_updates_name_their_fields(
    client: httpx.AsyncClient, tenant: TenantKeys, platform: Platform
) -> None:
    cta = {"label": "Book a call", "action": "custom", "url": "https://example.com/call"}
    created = await create(client, tenant, cta=cta)
    assert created["cta"] == cta
    response = await client.put(
        f"{BASE}/{created['id']}",
        json={"seo": seo(keywords=["a", "b", "c"]), "title": "Banking neu gedacht"},
        headers=tenant.auth(),
    )
    assert response.status_code == 200
    [event] = await events_of(platform, "distribution.updated")
    assert event.payload["changed_fields"] == ["title", "seo.keywords"]
    bad = await client.put(
        f"{BASE}/{created['id']}", json={"seo": seo(meta_title="short")}, headers=tenant.auth()
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.seo.meta_title"
    unchanged = await client.put(f"{BASE}/{created['id']}", json={}, headers=tenant.auth())
    assert unchanged.status_code == 200
    assert len(await events_of(platform, "distribution.updated")) == 1


async def test_public_reads_carry_an_etag_and_answer_304_when_unchanged(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    created = await create(client, tenant)
    published = await client.post(f"{BASE}/{created['id']}/publish", headers=tenant.auth())
    assert published.status_code == 200
    for path in (
        f"{BASE}/{created['slug']}",
        f"{BASE}/{created['slug']}/outline",
        f"{BASE}/catalog",
    ):
        first = await client.get(path)
        assert first.status_code == 200, path
        assert first.headers["cache-control"].startswith("public")
        etag = first.headers["etag"]
        again = await client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path
        assert again.content == b""

    # a change gives a new ETag: the old one no longer answers 304
    etag = (await client.get(f"{BASE}/{created['slug']}")).headers["etag"]
    changed = await client.put(
        f"{BASE}/{created['id']}", json={"title": "A new title for it"}, headers=tenant.auth()
    )
    assert changed.status_code == 200, changed.text
    fresh = await client.get(f"{BASE}/{created['slug']}", headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh.json()["title"] == "A new title for it"
    catalog = await client.get(f"{BASE}/catalog")
    assert [i["title"] for i in catalog.json()["items"]] == ["A new title for it"]


async def test_create_takes_the_version_of_the_source_model_and_responses_name_the_distribution_id(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    created = await create(client, tenant, version="v3")
    assert created["version"] == "v3"
    assert created["distribution_id"] == created["id"]
    bumped = await client.post(
        f"{BASE}/{created['id']}/bump-version", json={"message": "more"}, headers=tenant.auth()
    )
    assert bumped.json()["version"] == "v4"
    assert bumped.json()["distribution_id"] == created["id"]
    assert (await create(client, tenant))["version"] == "v1"
    listed = await client.get(BASE, headers=tenant.auth())
    assert all(item["distribution_id"] == item["id"] for item in listed.json()["items"])
    published = await client.post(f"{BASE}/{created['id']}/publish", headers=tenant.auth())
    assert published.status_code == 200, published.text
    public = await client.get(f"{BASE}/{created['slug']}")
    assert public.json()["distribution_id"] == created["id"]
    [item] = (await client.get(f"{BASE}/catalog")).json()["items"]
    assert item["distribution_id"] == created["id"]
    for wrong in ("3", "v0", "vx", "v1234567"):
        response = await client.post(
            f"{BASE}/create", json=body(version=wrong), headers=tenant.auth()
        )
        assert response.status_code == 422, wrong
        assert [e["field"] for e in response.json()["errors"]] == ["body.version"]
