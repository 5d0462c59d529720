"""The distribution API (the routes in the README, "Distributing courses").

Admin routes take an API key and see only the key's tenant. Public routes (catalog, a course by
slug, its outline) need no key and only ever show PUBLIC (catalog) or PUBLIC/UNLISTED (by slug)
distributions. Ids are UUIDs, slugs are not; `/catalog` is declared before `/{slug}`.
"""

from __future__ import annotations

import math
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.ext.asyncio import AsyncSession

from brain.course_distribution.catalog import price_of
from brain.course_distribution.dependencies import Deps, DistributionDeps, Distributions
from brain.course_distribution.http_cache import cached
from brain.course_distribution.models import VISIBLE, Distribution, Visibility
from brain.course_distribution.repository import (
    CatalogRepository,
    DistributionRepository,
    Filters,
)
from brain.course_distribution.schemas import (
    Audience,
    BumpVersion,
    CatalogPage,
    ChangelogOut,
    CourseCTA,
    CourseSEO,
    DistributionCreate,
    DistributionList,
    DistributionOut,
    DistributionUpdate,
    Language,
    MicroNicheCreate,
    OutlineLessonOut,
    OutlineModuleOut,
    OutlineOut,
    PublicDistributionOut,
    PublishRequest,
    VisibilityName,
)
from brain.course_distribution.service import DistributionService
from brain.course_distribution.tracking import TooManyRequests, count_visit
from brain.kernel.auth import Principal, Role, require_roles
from brain.kernel.errors import NotFound, problem_responses
from brain.kernel.requests import SINGLE_LINE, text_query
from brain.kernel.uow import UnitOfWork
from brain.kernel.web import ReadSession, UoW

router = APIRouter(tags=["distributions"])
admin = APIRouter(tags=["distributions"], responses=problem_responses(401, 403))

Reader = Annotated[Principal, Depends(require_roles(*Role))]
Editor = Annotated[Principal, Depends(require_roles(Role.EDITOR))]
BASE = "/api/distributions"
Slug = Annotated[str, Path(pattern=SINGLE_LINE, description="A current or earlier slug.")]


def distribution_out(
    distribution: Distribution, changelog: list[ChangelogOut] | None = None
) -> DistributionOut:
    return DistributionOut(
        id=distribution.id,
        course_id=distribution.course_id,
        slug=distribution.slug,
        title=distribution.title,
        description=distribution.description,
        language=distribution.language,
        target_group=list(distribution.target_group),
        version=distribution.version,
        derived_from=distribution.derived_from,
        seo=CourseSEO(**distribution.seo) if distribution.seo else None,
        cta=CourseCTA(**distribution.cta) if distribution.cta else None,
        price=price_of(distribution),
        visibility=distribution.visibility,
        published_at=distribution.published_at,
        staging_url=distribution.staging_url,
        view_count=distribution.view_count,
        enrollment_click_count=distribution.enrollment_click_count,
        created_at=distribution.created_at,
        updated_at=distribution.updated_at,
        changelog=changelog or [],
    )


def public_out(deps: DistributionDeps, distribution: Distribution) -> PublicDistributionOut:
    return PublicDistributionOut(
        id=distribution.id,
        slug=distribution.slug,
        title=distribution.title,
        description=distribution.description,
        language=distribution.language,
        target_group=list(distribution.target_group),
        version=distribution.version,
        seo=CourseSEO(**distribution.seo) if distribution.seo else None,
        cta=CourseCTA(**distribution.cta) if distribution.cta else None,
        price=price_of(distribution),
        visibility=distribution.visibility,
        published_at=distribution.published_at,
        url=deps.course_url(distribution.slug),
    )


async def with_changelog(
    service: DistributionService, distribution: Distribution
) -> DistributionOut:
    entries = await service.repo.changelog(distribution.id)
    return distribution_out(
        distribution,
        [
            ChangelogOut(
                from_version=e.from_version,
                to_version=e.to_version,
                message=e.message,
                created_at=e.created_at,
            )
            for e in entries
        ],
    )


# -- public ------------------------------------------------------------------------------------


@router.get(
    f"{BASE}/catalog",
    summary="The public catalog (PUBLIC distributions only)",
    response_model=CatalogPage,
    responses={304: {"description": "Not modified (the `If-None-Match` ETag matches)"}},
)
async def catalog_api(
    request: Request,
    deps: Deps,
    language: Language | None = None,
    target_group: Audience | None = None,
    q: Annotated[str | None, text_query(100)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """Served from the catalog's read model (two queries); the platform keeps the answer in
    memory until the catalog changes (ADR 0024)."""
    filters = Filters(language, target_group, q.strip() if q else None)
    async with deps.database.read_session() as session:
        items, total = await CatalogRepository(session).page(
            filters, offset=(page - 1) * page_size, limit=page_size
        )
    body = CatalogPage(
        items=[PublicDistributionOut(**item, url=deps.course_url(item["slug"])) for item in items],
        total=total,
        page=page,
        page_size=page_size,
    ).model_dump_json()
    return cached(request, body, "application/json")


async def visible_by_slug(
    session: AsyncSession, slug: str, suffix: str = ""
) -> Distribution | Response:
    repo = DistributionRepository(session)
    distribution = await repo.by_slug(slug)
    if distribution is None:
        moved = await repo.by_old_slug(slug)
        if moved is not None and moved.visibility in VISIBLE:
            return RedirectResponse(f"{BASE}/{moved.slug}{suffix}", status_code=301)
    if distribution is None or distribution.visibility not in VISIBLE:
        raise NotFound(f"no course is published under {slug!r}")
    return distribution


@router.get(
    f"{BASE}/{{slug}}",
    summary="A published (or unlisted) course by its slug",
    responses={**problem_responses(404), 301: {"description": "The slug has changed."}},
    response_model=PublicDistributionOut,
)
async def by_slug(request: Request, deps: Deps, session: ReadSession, slug: Slug) -> Response:
    found = await visible_by_slug(session, slug)
    if isinstance(found, Response):
        return found
    headers = {"X-Robots-Tag": "noindex"} if found.visibility == Visibility.UNLISTED.value else {}
    body = public_out(deps, found).model_dump_json()
    return cached(request, body, "application/json", headers=headers)


@router.get(
    f"{BASE}/{{slug}}/outline",
    summary="The modules and lesson titles of a published course",
    responses={**problem_responses(404), 301: {"description": "The slug has changed."}},
    response_model=OutlineOut,
)
async def outline(request: Request, deps: Deps, slug: Slug) -> Response:
    # The read session is closed before the contract opens its own: never two pooled
    # connections held by one request.
    async with deps.database.read_session() as session:
        found = await visible_by_slug(session, slug, "/outline")
    if isinstance(found, Response):
        return found
    view = await deps.outlines.outline(found.course_id)
    modules = []
    if view is not None and view.tenant_id == found.tenant_id:
        modules = [
            OutlineModuleOut(
                position=m.position,
                title=m.title,
                lessons=[OutlineLessonOut(position=x.position, title=x.title) for x in m.lessons],
            )
            for m in view.modules
        ]
    body = OutlineOut(slug=found.slug, title=found.title, modules=modules).model_dump_json()
    return cached(request, body, "application/json")


# -- admin -------------------------------------------------------------------------------------


@admin.get(BASE, summary="The tenant's distributions, every visibility, with their counters")
async def list_distributions(
    principal: Reader,
    distributions: Distributions,
    course_id: uuid.UUID | None = None,
    visibility: VisibilityName | None = None,
    derived_from: uuid.UUID | None = None,
) -> DistributionList:
    rows = await distributions.find(
        principal.tenant_id, course_id=course_id, visibility=visibility, derived_from=derived_from
    )
    return DistributionList(items=[distribution_out(row) for row in rows], total=len(rows))


@admin.post(
    f"{BASE}/create",
    status_code=201,
    summary="Create a (private) distribution of a course",
    responses=problem_responses(409, 422),
)
async def create(
    principal: Editor, distributions: Distributions, body: DistributionCreate
) -> DistributionOut:
    return distribution_out(await distributions.create_for_operator(principal.tenant_id, body))


@admin.put(
    f"{BASE}/{{distribution_id:uuid}}",
    summary="Change a distribution's texts, SEO, CTA, audiences, price or slug",
    responses=problem_responses(404, 409, 422),
)
async def update(
    principal: Editor,
    distributions: Distributions,
    distribution_id: uuid.UUID,
    body: DistributionUpdate,
) -> DistributionOut:
    distribution = await distributions.update(principal.tenant_id, distribution_id, body)
    return await with_changelog(distributions, distribution)


@admin.delete(
    f"{BASE}/{{distribution_id:uuid}}",
    status_code=204,
    summary="Delete a distribution (with its variants only when cascade=true)",
    responses=problem_responses(404, 409),
)
async def delete(
    principal: Editor,
    distributions: Distributions,
    distribution_id: uuid.UUID,
    cascade: bool = False,
) -> Response:
    await distributions.delete(principal.tenant_id, distribution_id, cascade=cascade)
    return Response(status_code=204)


@admin.post(
    f"{BASE}/{{distribution_id:uuid}}/publish",
    summary="Make a distribution PUBLIC (or UNLISTED)",
    responses=problem_responses(404, 422),
)
async def publish(
    principal: Editor,
    distributions: Distributions,
    distribution_id: uuid.UUID,
    body: PublishRequest | None = None,
) -> DistributionOut:
    visibility = body.visibility if body is not None else "PUBLIC"
    return distribution_out(
        await distributions.publish(principal.tenant_id, distribution_id, visibility)
    )


@admin.post(
    f"{BASE}/{{distribution_id:uuid}}/unpublish",
    summary="Make a distribution PRIVATE again",
    responses=problem_responses(404),
)
async def unpublish(
    principal: Editor, distributions: Distributions, distribution_id: uuid.UUID
) -> DistributionOut:
    return distribution_out(await distributions.unpublish(principal.tenant_id, distribution_id))


@admin.post(
    f"{BASE}/{{distribution_id:uuid}}/micro-niches",
    status_code=201,
    summary="Derive a micro-niche variant for other target groups",
    responses=problem_responses(404, 409, 422),
)
async def create_micro_niche(
    principal: Editor,
    distributions: Distributions,
    distribution_id: uuid.UUID,
    body: MicroNicheCreate,
) -> DistributionOut:
    return distribution_out(
        await distributions.create_micro_niche(principal.tenant_id, distribution_id, body)
    )


@admin.get(
    f"{BASE}/{{distribution_id:uuid}}/micro-niches",
    summary="The micro-niche variants of a distribution",
    responses=problem_responses(404),
)
async def micro_niches(
    principal: Reader, distributions: Distributions, distribution_id: uuid.UUID
) -> DistributionList:
    rows = await distributions.micro_niches(principal.tenant_id, distribution_id)
    return DistributionList(items=[distribution_out(row) for row in rows], total=len(rows))


@admin.post(
    f"{BASE}/{{distribution_id:uuid}}/bump-version",
    summary="Increment the version (v1 → v2 …) with a changelog entry",
    responses=problem_responses(404, 422),
)
async def bump_version(
    principal: Editor, distributions: Distributions, distribution_id: uuid.UUID, body: BumpVersion
) -> DistributionOut:
    distribution = await distributions.bump_version(
        principal.tenant_id, distribution_id, body.message
    )
    return await with_changelog(distributions, distribution)


# -- tracking (public: visitors trigger it; counts only) -------------------------------------


async def _count(
    request: Request, uow: UnitOfWork, deps: DistributionDeps, distribution_id: uuid.UUID, kind: str
) -> Response:
    client = request.client.host if request.client else "unknown"
    retry_after = deps.tracking.limiter.hit(client, f"{kind}:{distribution_id}")
    if retry_after is not None:
        seconds = math.ceil(retry_after)
        raise TooManyRequests(
            f"too many requests; try again in {seconds} s",
            headers={"Retry-After": str(seconds)},
        )
    distribution = await DistributionRepository(uow.session).get(distribution_id)
    if distribution is None or distribution.visibility not in VISIBLE:
        raise NotFound(f"no published distribution {distribution_id}")
    await count_visit(
        uow.session, distribution, views=int(kind == "view"), clicks=int(kind == "click")
    )
    return Response(status_code=204, headers={"Cache-Control": "no-store"})


@router.post(
    f"{BASE}/{{distribution_id:uuid}}/log-view",
    status_code=204,
    summary="Count a course page view (no visitor data is stored)",
    responses=problem_responses(404, 429),
)
async def log_view(request: Request, uow: UoW, deps: Deps, distribution_id: uuid.UUID) -> Response:
    return await _count(request, uow, deps, distribution_id, "view")


@router.post(
    f"{BASE}/{{distribution_id:uuid}}/track-click",
    status_code=204,
    summary="Count an enrolment click (no visitor data is stored)",
    responses=problem_responses(404, 429),
)
async def track_click(
    request: Request, uow: UoW, deps: Deps, distribution_id: uuid.UUID
) -> Response:
    return await _count(request, uow, deps, distribution_id, "click")


router.include_router(admin)
