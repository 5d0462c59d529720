"""Public HTML pages of course distribution: catalog, course page, enrol redirect, sitemap, robots.

Pages are parsed with the standard library's HTML parser, JSON-LD with `json.loads`, the sitemap
with `xml.etree`. Distributions are inserted directly; the outline comes from a stand-in reader of
the read-only course outline contract.
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from brain.bootstrap import Platform, build_platform, create_app
from brain.course_distribution import catalog
from brain.course_distribution.models import Distribution, SlugHistory
from brain.course_distribution.module import MODULE as DISTRIBUTION
from brain.course_distribution.schemas import DistributionUpdate
from brain.course_distribution.service import DistributionService
from brain.kernel.contracts import (
    CourseOutlineReader,
    CourseOutlineView,
    OutlineLessonView,
    OutlineModuleView,
)
from tests.conftest import TenantKeys, clear_tables, make_settings

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XSS = "<script>alert(1)</script>"


class Page(HTMLParser):
    """What a test needs from a page: head tags, scripts, links and text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.metas: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.anchors: list[dict[str, str]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.text: list[str] = []
        self._in: str | None = None
        self._script_attrs: dict[str, str] = {}
        self._buffer: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta":
            self.metas.append(values)
        elif tag == "link":
            self.links.append(values)
        elif tag == "a":
            self.anchors.append(values)
        elif tag in ("title", "script", "style"):
            self._in = tag
            self._script_attrs = values
            self._buffer = []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            content = "".join(self._buffer)
            if tag == "title":
                self.title = content
            elif tag == "script":
                self.scripts.append((self._script_attrs, content))
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._buffer.append(data)
        else:
            self.text.append(data)

    def meta(self, key: str) -> str | None:
        for meta in self.metas:
            if meta.get("name") == key or meta.get("property") == key:
                return meta.get("content")
        return None

    def link(self, rel: str) -> list[dict[str, str]]:
        return [link for link in self.links if link.get("rel") == rel]

    def json_ld(self) -> list[dict[str, Any]]:
        return [
            json.loads(body)
            for attrs, body in self.scripts
            if attrs.get("type") == "application/ld+json"
        ]

    @property
    def body_text(self) -> str:
        return " ".join(" ".join(self.text).split())


class FakeOutlines:
    def __init__(self) -> None:
        self.outlines: dict[uuid.UUID, CourseOutlineView] = {}

    async def outline(self, course_id: uuid.UUID) -> CourseOutlineView | None:
        return self.outlines.get(course_id)


@pytest.fixture
def outlines() -> FakeOutlines:
    return FakeOutlines()


@pytest.fixture
async def platform(
    database_url: str, tmp_path: Path, outlines: FakeOutlines
) -> AsyncIterator[Platform]:
    """The platform with course outlines from `outlines` instead of course_factory's reader."""
    built = build_platform(
        make_settings(tmp_path, database_url=database_url),
        contracts={CourseOutlineReader: outlines},
    )
    yield built
    await clear_tables(built.database)
    await built.close()


@pytest.fixture
async def web(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(platform)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


_counter = iter(range(1, 1_000_000))


async def add(platform: Platform, tenant: TenantKeys, **fields: Any) -> Distribution:
    n = next(_counter)
    values: dict[str, Any] = {
        "tenant_id": tenant.tenant_id,
        "course_id": uuid.uuid4(),
        "slug": f"course-{n}",
        "language": "en",
        "title": f"Course {n}",
        "description": f"A practical course number {n} for people who like to learn.",
        "target_group": ["beginners"],
        "seo": {
            "meta_title": f"Course {n} | learn online",
            "meta_description": "Learn the essentials step by step in a practical online course.",
            "keywords": ["learning", "online"],
            "og_image_url": None,
            "hreflang_alternates": {},
        },
        "cta": {"label": "Enrol now", "action": "custom", "url": "https://shop.example/buy"},
        "visibility": "PUBLIC",
        "published_at": datetime.now(UTC) - timedelta(minutes=n),
    }
    values.update(fields)
    async with platform.unit_of_work() as uow:
        distribution = Distribution(**values)
        uow.session.add(distribution)
        await uow.session.flush()
        await catalog.project(uow.session, distribution.id)  # what the service's events do
    return distribution


def base(platform: Platform) -> str:
    return platform.settings.public_url


async def test_a_course_page_carries_its_seo_markup_outline_and_cta(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient, outlines: FakeOutlines
) -> None:
    course_id = uuid.uuid4()
    await add(
        platform,
        tenant,
        slug="python-fuer-einsteiger",
        course_id=course_id,
        language="de",
        title="Python für Einsteiger",
        description="Ein praktischer Kurs über Python für alle, die programmieren lernen wollen.",
        target_group=["Schüler", "Quereinsteiger"],
        seo={
            "meta_title": "Python für Einsteiger lernen",
            "meta_description": (
                "Lerne Python Schritt für Schritt mit Übungen, Beispielen und Quiz."
            ),
            "keywords": ["python", "programmieren"],
            "og_image_url": "https://cdn.example/python.png",
            "hreflang_alternates": {"en": "https://example.org/courses/python-for-beginners"},
        },
        price_amount_minor=4900,
        price_currency="EUR",
    )
    outlines.outlines[course_id] = CourseOutlineView(
        course_id=course_id,
        tenant_id=tenant.tenant_id,
        title="Python für Einsteiger",
        description="",
        language="de",
        target_audiences=(),
        modules=(
            OutlineModuleView(
                position=0,
                title="Grundlagen",
                summary="Variablen und Typen",
                lessons=(
                    OutlineLessonView(0, "Variablen", "", True),
                    OutlineLessonView(1, "Schleifen", "", False),
                ),
            ),
        ),
    )
    response = await web.get("/courses/python-fuer-einsteiger")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    url = f"{base(platform)}/courses/python-fuer-einsteiger"

    assert page.title == "Python für Einsteiger lernen"
    assert page.meta(
        "description",
    ).startswith("Lerne Python")  # type: ignore[union-attr]
    assert page.meta("keywords") == "python, programmieren"
    assert page.meta("robots") is None
    assert [link["href"] for link in page.link("canonical")] == [url]
    alternates = {link["hreflang"]: link["href"] for link in page.link("alternate")}
    assert alternates == {
        "de": url,
        "en": "https://example.org/courses/python-for-beginners",
        "x-default": url,
    }
    assert page.meta("og:title") == "Python für Einsteiger lernen"
    assert page.meta(
        "og:description",
    ).startswith("Lerne Python")  # type: ignore[union-attr]
    assert page.meta("og:url") == url
    assert page.meta("og:type") == "website"
    assert page.meta("og:image") == "https://cdn.example/python.png"
    assert page.meta("og:locale") == "de_DE"
    assert page.meta("viewport") is not None

    [course] = page.json_ld()
    assert course["@context"] == "https://schema.org"
    assert course["@type"] == "Course"
    assert course["name"] == "Python für Einsteiger"
    assert course["description"].startswith("Ein praktischer Kurs")
    assert course["provider"] == {
        "@type": "Organization",
        "name": "BRAiN",
        "sameAs": base(platform),
    }
    assert course["inLanguage"] == "de"
    assert course["hasCourseInstance"]["@type"] == "CourseInstance"
    assert course["hasCourseInstance"]["courseMode"] == "online"
    assert course["offers"]["@type"] == "Offer"
    assert course["offers"]["price"] == "49.00"
    assert course["offers"]["priceCurrency"] == "EUR"
    assert course["url"] == url

    text = page.body_text
    for expected in (
        "Schüler",
        "Quereinsteiger",
        "Grundlagen",
        "Variablen",
        "Schleifen",
        "Kursinhalt",
    ):
        assert expected in text
    # A priced course sells instead of linking to the CTA: a buy form posting to the checkout.
    assert not [a for a in page.anchors if a.get("class") == "cta"]
    assert '<form class="buy" method="post" action="/courses/python-fuer-einsteiger/checkout">' in (
        response.text
    )
    assert 'type="email" name="email" required' in response.text
    assert "Für 49.00 EUR kaufen" in text
    assert "form-action 'self' https:" in response.headers["content-security-policy"]
    assert "<script>" not in response.text.replace('<script type="application/ld+json">', "")
    assert "default-src 'none'" in response.headers["content-security-policy"]


async def test_without_a_price_or_image_there_is_no_offer_and_no_og_image(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    other_tenants_course = uuid.uuid4()
    await add(platform, tenant, slug="plain", course_id=other_tenants_course)
    response = await web.get("/courses/plain")
    page = Page(response.text)
    [course] = page.json_ld()
    assert "offers" not in course
    assert [a["href"] for a in page.anchors if a.get("class") == "cta"] == ["/courses/plain/enroll"]
    assert "/checkout" not in response.text
    assert "form-action 'self';" in response.headers["content-security-policy"]
    assert page.meta("og:image") is None
    assert page.meta("og:locale") == "en_US"
    alternates = {link["hreflang"]: link["href"] for link in page.link("alternate")}
    assert alternates == {
        "en": f"{base(platform)}/courses/plain",
        "x-default": f"{base(platform)}/courses/plain",
    }


async def test_private_and_unknown_courses_answer_404(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    await add(platform, tenant, slug="secret", visibility="PRIVATE")
    for path in ("/courses/secret", "/courses/nothing-here", "/courses/secret/enroll"):
        response = await web.get(path)
        assert response.status_code == 404, path
        assert Page(response.text).meta("robots") == "noindex"
    async with platform.database.read_session() as session:
        clicks = await session.scalar(
            select(Distribution.enrollment_click_count).where(Distribution.slug == "secret")
        )
    assert clicks == 0


async def test_unlisted_pages_are_noindex_and_absent_from_catalog_and_sitemap(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    await add(platform, tenant, slug="hidden-gem", title="Hidden gem", visibility="UNLISTED")
    await add(platform, tenant, slug="public-one", title="Public one")
    response = await web.get("/courses/hidden-gem")
    assert response.status_code == 200
    assert Page(response.text).meta("robots") == "noindex"
    assert response.headers["x-robots-tag"] == "noindex"

    catalog = Page((await web.get("/courses")).text)
    hrefs = {a.get("href") for a in catalog.anchors}
    assert "/courses/public-one" in hrefs
    assert "/courses/hidden-gem" not in hrefs
    assert "Hidden gem" not in catalog.body_text
    [item_list] = catalog.json_ld()
    assert [i["url"] for i in item_list["itemListElement"]] == [
        f"{base(platform)}/courses/public-one"
    ]

    sitemap = (await web.get("/sitemap.xml")).text
    assert "hidden-gem" not in sitemap
    assert "public-one" in sitemap


async def test_a_script_in_a_title_is_text_and_cannot_break_the_json_ld(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    title = f'{XSS} "quoted" & </script><b>'
    await add(
        platform,
        tenant,
        slug="xss",
        title=title,
        description=f"Description {XSS} </SCRIPT> with enough words to be a description.",
        target_group=[XSS],
        seo={
            "meta_title": XSS,
            "meta_description": f"{XSS} meta description long enough to be a meta description.",
            "keywords": [XSS],
            "og_image_url": None,
            "hreflang_alternates": {},
        },
        cta={"label": XSS, "action": "custom", "url": "https://shop.example/x"},
    )
    for path in ("/courses/xss", "/courses"):
        response = await web.get(path)
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.text
        assert "</script><b>" not in response.text
        page = Page(response.text)
        # Only the JSON-LD script exists, and it parses to the exact title.
        assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/ld+json"]
        [data] = page.json_ld()
        if data["@type"] == "Course":
            assert data["name"] == title
            assert data["audience"]["audienceType"] == XSS
            assert page.title == XSS
            assert page.meta("keywords") == XSS
        else:
            assert data["itemListElement"][0]["name"] == title
        assert XSS in page.body_text


async def test_pages_carry_an_etag_and_answer_304_when_it_matches(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    await add(platform, tenant, slug="cached")
    for path in ("/courses/cached", "/courses", "/sitemap.xml", "/robots.txt"):
        first = await web.get(path)
        assert first.status_code == 200
        etag = first.headers["etag"]
        assert etag.startswith('"') and etag.endswith('"')
        assert "max-age" in first.headers["cache-control"]
        again = await web.get(path)
        assert again.headers["etag"] == etag
        not_modified = await web.get(path, headers={"If-None-Match": f'"other", {etag}'})
        assert not_modified.status_code == 304, path
        assert not_modified.content == b""
        assert not_modified.headers["etag"] == etag
        stale = await web.get(path, headers={"If-None-Match": '"stale"'})
        assert stale.status_code == 200

    before = (await web.get("/courses/cached")).headers["etag"]
    async with platform.unit_of_work() as uow:
        row = (
            await uow.session.execute(select(Distribution).where(Distribution.slug == "cached"))
        ).scalar_one()
        service = DistributionService(uow, platform.events.publisher)
        await service.update(row.tenant_id, row.id, DistributionUpdate(title="A new title"))
    changed = await web.get("/courses/cached", headers={"If-None-Match": before})
    assert changed.status_code == 200
    assert changed.headers["etag"] != before
    assert "A new title" in changed.text


async def test_the_catalog_pages_through_public_courses(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    for _ in range(15):
        await add(platform, tenant)
    first = Page((await web.get("/courses")).text)
    [first_list] = first.json_ld()
    assert first_list["@type"] == "ItemList"
    assert [i["position"] for i in first_list["itemListElement"]] == list(range(1, 13))
    assert [link["href"] for link in first.link("next")] == ["/courses?page=2"]
    assert first.link("prev") == []
    assert "Page 1 of 2" in first.body_text

    second = Page((await web.get("/courses?page=2")).text)
    [second_list] = second.json_ld()
    assert [i["position"] for i in second_list["itemListElement"]] == [13, 14, 15]
    assert [link["href"] for link in second.link("prev")] == ["/courses"]
    assert second.link("next") == []
    urls = {i["url"] for i in first_list["itemListElement"] + second_list["itemListElement"]}
    assert len(urls) == 15

    # Out of range or nonsense pages are clamped, never an error.
    assert (await web.get("/courses?page=99")).status_code == 200
    assert (await web.get("/courses?page=abc")).status_code == 200


async def test_the_catalog_filters_by_language_audience_and_text(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    await add(
        platform,
        tenant,
        slug="de-kurs",
        language="de",
        title="Excel Grundlagen",
        target_group=["Büro", "Anfänger"],
    )
    await add(
        platform,
        tenant,
        slug="en-course",
        language="en",
        title="Excel basics",
        target_group=["office"],
    )
    await add(
        platform,
        tenant,
        slug="en-other",
        language="en",
        title="Gardening 100%",
        description="Plants and soil.",
        target_group=["hobby"],
    )

    async def slugs(query: str) -> list[str]:
        response = await web.get(f"/courses{query}")
        assert response.status_code == 200
        [item_list] = Page(response.text).json_ld()
        return sorted(i["url"].rsplit("/", 1)[1] for i in item_list["itemListElement"])

    assert await slugs("") == ["de-kurs", "en-course", "en-other"]
    assert await slugs("?language=de") == ["de-kurs"]
    assert await slugs("?language=en") == ["en-course", "en-other"]
    assert await slugs("?target_group=Büro") == ["de-kurs"]
    assert await slugs("?target_group=office") == ["en-course"]
    assert await slugs("?target_group=nobody") == []
    assert await slugs("?q=excel") == ["de-kurs", "en-course"]
    assert await slugs("?q=soil") == ["en-other"]
    assert await slugs("?q=100%25") == ["en-other"]
    assert await slugs("?q=_") == []
    assert await slugs("?q=excel&language=en&target_group=office") == ["en-course"]
    page = Page((await web.get("/courses?language=de")).text)
    assert "Kurse" in page.title
    assert "Keine Kurse" in Page((await web.get("/courses?language=de&q=zzz")).text).body_text


async def test_an_old_slug_answers_301_to_the_current_one(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    distribution = await add(platform, tenant, slug="new-name")
    async with platform.unit_of_work() as uow:
        uow.session.add(SlugHistory(slug="old-name", distribution_id=distribution.id))
    response = await web.get("/courses/old-name")
    assert response.status_code == 301
    assert response.headers["location"] == "/courses/new-name"
    enroll = await web.get("/courses/old-name/enroll")
    assert enroll.status_code == 301
    assert enroll.headers["location"] == "/courses/new-name/enroll"

    private = await add(platform, tenant, slug="private-new", visibility="PRIVATE")
    async with platform.unit_of_work() as uow:
        uow.session.add(SlugHistory(slug="private-old", distribution_id=private.id))
    assert (await web.get("/courses/private-old")).status_code == 404


async def clicks(platform: Platform, slug: str) -> int:
    async with platform.database.read_session() as session:
        value = await session.scalar(
            select(Distribution.enrollment_click_count).where(Distribution.slug == slug)
        )
    return int(value or 0)


async def test_enrol_counts_the_click_and_redirects_to_the_cta(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    await add(platform, tenant, slug="shop")
    await add(
        platform,
        tenant,
        slug="staged",
        cta={"label": "Open the course", "action": "open_course", "url": None},
        staging_url="http://127.0.0.1:8000/staging/abc/",
    )
    await add(
        platform,
        tenant,
        slug="unstaged",
        visibility="UNLISTED",
        cta={"label": "Open the course", "action": "open_course"},
    )
    await add(
        platform,
        tenant,
        slug="evil",
        cta={"label": "Click here", "action": "custom", "url": "javascript:alert(1)"},
    )

    for _ in range(3):
        response = await web.get("/courses/shop/enroll")
        assert response.status_code == 302
        assert response.headers["location"] == "https://shop.example/buy"
        assert response.headers["cache-control"] == "no-store"
    assert await clicks(platform, "shop") == 3

    response = await web.get("/courses/staged/enroll")
    assert response.status_code == 302
    assert response.headers["location"] == "/learn/staged", "never the staging preview"
    assert await clicks(platform, "staged") == 1

    response = await web.get("/courses/unstaged/enroll")
    assert response.status_code == 302
    assert response.headers["location"] == "/learn/unstaged"
    assert await clicks(platform, "unstaged") == 1

    response = await web.get("/courses/evil/enroll")
    assert response.status_code == 302
    assert response.headers["location"] == "/courses/evil"

    assert await platform.deps_of(DISTRIBUTION).tracking.aggregator.flush() == 4
    page = await platform.events.operations.list_events(
        tenant_id=tenant.tenant_id, type_pattern="distribution.enrollment_clicked"
    )
    clicked = {
        event.payload["distribution_id"]: event.payload["clicks"] for _, event, _ in page.items
    }
    assert sorted(clicked.values()) == [1, 1, 1, 3]


async def test_the_sitemap_lists_public_courses_with_hreflang_alternates(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    await add(
        platform,
        tenant,
        slug="kurs-de",
        language="de",
        seo={
            "meta_title": "Ein deutscher Kurs",
            "meta_description": (
                "Eine Beschreibung, die lang genug ist, um eine Beschreibung zu sein."
            ),
            "keywords": [],
            "og_image_url": None,
            "hreflang_alternates": {
                "en": "https://example.org/courses/course-en",
                "fr": "https://example.org/courses/cours-fr?a=1&b=2",
            },
        },
    )
    await add(platform, tenant, slug="course-en")
    await add(platform, tenant, slug="draft", visibility="PRIVATE")
    await add(platform, tenant, slug="unlisted", visibility="UNLISTED")

    response = await web.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap
    assert root.tag == f"{SITEMAP}urlset"
    entries = {}
    for url in root.findall(f"{SITEMAP}url"):
        loc = url.findtext(f"{SITEMAP}loc")
        links = {
            link.get("hreflang"): link.get("href")
            for link in url.findall(f"{XHTML}link")
            if link.get("rel") == "alternate"
        }
        entries[loc] = (links, url.findtext(f"{SITEMAP}lastmod"))
    site = base(platform)
    assert set(entries) == {
        f"{site}/courses",
        f"{site}/courses/kurs-de",
        f"{site}/courses/course-en",
    }
    links, lastmod = entries[f"{site}/courses/kurs-de"]
    assert links == {
        "de": f"{site}/courses/kurs-de",
        "en": "https://example.org/courses/course-en",
        "fr": "https://example.org/courses/cours-fr?a=1&b=2",
        "x-default": f"{site}/courses/kurs-de",
    }
    assert lastmod is not None and datetime.fromisoformat(lastmod)
    assert entries[f"{site}/courses/course-en"][0]["en"] == f"{site}/courses/course-en"

    # Unpublishing removes the course from the sitemap and the catalog at once.
    async with platform.unit_of_work() as uow:
        row = (
            await uow.session.execute(select(Distribution).where(Distribution.slug == "kurs-de"))
        ).scalar_one()
        service = DistributionService(uow, platform.events.publisher)
        await service.unpublish(row.tenant_id, row.id)
    assert "kurs-de" not in (await web.get("/sitemap.xml")).text
    assert "/courses/kurs-de" not in (await web.get("/courses")).text
    assert (await web.get("/courses/kurs-de")).status_code == 404


async def test_robots_txt_allows_courses_and_points_at_the_sitemap(
    platform: Platform, web: httpx.AsyncClient
) -> None:
    response = await web.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /courses" in lines
    assert "Disallow: /api" in lines
    assert "Disallow: /staging" in lines
    assert f"Sitemap: {base(platform)}/sitemap.xml" in lines


async def test_an_outline_of_another_tenant_is_never_shown(
    platform: Platform,
    tenant: TenantKeys,
    other_tenant: TenantKeys,
    web: httpx.AsyncClient,
    outlines: FakeOutlines,
) -> None:
    course_id = uuid.uuid4()
    await add(platform, tenant, slug="mixed-up", course_id=course_id)
    outlines.outlines[course_id] = CourseOutlineView(
        course_id=course_id,
        tenant_id=other_tenant.tenant_id,
        title="Foreign",
        description="",
        language="en",
        target_audiences=(),
        modules=(OutlineModuleView(0, "Foreign module", "", ()),),
    )
    page = Page((await web.get("/courses/mixed-up")).text)
    assert "Foreign module" not in page.body_text
    assert "Course contents" not in page.body_text


async def test_enrol_for_a_downloadable_outline_goes_to_the_outline(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    await add(
        platform,
        tenant,
        slug="outline-only",
        cta={"label": "Get the outline", "action": "download_outline"},
    )
    response = await web.get("/courses/outline-only/enroll")
    assert response.status_code == 302
    assert response.headers["location"] == "/api/distributions/outline-only/outline"
    assert await clicks(platform, "outline-only") == 1


async def test_a_cached_page_goes_at_once_when_its_distribution_is_unpublished_or_deleted(
    platform: Platform, tenant: TenantKeys, web: httpx.AsyncClient
) -> None:
    unlisted = await add(platform, tenant, slug="unlisted-page", visibility="UNLISTED")
    public = await add(platform, tenant, slug="public-page")
    for slug in ("unlisted-page", "public-page"):
        assert (await web.get(f"/courses/{slug}")).status_code == 200
        assert (await web.get(f"/courses/{slug}")).status_code == 200  # from the cache
    async with platform.unit_of_work() as uow:
        service = DistributionService(uow, platform.events.publisher)
        await service.unpublish(tenant.tenant_id, unlisted.id)
    assert (await web.get("/courses/unlisted-page")).status_code == 404
    async with platform.unit_of_work() as uow:
        service = DistributionService(uow, platform.events.publisher)
        await service.delete(tenant.tenant_id, public.id)
    assert (await web.get("/courses/public-page")).status_code == 404
