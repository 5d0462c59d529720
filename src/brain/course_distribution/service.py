"""What happens to distributions: one unit of work per call, and every change publishes its event
in the same transaction (a change that fails publishes nothing)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from brain.course_distribution import catalog
from brain.course_distribution.catalog import price_of
from brain.course_distribution.models import ChangelogEntry, Distribution, Visibility
from brain.course_distribution.repository import DistributionRepository
from brain.course_distribution.schemas import (
    CourseCTA,
    CourseSEO,
    DistributionCreate,
    DistributionUpdate,
    MicroNicheCreate,
)
from brain.course_distribution.slugs import MAX_SLUG, numbered, slugify
from brain.events import EventPublisher
from brain.events.contracts.distribution import (
    DistributionCreated,
    DistributionDeleted,
    DistributionEvent,
    DistributionMicroNicheCreated,
    DistributionPublished,
    DistributionUnpublished,
    DistributionUpdated,
    DistributionVersionBumped,
)
from brain.kernel.clock import utcnow
from brain.kernel.contracts import CourseReader
from brain.kernel.errors import Conflict, FieldError, NotFound, ValidationFailed
from brain.kernel.uow import UnitOfWork

MAX_SLUG_NUMBER = 10_000
REQUIRED_SEO = ("meta_title", "meta_description")
REQUIRED_CTA = ("label", "action")


def missing_for_publishing(distribution: Distribution) -> list[str]:
    """What a distribution lacks before visitors may see it (empty when complete)."""
    missing: list[str] = []
    seo = distribution.seo or {}
    cta = distribution.cta or {}
    missing += [f"seo.{name}" for name in REQUIRED_SEO if not seo.get(name)]
    missing += [f"cta.{name}" for name in REQUIRED_CTA if not cta.get(name)]
    if cta.get("action") == "custom" and not cta.get("url"):
        missing.append("cta.url")
    return missing


def _dump(model: CourseSEO | CourseCTA | None) -> dict[str, Any]:
    return model.model_dump(mode="json") if model is not None else {}


MAX_VERSION_CHARS = 8
"""What the `version` column holds (`v` and up to seven digits)."""


def _next_version(version: str) -> str:
    after = f"v{int(version[1:]) + 1}"
    if len(after) > MAX_VERSION_CHARS:
        raise Conflict(f"{version} is the last version a distribution can have")
    return after


@dataclass(frozen=True)
class Deleted:
    ids: list[uuid.UUID]


class DistributionService:
    def __init__(
        self, uow: UnitOfWork, publisher: EventPublisher, courses: CourseReader | None = None
    ) -> None:
        self.uow = uow
        self.repo = DistributionRepository(uow.session)
        self.publisher = publisher
        self.courses = courses

    async def _publish(self, payload: DistributionEvent, tenant_id: uuid.UUID) -> None:
        event = await self.publisher.publish(self.uow, payload, tenant_id=tenant_id)
        await catalog.apply(self.uow.session, event.type, payload.distribution_id)

    # -- slugs ---------------------------------------------------------------------------------

    async def unique_slug(self, base: str, *, for_id: uuid.UUID | None = None) -> str:
        base = base[:MAX_SLUG].strip("-") or "course"
        for number in range(1, MAX_SLUG_NUMBER):
            candidate = numbered(base, number)
            if not await self.repo.slug_taken(candidate, by_other_than=for_id):
                return candidate
        raise Conflict(f"no free slug left for {base!r}")

    async def _claim_slug(self, slug: str, *, for_id: uuid.UUID | None = None) -> str:
        """An explicitly chosen slug: it must be free (another's current or earlier slug is not)."""
        if await self.repo.slug_taken(slug, by_other_than=for_id):
            raise Conflict(
                f"the slug {slug!r} is taken",
                errors=[FieldError(field="body.slug", reason="already taken")],
            )
        return slug

    # -- reading -------------------------------------------------------------------------------

    async def get(self, tenant_id: uuid.UUID, distribution_id: uuid.UUID) -> Distribution:
        distribution = await self.repo.get(distribution_id, tenant_id=tenant_id)
        if distribution is None:
            raise NotFound(f"distribution {distribution_id} does not exist")
        return distribution

    async def find(
        self,
        tenant_id: uuid.UUID,
        *,
        course_id: uuid.UUID | None = None,
        visibility: str | None = None,
        derived_from: uuid.UUID | None = None,
    ) -> Sequence[Distribution]:
        return await self.repo.list(
            tenant_id, course_id=course_id, visibility=visibility, derived_from=derived_from
        )

    async def page(
        self,
        tenant_id: uuid.UUID,
        *,
        course_id: uuid.UUID | None = None,
        visibility: str | None = None,
        offset: int = 0,
        limit: int = 25,
    ) -> tuple[Sequence[Distribution], int]:
        return await self.repo.page(
            tenant_id, course_id=course_id, visibility=visibility, offset=offset, limit=limit
        )

    async def totals(self, tenant_id: uuid.UUID) -> Sequence[tuple[str, int, int, int]]:
        """(visibility, distributions, views, clicks) of the tenant."""
        return await self.repo.totals(tenant_id)

    async def changelog(self, distribution: Distribution) -> Sequence[ChangelogEntry]:
        return await self.repo.changelog(distribution.id)

    # -- lifecycle -----------------------------------------------------------------------------

    async def create_for_operator(
        self, tenant_id: uuid.UUID, body: DistributionCreate
    ) -> Distribution:
        """A distribution an operator asked for: only of a course of the operator's own tenant
        (another tenant's course, or none, answers 422 naming `body.course_id`)."""
        if self.courses is None:
            raise RuntimeError("creating for an operator needs the CourseReader contract")
        course = await self.courses.course(body.course_id)
        if course is None or course.tenant_id != tenant_id:
            raise ValidationFailed.field("body.course_id", "no course of this tenant has this id")
        return await self.create(tenant_id, body)

    async def create(
        self,
        tenant_id: uuid.UUID,
        body: DistributionCreate,
        *,
        derived_from: Distribution | None = None,
        staging_url: str | None = None,
    ) -> Distribution:
        if body.slug is not None:
            slug = await self._claim_slug(body.slug)
        else:
            slug = await self.unique_slug(slugify(body.title))
        distribution = await self.repo.add(
            Distribution(
                id=uuid.uuid4(),
                tenant_id=tenant_id,
                course_id=body.course_id,
                slug=slug,
                language=body.language,
                title=body.title,
                description=body.description,
                target_group=list(body.target_group),
                version=body.version,
                derived_from=derived_from.id if derived_from else None,
                seo=_dump(body.seo),
                cta=_dump(body.cta),
                visibility=Visibility.PRIVATE.value,
                staging_url=staging_url,
                price_amount_minor=body.price.amount_minor if body.price else None,
                price_currency=body.price.currency if body.price else None,
                view_count=0,
                enrollment_click_count=0,
            )
        )
        await self._publish(
            DistributionCreated.model_validate(
                {
                    "distribution_id": distribution.id,
                    "course_id": distribution.course_id,
                    "slug": distribution.slug,
                    "language": distribution.language,
                    "visibility": distribution.visibility,
                    "version": distribution.version,
                    "derived_from": derived_from.id if derived_from else None,
                }
            ),
            tenant_id,
        )
        return distribution

    async def update(
        self, tenant_id: uuid.UUID, distribution_id: uuid.UUID, body: DistributionUpdate
    ) -> Distribution:
        distribution = await self.get(tenant_id, distribution_id)
        changed: list[str] = []
        given = body.model_fields_set
        for name in ("title", "description", "language"):
            value = getattr(body, name)
            if name in given and value is not None and getattr(distribution, name) != value:
                setattr(distribution, name, value)
                changed.append(name)
        if body.target_group is not None and list(body.target_group) != distribution.target_group:
            distribution.target_group = list(body.target_group)
            changed.append("target_group")
        for name, model in (("seo", body.seo), ("cta", body.cta)):
            if model is None:
                continue
            new = _dump(model)
            old = getattr(distribution, name) or {}
            fields = sorted(k for k in set(new) | set(old) if new.get(k) != old.get(k))
            if fields:
                setattr(distribution, name, new)
                changed += [f"{name}.{field}" for field in fields]
        if body.price is not None and price_of(distribution) != body.price.model_dump():
            distribution.price_amount_minor = body.price.amount_minor
            distribution.price_currency = body.price.currency
            changed.append("price")
        if body.slug is not None and body.slug != distribution.slug:
            new_slug = await self._claim_slug(body.slug, for_id=distribution.id)
            await self.repo.forget_slug(new_slug)
            await self.repo.remember_slug(distribution.id, distribution.slug)
            distribution.slug = new_slug
            changed.append("slug")
        if not changed:
            return distribution
        distribution.updated_at = utcnow()
        await self.uow.session.flush()
        await self._publish(
            DistributionUpdated(
                distribution_id=distribution.id, slug=distribution.slug, changed_fields=changed[:16]
            ),
            tenant_id,
        )
        return distribution

    async def delete(
        self, tenant_id: uuid.UUID, distribution_id: uuid.UUID, *, cascade: bool = False
    ) -> Deleted:
        distribution = await self.get(tenant_id, distribution_id)
        variants = await self.repo.variants(distribution.id)
        if variants and not cascade:
            raise Conflict(
                f"distribution {distribution_id} has {len(variants)} micro-niche variant(s); "
                "delete them first or pass cascade=true"
            )
        deleted: list[uuid.UUID] = []
        await self._delete_tree(distribution, deleted)
        return Deleted(deleted)

    async def _delete_tree(self, distribution: Distribution, deleted: list[uuid.UUID]) -> None:
        for variant in await self.repo.variants(distribution.id):
            await self._delete_tree(variant, deleted)
        payload = DistributionDeleted(
            distribution_id=distribution.id,
            course_id=distribution.course_id,
            slug=distribution.slug,
        )
        tenant_id = distribution.tenant_id
        await self.repo.delete(distribution)
        await self._publish(payload, tenant_id)
        deleted.append(payload.distribution_id)

    async def publish(
        self, tenant_id: uuid.UUID, distribution_id: uuid.UUID, visibility: str = "PUBLIC"
    ) -> Distribution:
        return await self.publish_distribution(
            await self.get(tenant_id, distribution_id), visibility
        )

    async def publish_distribution(
        self, distribution: Distribution, visibility: str = "PUBLIC"
    ) -> Distribution:
        missing = missing_for_publishing(distribution)
        if missing:
            raise ValidationFailed(
                "the distribution cannot be published; missing: " + ", ".join(missing),
                errors=[FieldError(field=name, reason="required to publish") for name in missing],
                extra={"missing": missing},
            )
        if distribution.visibility == visibility:
            return distribution
        distribution.visibility = visibility
        distribution.published_at = utcnow()
        await self.uow.session.flush()
        await self._publish(
            DistributionPublished.model_validate(
                {
                    "distribution_id": distribution.id,
                    "course_id": distribution.course_id,
                    "slug": distribution.slug,
                    "visibility": visibility,
                    "published_at": distribution.published_at,
                }
            ),
            distribution.tenant_id,
        )
        return distribution

    async def unpublish(self, tenant_id: uuid.UUID, distribution_id: uuid.UUID) -> Distribution:
        distribution = await self.get(tenant_id, distribution_id)
        if distribution.visibility == Visibility.PRIVATE.value:
            return distribution
        distribution.visibility = Visibility.PRIVATE.value
        await self.uow.session.flush()
        await self._publish(
            DistributionUnpublished(
                distribution_id=distribution.id,
                course_id=distribution.course_id,
                slug=distribution.slug,
                visibility="PRIVATE",
            ),
            tenant_id,
        )
        return distribution

    async def create_micro_niche(
        self, tenant_id: uuid.UUID, parent_id: uuid.UUID, body: MicroNicheCreate
    ) -> Distribution:
        parent = await self.get(tenant_id, parent_id)
        title = body.title or f"{parent.title} ({', '.join(body.target_group)})"
        if body.slug is None and body.title is None:
            base = slugify(f"{parent.title} {' '.join(body.target_group)}".replace("_", " "))
            slug: str | None = await self.unique_slug(base)
        else:
            slug = body.slug
        variant = await self.create(
            tenant_id,
            DistributionCreate(
                course_id=parent.course_id,
                title=title[:200],
                description=body.description
                if body.description is not None
                else parent.description,
                language=parent.language,
                target_group=list(body.target_group),
                slug=slug,
                seo=body.seo or (CourseSEO(**parent.seo) if parent.seo else None),
                cta=body.cta or (CourseCTA(**parent.cta) if parent.cta else None),
                price=None,
            ),
            derived_from=parent,
            staging_url=parent.staging_url,
        )
        variant.price_amount_minor = parent.price_amount_minor
        variant.price_currency = parent.price_currency
        await self._publish(
            DistributionMicroNicheCreated(
                distribution_id=variant.id,
                parent_distribution_id=parent.id,
                course_id=parent.course_id,
                target_group=list(body.target_group),
            ),
            tenant_id,
        )
        return variant

    async def micro_niches(
        self, tenant_id: uuid.UUID, parent_id: uuid.UUID
    ) -> Sequence[Distribution]:
        parent = await self.get(tenant_id, parent_id)
        return await self.repo.variants(parent.id)

    async def bump_version(
        self, tenant_id: uuid.UUID, distribution_id: uuid.UUID, message: str
    ) -> Distribution:
        distribution = await self.get(tenant_id, distribution_id)
        before = distribution.version
        after = _next_version(before)
        distribution.version = after
        distribution.updated_at = utcnow()
        self.uow.session.add(
            ChangelogEntry(
                distribution_id=distribution.id,
                from_version=before,
                to_version=after,
                message=message,
            )
        )
        await self.uow.session.flush()
        await self._publish(
            DistributionVersionBumped(
                distribution_id=distribution.id,
                from_version=before,
                to_version=after,
                message=message,
            ),
            tenant_id,
        )
        return distribution
