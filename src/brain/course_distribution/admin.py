"""course_distribution implements the operator contract `DistributionAdmin`
(brain.kernel.admin_contracts).

Every call runs `DistributionService` in a unit of work of its own, reads on a read session, scoped
to the principal's tenant; the roles are the API's (`router.py`): editors write, every role reads.
Changes are validated by the API's own request models, so the dashboard shows the API's messages.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, get_args

from pydantic import ValidationError

from brain.course_distribution.models import Distribution, Visibility
from brain.course_distribution.schemas import (
    BumpVersion,
    CourseCTA,
    CourseSEO,
    CtaAction,
    DistributionCreate,
    DistributionUpdate,
    MicroNicheCreate,
    PublishRequest,
)
from brain.course_distribution.service import DistributionService, missing_for_publishing
from brain.events import EventPublisher
from brain.kernel.admin_contracts import (
    ChangelogView,
    CtaView,
    DistributionChanges,
    DistributionDetail,
    DistributionOptions,
    DistributionSummary,
    DistributionTotals,
    Page,
    SeoView,
    TextLimit,
    validation_failed,
    without_body_prefix,
)
from brain.kernel.auth import Principal, Role, ensure_role
from brain.kernel.db import Database
from brain.kernel.errors import ValidationFailed
from brain.kernel.uow import UnitOfWork

MAX_PAGE = 100
WRITE = (Role.EDITOR,)


def _summary(distribution: Distribution) -> DistributionSummary:
    return DistributionSummary(
        distribution_id=distribution.id,
        course_id=distribution.course_id,
        slug=distribution.slug,
        title=distribution.title,
        language=distribution.language,
        visibility=distribution.visibility,
        version=distribution.version,
        derived_from=distribution.derived_from,
        target_group=tuple(distribution.target_group or ()),
        view_count=distribution.view_count,
        enrollment_click_count=distribution.enrollment_click_count,
        price_amount_minor=distribution.price_amount_minor,
        price_currency=distribution.price_currency,
        updated_at=distribution.updated_at,
    )


def _seo(seo: dict[str, Any] | None) -> SeoView | None:
    if not seo:
        return None
    return SeoView(
        meta_title=str(seo.get("meta_title") or ""),
        meta_description=str(seo.get("meta_description") or ""),
        keywords=tuple(str(k) for k in seo.get("keywords") or ()),
        og_image_url=seo.get("og_image_url") or None,
        hreflang_alternates=dict(seo.get("hreflang_alternates") or {}),
    )


def _cta(cta: dict[str, Any] | None) -> CtaView | None:
    if not cta:
        return None
    return CtaView(
        label=str(cta.get("label") or ""),
        action=str(cta.get("action") or ""),
        url=cta.get("url") or None,
    )


class DistributionAdministration:
    def __init__(
        self,
        database: Database,
        units_of_work: Callable[[], UnitOfWork],
        publisher: EventPublisher,
        public_url: str,
    ) -> None:
        self.database = database
        self.units_of_work = units_of_work
        self.publisher = publisher
        self.public_url = public_url

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[DistributionService]:
        """The service on a unit of work of the read engine (never SQLite's write lock)."""
        async with UnitOfWork(self.database.read_sessionmaker) as uow:
            yield DistributionService(uow, self.publisher)

    def _detail(
        self, distribution: Distribution, changelog: list[ChangelogView]
    ) -> DistributionDetail:
        return DistributionDetail(
            summary=_summary(distribution),
            description=distribution.description,
            seo=_seo(distribution.seo),
            cta=_cta(distribution.cta),
            published_at=distribution.published_at,
            staging_url=distribution.staging_url,
            public_url=f"{self.public_url}/courses/{distribution.slug}",
            changelog=tuple(changelog),
            missing_for_publishing=tuple(missing_for_publishing(distribution)),
            created_at=distribution.created_at,
        )

    async def _with_changelog(
        self, service: DistributionService, distribution: Distribution
    ) -> DistributionDetail:
        entries = await service.changelog(distribution)
        return self._detail(
            distribution,
            [
                ChangelogView(
                    from_version=e.from_version,
                    to_version=e.to_version,
                    message=e.message,
                    created_at=e.created_at,
                )
                for e in entries
            ],
        )

    # -- reading ---------------------------------------------------------------------------

    async def options(self) -> DistributionOptions:
        return DistributionOptions(
            visibilities=tuple(v.value for v in Visibility),
            publish_visibilities=tuple(
                get_args(PublishRequest.model_fields["visibility"].annotation)
            ),
            cta_actions=tuple(get_args(CtaAction)),
            limits={
                "seo.meta_title": TextLimit.of(CourseSEO, "meta_title"),
                "seo.meta_description": TextLimit.of(CourseSEO, "meta_description"),
                "cta.label": TextLimit.of(CourseCTA, "label"),
                "message": TextLimit.of(BumpVersion, "message"),
            },
            max_keywords=TextLimit.of(CourseSEO, "keywords").max_length,
            max_target_groups=TextLimit.of(DistributionCreate, "target_group").max_length,
        )

    async def totals(self, principal: Principal) -> DistributionTotals:
        async with self._reading() as service:
            rows = await service.totals(principal.tenant_id)
        by_visibility = {v.value: 0 for v in Visibility}
        for visibility, count, _, _ in rows:
            by_visibility[visibility] = count
        return DistributionTotals(
            total=sum(row[1] for row in rows),
            by_visibility=by_visibility,
            views=sum(row[2] for row in rows),
            clicks=sum(row[3] for row in rows),
        )

    async def list(
        self,
        principal: Principal,
        *,
        course_id: uuid.UUID | None = None,
        visibility: str | None = None,
        offset: int = 0,
        limit: int = 25,
    ) -> Page[DistributionSummary]:
        if visibility and visibility not in {v.value for v in Visibility}:
            names = ", ".join(v.value for v in Visibility)
            raise ValidationFailed.field("visibility", f"must be one of {names}")
        offset, limit = max(offset, 0), min(max(limit, 1), MAX_PAGE)
        async with self._reading() as service:
            rows, total = await service.page(
                principal.tenant_id,
                course_id=course_id,
                visibility=visibility or None,
                offset=offset,
                limit=limit,
            )
            items = tuple(_summary(row) for row in rows)
        return Page(items, total, offset, limit)

    async def get(self, principal: Principal, distribution_id: uuid.UUID) -> DistributionDetail:
        async with self._reading() as service:
            distribution = await service.get(principal.tenant_id, distribution_id)
            return await self._with_changelog(service, distribution)

    async def micro_niches(
        self, principal: Principal, distribution_id: uuid.UUID
    ) -> tuple[DistributionSummary, ...]:
        async with self._reading() as service:
            rows = await service.micro_niches(principal.tenant_id, distribution_id)
            return tuple(_summary(row) for row in rows)

    # -- writing ---------------------------------------------------------------------------

    async def update(
        self, principal: Principal, distribution_id: uuid.UUID, changes: DistributionChanges
    ) -> DistributionDetail:
        ensure_role(principal, *WRITE)
        body: dict[str, Any] = {}
        if changes.seo is not None:
            body["seo"] = {
                "meta_title": changes.seo.meta_title,
                "meta_description": changes.seo.meta_description,
                "keywords": list(changes.seo.keywords),
                "og_image_url": changes.seo.og_image_url or None,
                "hreflang_alternates": dict(changes.seo.hreflang_alternates),
            }
        if changes.cta is not None:
            body["cta"] = {
                "label": changes.cta.label,
                "action": changes.cta.action,
                "url": changes.cta.url or None,
            }
        if changes.price is not None:
            body["price"] = {
                "amount_minor": changes.price.amount_minor,
                "currency": changes.price.currency,
            }
        try:
            update = DistributionUpdate.model_validate(body)
        except ValidationError as exc:
            raise validation_failed(exc) from None
        return await self._write(
            lambda service: service.update(principal.tenant_id, distribution_id, update),
        )

    async def publish(
        self, principal: Principal, distribution_id: uuid.UUID, visibility: str
    ) -> DistributionDetail:
        ensure_role(principal, *WRITE)
        try:
            request = PublishRequest.model_validate({"visibility": visibility})
        except ValidationError as exc:
            raise validation_failed(exc) from None
        return await self._write(
            lambda service: service.publish(
                principal.tenant_id, distribution_id, request.visibility
            ),
        )

    async def unpublish(
        self, principal: Principal, distribution_id: uuid.UUID
    ) -> DistributionDetail:
        ensure_role(principal, *WRITE)
        return await self._write(
            lambda service: service.unpublish(principal.tenant_id, distribution_id)
        )

    async def create_micro_niche(
        self,
        principal: Principal,
        distribution_id: uuid.UUID,
        *,
        target_group: tuple[str, ...],
        title: str | None = None,
    ) -> DistributionSummary:
        ensure_role(principal, *WRITE)
        try:
            body = MicroNicheCreate.model_validate(
                {"target_group": list(target_group), "title": title or None}
            )
        except ValidationError as exc:
            raise validation_failed(exc) from None
        try:
            async with self.units_of_work() as uow:
                service = DistributionService(uow, self.publisher)
                variant = await service.create_micro_niche(
                    principal.tenant_id, distribution_id, body
                )
                summary = _summary(variant)
        except ValidationFailed as exc:
            raise without_body_prefix(exc) from None
        return summary

    async def bump_version(
        self, principal: Principal, distribution_id: uuid.UUID, message: str
    ) -> DistributionDetail:
        ensure_role(principal, *WRITE)
        try:
            body = BumpVersion.model_validate({"message": message})
        except ValidationError as exc:
            raise validation_failed(exc) from None
        return await self._write(
            lambda service: service.bump_version(
                principal.tenant_id, distribution_id, body.message
            ),
        )

    async def _write(
        self, change: Callable[[DistributionService], Awaitable[Distribution]]
    ) -> DistributionDetail:
        try:
            async with self.units_of_work() as uow:
                service = DistributionService(uow, self.publisher)
                distribution = await change(service)
                detail = await self._with_changelog(service, distribution)
        except ValidationFailed as exc:
            raise without_body_prefix(exc) from None
        return detail
