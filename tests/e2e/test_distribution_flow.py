"""The course distribution's "Done when", end to end against real `brain setup` + `brain serve`.

Generating a course makes a PRIVATE distribution appear by itself (with the staging URL);
publishing puts it into `/courses`, `/sitemap.xml` and the catalog API with valid SEO markup; views
and clicks count with no visitor data stored; unpublishing removes it everywhere at once.
Everything is checked over HTTP only, except the final look into the SQLite file for visitor data.
"""

from __future__ import annotations

import json
import sqlite3
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from tests.e2e.test_make_run import generate_a_course, running_platform

pytestmark = pytest.mark.slow

# What a visitor's browser would reveal; none of it may end up in the database.
VISITOR_AGENT = "BrainE2EVisitor/7.3 (distinctive-user-agent-4f2a9c)"
VISITOR_IP = "203.0.113.77"  # TEST-NET-3, sent as X-Forwarded-For (uvicorn trusts 127.0.0.1)
VISITOR = {"User-Agent": VISITOR_AGENT, "X-Forwarded-For": VISITOR_IP}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
T = TypeVar("T")


class Page(HTMLParser):
    """The parts of an HTML page that search engines read."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.anchors: list[str] = []
        self.json_ld: list[object] = []
        self._in: str | None = None
        self._buffer: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "title":
            self._in, self._buffer = "title", []
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in, self._buffer = "ld", []
        elif tag == "meta" and "content" in attributes:
            name = attributes.get("name") or attributes.get("property")
            if name:
                self.meta[name] = attributes["content"]
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "a" and "href" in attributes:
            self.anchors.append(attributes["href"])

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._in == "title" and tag == "title":
            self.title = "".join(self._buffer).strip()
            self._in = None
        elif self._in == "ld" and tag == "script":
            self.json_ld.append(json.loads("".join(self._buffer)))
            self._in = None


def sitemap_urls(base: str) -> dict[str, list[tuple[str, str]]]:
    """Each <loc> of /sitemap.xml with its (hreflang, href) alternates."""
    response = httpx.get(f"{base}/sitemap.xml")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
    assert root.tag == f"{SITEMAP}urlset"
    urls = {}
    for url in root.findall(f"{SITEMAP}url"):
        loc = url.findtext(f"{SITEMAP}loc")
        assert loc
        urls[loc] = [
            (link.attrib["hreflang"], link.attrib["href"])
            for link in url.findall(f"{XHTML}link")
            if link.attrib.get("rel") == "alternate"
        ]
    return urls


def catalog_slugs(base: str) -> list[str]:
    response = httpx.get(f"{base}/api/distributions/catalog", params={"page_size": 100})
    assert response.status_code == 200, response.text
    return [item["slug"] for item in response.json()["items"]]


def catalog_page_links(base: str) -> list[str]:
    response = httpx.get(f"{base}/courses")
    assert response.status_code == 200, response.text
    return Page(response.text).anchors


def links_to(anchors: list[str], base: str, slug: str) -> bool:
    return any(href in (f"/courses/{slug}", f"{base}/courses/{slug}") for href in anchors)


def poll(what: str, fetch: Callable[[], T], done: Callable[[T], object], timeout: float) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if done(value):
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not within {timeout} s; last: {value!r}")
        time.sleep(0.2)


def test_a_generated_course_is_distributed_published_counted_and_unpublished(
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    extra = {"BRAIN_DISTRIBUTION_VIEW_FLUSH_SECONDS": "0.5", "FORWARDED_ALLOW_IPS": "127.0.0.1"}
    with running_platform(tmp_path, extra) as served:
        base, key = served.base, served.key
        admin = {"Authorization": f"Bearer {key}"}
        course = generate_a_course(base, key)
        assert course["generation_status"] == "completed", course
        assert course["deploy_to_staging"] is True
        assert course["staging_url"], course
        course_id = course["id"]

        # 1. a PRIVATE distribution appears by itself, with the staging URL, and is not public
        def distributions() -> dict[str, Any]:
            listed = httpx.get(
                f"{base}/api/distributions", params={"course_id": course_id}, headers=admin
            )
            assert listed.status_code == 200, listed.text
            return dict(listed.json())

        listed = poll(
            "a distribution with its staging URL",
            distributions,
            lambda body: body["total"] >= 1 and body["items"][0]["staging_url"],
            timeout=20,
        )
        assert listed["total"] == 1 and len(listed["items"]) == 1, listed
        distribution = listed["items"][0]
        assert distribution["course_id"] == course_id
        assert distribution["visibility"] == "PRIVATE"
        assert distribution["staging_url"] == course["staging_url"]
        slug, distribution_id = distribution["slug"], distribution["id"]
        page_url = f"{base}/courses/{slug}"
        assert httpx.get(f"{base}/api/distributions/{slug}").status_code == 404
        assert httpx.get(page_url).status_code == 404
        assert slug not in catalog_slugs(base)
        assert not links_to(catalog_page_links(base), base, slug)
        assert page_url not in sitemap_urls(base)
        private_at = time.monotonic()

        # 2. publishing shows it everywhere at once, with valid SEO markup
        published = httpx.post(f"{base}/api/distributions/{distribution_id}/publish", headers=admin)
        assert published.status_code == 200, published.text
        assert published.json()["visibility"] == "PUBLIC"
        assert published.json()["published_at"]

        catalog = httpx.get(f"{base}/api/distributions/catalog", params={"page_size": 100})
        assert catalog.status_code == 200, catalog.text
        items = {item["slug"]: item for item in catalog.json()["items"]}
        assert slug in items, catalog.json()
        assert items[slug]["url"] == page_url
        assert items[slug]["title"] == distribution["title"]
        assert "staging_url" not in items[slug] and "view_count" not in items[slug]
        by_slug = httpx.get(f"{base}/api/distributions/{slug}")
        assert by_slug.status_code == 200, by_slug.text
        assert by_slug.json()["id"] == distribution_id

        assert links_to(catalog_page_links(base), base, slug)

        sitemap = sitemap_urls(base)
        assert page_url in sitemap, sitemap
        alternates = dict(sitemap[page_url])
        assert alternates[distribution["language"]] == page_url
        assert alternates["x-default"] == page_url

        response = httpx.get(page_url)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/html")
        page = Page(response.text)
        seo = distribution["seo"]
        assert page.title == seo["meta_title"]
        assert page.meta["description"] == seo["meta_description"]
        assert 50 <= len(page.meta["description"]) <= 160
        canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
        assert canonical == [page_url]
        hreflang = {
            link["hreflang"]: link["href"]
            for link in page.links
            if link.get("rel") == "alternate" and "hreflang" in link
        }
        assert hreflang[distribution["language"]] == page_url
        assert hreflang["x-default"] == page_url
        assert "robots" not in page.meta  # PUBLIC pages are indexable
        courses = [d for d in page.json_ld if isinstance(d, dict) and d.get("@type") == "Course"]
        assert len(courses) == 1, page.json_ld
        assert courses[0]["@context"] == "https://schema.org"
        assert courses[0]["name"] == distribution["title"] == course["title"]
        assert courses[0]["url"] == page_url
        assert courses[0]["inLanguage"] == distribution["language"]
        published_at = time.monotonic()

        # 3. views and clicks count, with no visitor data stored
        viewed = httpx.post(f"{base}/api/distributions/{distribution_id}/log-view", headers=VISITOR)
        assert viewed.status_code == 204, viewed.text
        enroll = httpx.get(f"{page_url}/enroll", headers=VISITOR, follow_redirects=False)
        assert enroll.status_code == 302, enroll.text
        cta = distribution["cta"]
        learner_view = f"/learn/{distribution['slug']}"  # "open course" leads to the learner view
        opens = cta.get("action") == "open_course"
        target = cta.get("url") or (learner_view if opens else page_url)
        assert enroll.headers["location"] == target
        counted = poll(
            "the view and the click in the admin list",
            lambda: distributions()["items"][0],
            lambda d: d["view_count"] >= 1 and d["enrollment_click_count"] >= 1,
            timeout=10,
        )
        assert counted["view_count"] == 1 and counted["enrollment_click_count"] == 1, counted
        counted_at = time.monotonic()

        # 4. unpublishing removes it everywhere at once
        unpublished = httpx.post(
            f"{base}/api/distributions/{distribution_id}/unpublish", headers=admin
        )
        assert unpublished.status_code == 200, unpublished.text
        assert unpublished.json()["visibility"] == "PRIVATE"
        assert slug not in catalog_slugs(base)
        assert not links_to(catalog_page_links(base), base, slug)
        assert page_url not in sitemap_urls(base)
        assert httpx.get(page_url).status_code == 404
        assert httpx.get(f"{base}/api/distributions/{slug}").status_code == 404
        unpublished_at = time.monotonic()

    # After shutdown (the last tracking counts are flushed then): no visitor data anywhere.
    database = tmp_path / "var" / "brain.db"
    connection = sqlite3.connect(database)
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        assert "course_distributions" in tables, tables
        found = []
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the db
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if isinstance(value, str) and (VISITOR_AGENT in value or VISITOR_IP in value):
                        found.append(f"{table}.{column}")
        assert not found, f"visitor data stored in {sorted(set(found))}"
        views = connection.execute(
            "SELECT view_count, enrollment_click_count FROM course_distributions WHERE slug = ?",
            (slug,),
        ).fetchall()
        assert views == [(1, 1)]
    finally:
        connection.close()
    for file in database.parent.glob("brain.db*"):
        raw = file.read_bytes()
        assert VISITOR_AGENT.encode() not in raw and VISITOR_IP.encode() not in raw, file
    print(
        f"timings: generated+private {private_at - started:.1f} s, published+checked "
        f"{published_at - private_at:.1f} s, counted {counted_at - published_at:.1f} s, "
        f"unpublished {unpublished_at - counted_at:.1f} s, total {time.monotonic() - started:.1f} s"
    )
