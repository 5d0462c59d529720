"""The public HTML side of course distribution: catalog, course pages, enrol redirect, sitemap,
robots.txt.

Pages are rendered on the server with Jinja2 (autoescape on), carry no JavaScript and inline their
one small stylesheet (allowed by a hash in the Content-Security-Policy), so a page is one request.
Every page query runs on a read session; only the enrol click opens a unit of work.

Everything a user typed is escaped: HTML by the template engine, JSON-LD by `json_ld` (which also
escapes `<`, `>` and `&`, so a title containing `</script>` cannot end the script element), the
sitemap by the XML escaper. Responses carry an `ETag` (a hash of the body) and `Cache-Control`, and
a matching `If-None-Match` answers 304.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode, urlsplit
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from brain.course_distribution import catalog
from brain.course_distribution.dependencies import Deps, DistributionDeps
from brain.course_distribution.models import VISIBLE, Distribution, SlugHistory, Visibility
from brain.course_distribution.tracking import count_visit
from brain.kernel.contracts import CourseOutlineView

_PACKAGE = "brain.course_distribution"
_TEMPLATE_DIR = "templates/public"
PAGE_SIZE = 12
MAX_QUERY = 100
SITEMAP_LIMIT = 50_000
CACHE_CONTROL = "public, max-age=60"
SITEMAP_TYPE = "application/xml; charset=utf-8"
PROVIDER = "BRAiN"
"""The organisation named as the courses' provider (schema.org `provider`, `og:site_name`)."""

OG_LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "it": "it_IT"}

UI_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "catalog": "Courses",
        "catalog_intro": "Browse our online courses.",
        "search": "Search",
        "language": "Language",
        "all_languages": "All languages",
        "audience": "Audience",
        "filter": "Filter",
        "reset": "Reset",
        "previous": "Previous",
        "next": "Next",
        "page_of": "Page {n} of {total}",
        "no_results": "No courses match these filters.",
        "for_whom": "Who this course is for",
        "contents": "Course contents",
        "module": "Module",
        "lessons_count": "{count} lessons",
        "all_courses": "All courses",
        "not_found": "Course not found",
        "not_found_text": "This course does not exist or is not public.",
        "price": "Price",
        "free": "Free",
        "email": "Your e-mail address",
        "buy": "Buy for {price}",
        "skip": "Skip to content",
        "pagination": "Pages",
    },
    "de": {
        "catalog": "Kurse",
        "catalog_intro": "Entdecke unsere Online-Kurse.",
        "search": "Suche",
        "language": "Sprache",
        "all_languages": "Alle Sprachen",
        "audience": "Zielgruppe",
        "filter": "Filtern",
        "reset": "Zurücksetzen",
        "previous": "Zurück",
        "next": "Weiter",
        "page_of": "Seite {n} von {total}",
        "no_results": "Keine Kurse passen zu diesen Filtern.",
        "for_whom": "Für wen ist dieser Kurs?",
        "contents": "Kursinhalt",
        "module": "Modul",
        "lessons_count": "{count} Lektionen",
        "all_courses": "Alle Kurse",
        "not_found": "Kurs nicht gefunden",
        "not_found_text": "Diesen Kurs gibt es nicht oder er ist nicht öffentlich.",
        "price": "Preis",
        "free": "Kostenlos",
        "email": "Deine E-Mail-Adresse",
        "buy": "Für {price} kaufen",
        "skip": "Zum Inhalt springen",
        "pagination": "Seiten",
    },
    "fr": {
        "catalog": "Cours",
        "catalog_intro": "Découvrez nos cours en ligne.",
        "search": "Rechercher",
        "language": "Langue",
        "all_languages": "Toutes les langues",
        "audience": "Public",
        "filter": "Filtrer",
        "reset": "Réinitialiser",
        "previous": "Précédent",
        "next": "Suivant",
        "page_of": "Page {n} sur {total}",
        "no_results": "Aucun cours ne correspond à ces filtres.",
        "for_whom": "À qui s'adresse ce cours\u00a0?",
        "contents": "Contenu du cours",
        "module": "Module",
        "lessons_count": "{count} leçons",
        "all_courses": "Tous les cours",
        "not_found": "Cours introuvable",
        "not_found_text": "Ce cours n'existe pas ou n'est pas public.",
        "price": "Prix",
        "free": "Gratuit",
        "email": "Votre adresse e-mail",
        "buy": "Acheter pour {price}",
        "skip": "Aller au contenu",
        "pagination": "Pages",
    },
    "es": {
        "catalog": "Cursos",
        "catalog_intro": "Descubre nuestros cursos en línea.",
        "search": "Buscar",
        "language": "Idioma",
        "all_languages": "Todos los idiomas",
        "audience": "Público",
        "filter": "Filtrar",
        "reset": "Restablecer",
        "previous": "Anterior",
        "next": "Siguiente",
        "page_of": "Página {n} de {total}",
        "no_results": "Ningún curso coincide con estos filtros.",
        "for_whom": "¿Para quién es este curso?",
        "contents": "Contenido del curso",
        "module": "Módulo",
        "lessons_count": "{count} lecciones",
        "all_courses": "Todos los cursos",
        "not_found": "Curso no encontrado",
        "not_found_text": "Este curso no existe o no es público.",
        "price": "Precio",
        "free": "Gratis",
        "email": "Tu correo electrónico",
        "buy": "Comprar por {price}",
        "skip": "Saltar al contenido",
        "pagination": "Páginas",
    },
}

router = APIRouter(include_in_schema=False)


# --- rendering helpers -------------------------------------------------------------------------


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader(_PACKAGE, _TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _stylesheet() -> tuple[str, str]:
    """The inline stylesheet and its CSP source expression."""
    css = resources.files(_PACKAGE).joinpath(_TEMPLATE_DIR, "style.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"'sha256-{digest}'"


def _csp(*, sells: bool = False) -> str:
    _css, style_hash = _stylesheet()
    # A buy form's answer redirects to the payment provider's hosted checkout, which browsers
    # check against form-action too.
    targets = "'self' https:" if sells else "'self'"
    return (
        f"default-src 'none'; style-src {style_hash}; img-src https: data:; base-uri 'none'; "
        f"form-action {targets}; frame-ancestors 'none'"
    )


def json_ld(data: Mapping[str, Any]) -> Markup:
    """`data` as JSON safe to put inside `<script type="application/ld+json">`."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    raw = raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    raw = raw.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(raw)  # noqa: S704 - every `<`, `>` and `&` is escaped above


def _strings(language: str) -> dict[str, str]:
    return UI_STRINGS.get(language, UI_STRINGS["en"])


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = [c.strip() for c in if_none_match.split(",")]
    return any(c == "*" or c.removeprefix("W/") == etag for c in candidates)


@dataclass(frozen=True)
class Prepared:
    """A response body with its ETag, ready to send (and to keep in a cache)."""

    data: bytes
    etag: str
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, body: str, media_type: str, headers: Mapping[str, str] | None = None) -> Prepared:
        data = body.encode("utf-8")
        return cls(data, _etag(data), media_type, tuple((headers or {}).items()))

    def send(self, request: Request, status_code: int = 200) -> Response:
        """The body, or 304 when the client already has it."""
        all_headers = {"ETag": self.etag, "Cache-Control": CACHE_CONTROL, **dict(self.headers)}
        if status_code == 200 and _matches(request.headers.get("if-none-match"), self.etag):
            return Response(status_code=304, headers=all_headers)
        return Response(
            self.data, status_code=status_code, media_type=self.media_type, headers=all_headers
        )


def cached(
    request: Request,
    body: str,
    media_type: str,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """`body` with an ETag and Cache-Control; 304 when the client already has it."""
    return Prepared.of(body, media_type, headers).send(request, status_code)


def _page(template: str, **context: Any) -> Prepared:
    css, _hash = _stylesheet()
    body = _environment().get_template(template).render(css=Markup(css), **context)  # noqa: S704
    headers = {
        "Content-Security-Policy": _csp(sells=bool(context.get("buy_path"))),
        "X-Content-Type-Options": "nosniff",
    }
    if context.get("noindex"):
        headers["X-Robots-Tag"] = "noindex"
    return Prepared.of(body, "text/html; charset=utf-8", headers)


def _html(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return _page(template, **context).send(request, status_code)


def _course_url(base: str, slug: str) -> str:
    return f"{base}/courses/{quote(slug)}"


def _alternates(seo: Mapping[str, Any]) -> dict[str, str]:
    raw = seo.get("hreflang_alternates") or {}
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items() if k and v}
    if isinstance(raw, list):  # tolerate [{"hreflang"/"language": …, "url"/"href": …}]
        found = {}
        for item in raw:
            if isinstance(item, Mapping):
                code = item.get("hreflang") or item.get("language")
                url = item.get("url") or item.get("href")
                if code and url:
                    found[str(code)] = str(url)
        return found
    return {}


def hreflang_links(language: str, canonical: str, seo: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(hreflang, href) pairs: the page itself, each alternate, and x-default."""
    links = {language: canonical}
    for code, url in _alternates(seo).items():
        if code != language:
            links[code] = url
    pairs = sorted(links.items())
    pairs.append(("x-default", canonical))
    return pairs


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


async def _find(session: AsyncSession, slug: str) -> Distribution | None:
    result = await session.execute(select(Distribution).where(Distribution.slug == slug))
    return result.scalar_one_or_none()


async def _moved_to(session: AsyncSession, slug: str) -> str | None:
    """The current slug of a distribution that used to be at `slug`, when it is visible."""
    result = await session.execute(
        select(Distribution.slug)
        .join(SlugHistory, SlugHistory.distribution_id == Distribution.id)
        .where(SlugHistory.slug == slug, Distribution.visibility.in_(VISIBLE))
    )
    return result.scalar_one_or_none()


async def _outline(deps: DistributionDeps, distribution: Distribution) -> CourseOutlineView | None:
    outline = await deps.outlines.outline(distribution.course_id)
    if outline is None or outline.tenant_id != distribution.tenant_id:
        return None
    return outline


def _not_found(request: Request) -> Response:
    return _html(
        request,
        "not_found.html.j2",
        status_code=404,
        lang="en",
        t=_strings("en"),
        page_title=_strings("en")["not_found"],
        description=None,
        noindex=True,
    )


def _moved(path: str) -> Response:
    return RedirectResponse(path, status_code=301, headers={"Cache-Control": CACHE_CONTROL})


# --- routes ------------------------------------------------------------------------------------


@router.get("/courses")
async def catalog_page(request: Request, deps: Deps) -> Response:
    """Served from the catalog's read model; a rendered page is reused until the catalog changes."""
    filters = CatalogFilters.parse(request.query_params)
    key = ("page", filters)
    async with deps.database.read_session() as session:
        current = await catalog.stamp(session)
        prepared = deps.cache.get(key, current)
        if prepared is None:
            prepared = await _catalog_page(deps, session, filters)
            deps.cache.put(key, current, prepared)
    return prepared.send(request)


async def _catalog_page(
    deps: DistributionDeps, session: AsyncSession, filters: CatalogFilters
) -> Prepared:
    base = deps.public_url
    wanted = catalog.Filters(filters.language, filters.target_group, filters.q)
    page = filters.page
    rows, total = await catalog.page(
        session, wanted, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages:  # past the end: the last page (a second read only then)
        page = pages
        rows, total = await catalog.page(
            session, wanted, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    languages = await catalog.languages(session)
    lang = filters.language if filters.language in UI_STRINGS else "en"
    t = _strings(lang)
    items = [
        {
            "slug": row["slug"],
            "url": _course_url(base, row["slug"]),
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
    return _page(
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
    """A rendered page is reused until anything visitors see changes (the catalog's version)."""
    async with deps.database.read_session() as session:
        current = await catalog.stamp(session)
        prepared = deps.cache.get(("course", slug), current)
        if prepared is None:
            distribution = await _find(session, slug)
            if distribution is None:
                moved = await _moved_to(session, slug)
                if moved is not None:
                    return _moved(f"/courses/{quote(moved)}")
                return _not_found(request)
            if distribution.visibility not in VISIBLE:
                return _not_found(request)
            outline = await _outline(deps, distribution)
            prepared = _render_course(deps.public_url, distribution, outline)
            deps.cache.put(("course", slug), current, prepared)
    return prepared.send(request)


def _render_course(
    base: str, distribution: Distribution, outline: CourseOutlineView | None
) -> Prepared:
    seo: dict[str, Any] = dict(distribution.seo or {})
    cta: dict[str, Any] = dict(distribution.cta or {})
    lang = distribution.language
    t = _strings(lang)
    canonical = _course_url(base, distribution.slug)
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
    return _page(
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
        distribution = await _find(uow.session, slug)
        if distribution is None:
            current = await _moved_to(uow.session, slug)
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
    cta = distribution.cta or {}
    page = f"/courses/{quote(distribution.slug)}"
    url = _safe_target(cta.get("url"))
    if url:
        return url
    action = cta.get("action")
    if action == "open_course":
        return _safe_target(distribution.staging_url) or page
    if action == "download_outline":
        return f"/api/distributions/{quote(distribution.slug)}/outline"
    return page


@router.get("/sitemap.xml")
async def sitemap(request: Request, deps: Deps) -> Response:
    """The PUBLIC courses from the catalog's read model, reused until the catalog changes."""
    async with deps.database.read_session() as session:
        current = await catalog.stamp(session)
        prepared = deps.cache.get("sitemap", current)
        if prepared is None:
            rows = await catalog.sitemap_entries(session, SITEMAP_LIMIT - 1)
            prepared = Prepared.of(_sitemap(deps.public_url, rows), SITEMAP_TYPE)
            deps.cache.put("sitemap", current, prepared)
    return prepared.send(request)


def _sitemap(base: str, rows: Sequence[Any]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
        f"<url><loc>{xml_escape(base + '/courses')}</loc></url>",
    ]
    for row in rows:
        loc = _course_url(base, row.slug)
        parts = [f"<url><loc>{xml_escape(loc)}</loc>"]
        modified = _latest(row.updated_at, row.published_at)
        if modified is not None:
            parts.append(f"<lastmod>{modified.date().isoformat()}</lastmod>")
        for code, href in hreflang_links(row.language, loc, row.item.get("seo") or {}):
            parts.append(
                f'<xhtml:link rel="alternate" hreflang={quoteattr(code)} href={quoteattr(href)}/>'
            )
        parts.append("</url>")
        lines.append("".join(parts))
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


@router.get("/robots.txt")
async def robots(request: Request, deps: Deps) -> Response:
    body = "\n".join(
        [
            "User-agent: *",
            "Allow: /courses",
            "Disallow: /courses/*/enroll",
            "Disallow: /api",
            "Disallow: /staging",
            f"Sitemap: {deps.public_url}/sitemap.xml",
            "",
        ]
    )
    return cached(request, body, "text/plain; charset=utf-8")


__all__ = ["CatalogFilters", "hreflang_links", "json_ld", "router"]
