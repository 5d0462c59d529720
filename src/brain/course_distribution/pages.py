"""The public HTML side of course distribution: catalog, course pages, enrol redirect, sitemap,
robots.txt.

Every page query runs on a read session; only the enrol click opens a unit of work. Pages are
answered with an ETag and `Cache-Control` (`http_cache.py`); the platform keeps the public ones in
memory under the catalog's version and answers them before routing (`catalog.CatalogVersion`,
`brain.kernel.response_cache`, ADR 0024), so a route here runs on a miss only. What search
engines read is built in `seo.py`, the words on the page come from `strings.py`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from brain.course_distribution import rendering
from brain.course_distribution.dependencies import Deps, DistributionDeps
from brain.course_distribution.http_cache import CACHE_CONTROL, Prepared, cached
from brain.course_distribution.models import VISIBLE, Distribution, Visibility
from brain.course_distribution.repository import (
    CatalogRepository,
    DistributionRepository,
    Filters,
)
from brain.course_distribution.seo import (
    OG_LOCALES,
    PROVIDER,
    course_url,
    hreflang_links,
    json_ld,
    sitemap_xml,
)
from brain.course_distribution.strings import UI_STRINGS, strings
from brain.course_distribution.tracking import count_visit
from brain.kernel.contracts import CourseOutlineView

PAGE_SIZE = 12
MAX_QUERY = 100
SITEMAP_LIMIT = 50_000
SITEMAP_TYPE = "application/xml; charset=utf-8"

router = APIRouter(include_in_schema=False)


# --- rendering helpers -------------------------------------------------------------------------


def _price(distribution: Distribution) -> tuple[str, str] | None:
    if distribution.price_amount_minor is None or not distribution.price_currency:
        return None
    amount = f"{distribution.price_amount_minor / 100:.2f}"
    return amount, distribution.price_currency.upper()


def _safe_target(url: str | None) -> str | None:
    """An absolute http(s) URL or a site path; anything else (javascript:, //host) is refused."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    if not parts.scheme and not parts.netloc and url.startswith("/") and not url.startswith("//"):
        return url
    return None


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogFilters:
    language: str | None
    target_group: str | None
    q: str | None
    page: int

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> CatalogFilters:
        def clean(name: str, limit: int) -> str | None:
            value = (params.get(name) or "").strip()[:limit]
            return value or None

        try:
            page = max(1, min(int(params.get("page") or 1), 100_000))
        except ValueError:
            page = 1
        language = clean("language", 8)
        return cls(
            language=language.lower() if language else None,
            target_group=clean("target_group", MAX_QUERY),
            q=clean("q", MAX_QUERY),
            page=page,
        )

    def query(self, page: int | None = None) -> str:
        params = {
            "language": self.language,
            "target_group": self.target_group,
            "q": self.q,
            "page": page if page and page > 1 else None,
        }
        encoded = urlencode({k: v for k, v in params.items() if v})
        return f"?{encoded}" if encoded else ""


async def _outline(deps: DistributionDeps, distribution: Distribution) -> CourseOutlineView | None:
    outline = await deps.outlines.outline(distribution.course_id)
    if outline is None or outline.tenant_id != distribution.tenant_id:
        return None
    return outline


def _not_found(request: Request) -> Response:
    return rendering.html(
        request,
        "not_found.html.j2",
        status_code=404,
        lang="en",
        t=strings("en"),
        page_title=strings("en")["not_found"],
        description=None,
        noindex=True,
    )


def _moved(path: str) -> Response:
    return RedirectResponse(path, status_code=301, headers={"Cache-Control": CACHE_CONTROL})


# --- routes ------------------------------------------------------------------------------------


@router.get("/courses")
async def catalog_page(request: Request, deps: Deps) -> Response:
    """Served from the catalog's read model in one read session (three queries)."""
    filters = CatalogFilters.parse(request.query_params)
    async with deps.database.read_session() as session:
        prepared = await _catalog_page(deps, session, filters)
    return prepared.send(request)


async def _catalog_page(
    deps: DistributionDeps, session: AsyncSession, filters: CatalogFilters
) -> Prepared:
    base = deps.public_url
    wanted = Filters(filters.language, filters.target_group, filters.q)
    page = filters.page
    rows, total = await CatalogRepository(session).page(
        wanted, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages:  # past the end: the last page (a second read only then)
        page = pages
        rows, total = await CatalogRepository(session).page(
            wanted, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    languages = await CatalogRepository(session).languages()
    lang = filters.language if filters.language in UI_STRINGS else "en"
    t = strings(lang)
    items = [
        {
            "slug": row["slug"],
            "url": course_url(base, row["slug"]),
            "path": f"/courses/{quote(row['slug'])}",
            "title": row["title"],
            "description": row["description"],
            "language": row["language"],
            "audiences": list(row["target_group"] or []),
        }
        for row in rows
    ]
    item_list = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "numberOfItems": len(items),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": (page - 1) * PAGE_SIZE + index,
                "url": item["url"],
                "name": item["title"],
            }
            for index, item in enumerate(items, start=1)
        ],
    }
    canonical = f"{base}/courses{filters.query(page)}"
    return rendering.page(
        "catalog.html.j2",
        lang=lang,
        t=t,
        page_title=f"{t['catalog']} | {PROVIDER}",
        description=t["catalog_intro"],
        canonical=canonical,
        items=items,
        filters=filters,
        languages=languages,
        page=page,
        pages=pages,
        page_label=t["page_of"].format(n=page, total=pages),
        prev_url=f"/courses{filters.query(page - 1)}" if page > 1 else None,
        next_url=f"/courses{filters.query(page + 1)}" if page < pages else None,
        json_ld=json_ld(item_list),
        noindex=False,
    )


@router.get("/courses/{slug}")
async def course_page(request: Request, deps: Deps, slug: str) -> Response:
    """Two short reads: the distribution (one query), then its course's outline through the
    contract (three queries, whatever the size of the course or the catalog). The first read
    session is closed before the second opens: a request never holds a pooled connection while
    it waits for another (under load that deadlocked the pool)."""
    async with deps.database.read_session() as session:
        repo = DistributionRepository(session)
        distribution = await repo.by_slug(slug)
        moved = await repo.visible_slug_moved_from(slug) if distribution is None else None
    if moved is not None:
        return _moved(f"/courses/{quote(moved)}")
    if distribution is None or distribution.visibility not in VISIBLE:
        return _not_found(request)
    outline = await _outline(deps, distribution)
    return _render_course(deps.public_url, distribution, outline).send(request)


def _render_course(
    base: str, distribution: Distribution, outline: CourseOutlineView | None
) -> Prepared:
    seo: dict[str, Any] = dict(distribution.seo or {})
    cta: dict[str, Any] = dict(distribution.cta or {})
    lang = distribution.language
    t = strings(lang)
    canonical = course_url(base, distribution.slug)
    meta_title = str(seo.get("meta_title") or distribution.title)
    meta_description = str(seo.get("meta_description") or distribution.description[:160])
    keywords = [str(k) for k in seo.get("keywords") or []]
    og_image = seo.get("og_image_url") or None
    audiences = [str(a) for a in distribution.target_group or []]
    price = _price(distribution)
    provider = PROVIDER

    course: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": distribution.title,
        "description": distribution.description or meta_description,
        "url": canonical,
        "inLanguage": lang,
        "provider": {"@type": "Organization", "name": provider, "sameAs": base},
        "hasCourseInstance": {
            "@type": "CourseInstance",
            "courseMode": "online",
            "inLanguage": lang,
        },
    }
    if keywords:
        course["keywords"] = ", ".join(keywords)
    if audiences:
        course["audience"] = {"@type": "Audience", "audienceType": ", ".join(audiences)}
    if og_image:
        course["image"] = og_image
    if distribution.version:
        course["version"] = distribution.version
    if price is not None:
        amount, currency = price
        course["offers"] = {
            "@type": "Offer",
            "price": amount,
            "priceCurrency": currency,
            "category": "Free" if distribution.price_amount_minor == 0 else "Paid",
            "url": canonical,
        }
    modules = []
    if outline is not None:
        for module in outline.modules:
            modules.append(
                {
                    "title": module.title,
                    "summary": module.summary,
                    "lessons": [lesson.title for lesson in module.lessons],
                }
            )
        course["syllabusSections"] = [
            {"@type": "Syllabus", "name": module["title"]} for module in modules
        ]
    price_label = None
    if price is not None:
        price_label = t["free"] if distribution.price_amount_minor == 0 else " ".join(price)
    noindex = distribution.visibility == Visibility.UNLISTED.value
    sold = price is not None and bool(distribution.price_amount_minor)
    return rendering.page(
        "course.html.j2",
        lang=lang,
        t=t,
        page_title=meta_title,
        description=meta_description,
        keywords=", ".join(keywords),
        canonical=canonical,
        hreflang=hreflang_links(lang, canonical, seo),
        og={
            "title": meta_title,
            "description": meta_description,
            "url": canonical,
            "type": "website",
            "image": og_image,
            "locale": OG_LOCALES.get(lang, lang),
            "site_name": provider,
        },
        noindex=noindex,
        distribution=distribution,
        audiences=audiences,
        modules=modules,
        cta_label=str(cta.get("label") or ""),
        enroll_path=f"/courses/{quote(distribution.slug)}/enroll",
        price_label=price_label,
        buy_path=f"/courses/{quote(distribution.slug)}/checkout" if sold else None,
        buy_label=t["buy"].format(price=" ".join(price)) if sold and price else None,
        json_ld=json_ld(course),
    )


@router.get("/courses/{slug}/enroll")
async def enroll(request: Request, deps: Deps, slug: str) -> Response:
    """Count the click (no visitor data) and send the visitor where the CTA points."""
    async with deps.units_of_work() as uow:
        repo = DistributionRepository(uow.session)
        distribution = await repo.by_slug(slug)
        if distribution is None:
            current = await repo.visible_slug_moved_from(slug)
            if current is not None:
                return _moved(f"/courses/{quote(current)}/enroll")
            return _not_found(request)
        if distribution.visibility not in VISIBLE:
            return _not_found(request)
        target = _enroll_target(distribution)
        # The visitor is always sent on; counting is rate-limited per client like track-click,
        # and the click joins the aggregated `distribution.enrollment_clicked` once committed.
        client = request.client.host if request.client else "unknown"
        if deps.tracking.limiter.hit(client, f"click:{distribution.id}") is None:
            await count_visit(uow.session, distribution, clicks=1)
    return RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-store"})


def _enroll_target(distribution: Distribution) -> str:
    """Where the CTA leads. `open_course`: the learner view (never the staging site, a preview
    for the course's tenant)."""
    cta = distribution.cta or {}
    page = f"/courses/{quote(distribution.slug)}"
    action = cta.get("action")
    if action == "open_course":
        return f"/learn/{quote(distribution.slug)}"
    url = _safe_target(cta.get("url"))
    if url:
        return url
    if action == "download_outline":
        return f"/api/distributions/{quote(distribution.slug)}/outline"
    return page


@router.get("/sitemap.xml")
async def sitemap(request: Request, deps: Deps) -> Response:
    """The PUBLIC courses from the catalog's read model."""
    async with deps.database.read_session() as session:
        rows = await CatalogRepository(session).sitemap_entries(SITEMAP_LIMIT - 1)
    return Prepared.of(sitemap_xml(deps.public_url, rows), SITEMAP_TYPE).send(request)


@router.get("/robots.txt")
async def robots(request: Request, deps: Deps) -> Response:
    body = "\n".join(
        [
            "User-agent: *",
            "Allow: /courses",
            "Disallow: /courses/*/enroll",
            "Disallow: /api",
            "Allow: /learn",
            "Disallow: /staging",
            f"Sitemap: {deps.public_url}/sitemap.xml",
            "",
        ]
    )
    return cached(request, body, "text/plain; charset=utf-8")


__all__ = ["CatalogFilters", "router"]
