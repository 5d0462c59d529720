"""The distribution's consumer (`distribution_consumer`).

- `course.generation.completed` → a PRIVATE distribution with a unique slug, default SEO within the
  limits and a default CTA in the course's language (nothing for a dry run);
- `course.deployed.staging` → the staging URL on the course's distributions; it arrives *before*
  `course.generation.completed` (the generation deploys staging before it completes), so without
  a distribution the URL is kept as pending and applied when the distribution is created;
- `course.distribution.requested` → publish the course's distribution and report
  `course.distribution.completed` or `course.distribution.failed`;
- `course.lesson.updated` → the course pages of its visible distributions are rendered anew.

Every lookup is by the event's tenant (`meta.tenant_id`) and course: an event of one tenant never
touches another tenant's distributions. Every handler writes in the consumer's transaction,
together with the dedup row and its follow-up events; a redelivered event finds its work done.
"""

from __future__ import annotations

import uuid
from typing import Any

from brain.course_distribution import catalog
from brain.course_distribution.models import VISIBLE, Visibility
from brain.course_distribution.repository import DistributionRepository
from brain.course_distribution.schemas import CourseCTA, CourseSEO, DistributionCreate
from brain.course_distribution.service import DistributionService, missing_for_publishing
from brain.events import HandlerContext, PermanentError, Subscriber, fit
from brain.events.contracts.course import (
    CourseDeployedStaging,
    CourseGenerationCompleted,
    CourseLessonUpdated,
)
from brain.events.contracts.course_commerce import (
    CourseDistributionCompleted,
    CourseDistributionFailed,
    CourseDistributionRequested,
)
from brain.kernel.text import shorten

SUBSCRIBER = "distribution_consumer"
CTA_LABELS = {
    "de": "Jetzt Kurs starten",
    "en": "Start the course now",
    "fr": "Commencer le cours",
    "es": "Empezar el curso",
}
TITLE_SUFFIX = {
    "de": "Online-Kurs",
    "en": "Online course",
    "fr": "Cours en ligne",
    "es": "Curso online",
}
DESCRIPTION_FILLER = {
    "de": "Ein praxisnaher Online-Kurs mit Lektionen und Quiz.",
    "en": "A practical online course with lessons and a quiz.",
    "fr": "Un cours en ligne pratique avec leçons et quiz.",
    "es": "Un curso online práctico con lecciones y un test.",
}
FOR_AUDIENCES = {"de": "Für", "en": "For", "fr": "Pour", "es": "Para"}


def default_seo(title: str, description: str, language: str, audiences: list[str]) -> CourseSEO:
    """SEO within the distribution's limits, built from the course's title, description and
    audiences."""
    meta_title = shorten(title, 60)
    if len(meta_title) < 10:
        meta_title = shorten(f"{meta_title} - {TITLE_SUFFIX.get(language, 'Online course')}", 60)
    readable = ", ".join(a.replace("_", " ") for a in audiences)
    parts = [description.strip()] if description.strip() else []
    parts.append(f"{FOR_AUDIENCES.get(language, 'For')}: {readable}.")
    meta_description = shorten(" ".join(parts), 160)
    if len(meta_description) < 50:
        filler = DESCRIPTION_FILLER.get(language, DESCRIPTION_FILLER["en"])
        meta_description = shorten(f"{meta_title}. {meta_description} {filler}", 160)
    keywords: list[str] = []
    for word in [*(a.replace("_", " ") for a in audiences), *title.lower().split()]:
        word = word.strip(" ,.;:!?()[]\"'")
        if len(word) >= 4 and word not in keywords and len(word) <= 50:
            keywords.append(word)
    return CourseSEO(
        meta_title=meta_title, meta_description=meta_description, keywords=keywords[:10]
    )


def default_cta(language: str, staging_url: str | None) -> CourseCTA:
    return CourseCTA(
        label=CTA_LABELS.get(language, CTA_LABELS["en"]), action="open_course", url=staging_url
    )


def _tenant(ctx: HandlerContext[Any]) -> uuid.UUID:
    tenant_id = ctx.event.meta.tenant_id
    if tenant_id is None:
        raise PermanentError(f"{ctx.event.type} {ctx.event.id} carries no tenant")
    return tenant_id


async def _outline_changed(
    repo: DistributionRepository, tenant_id: uuid.UUID, course_id: uuid.UUID
) -> None:
    """A course's content changed: the cached pages of its visible distributions are stale."""
    distributions = await repo.of_course(course_id, tenant_id=tenant_id)
    if any(d.visibility in VISIBLE for d in distributions):
        await catalog.touch(repo.session)


def distribution_consumer(public_url: str) -> Subscriber:
    """`public_url`: the platform's public base URL, for the course page URL it reports."""

    async def on_generation_completed(ctx: HandlerContext[CourseGenerationCompleted]) -> None:
        data = ctx.payload
        if data.dry_run:
            return
        tenant_id = _tenant(ctx)
        repo = DistributionRepository(ctx.session)
        existing = [
            d
            for d in await repo.of_course(data.course_id, tenant_id=tenant_id)
            if d.derived_from is None
        ]
        pending = await repo.pending_staging_url(tenant_id, data.course_id)
        staging_url = pending.staging_url if pending else data.staging_url
        if existing:
            # A regeneration of a distributed course: keep the distribution, refresh its URL;
            # its page shows the new outline.
            if staging_url:
                for distribution in existing:
                    distribution.staging_url = staging_url
            await _outline_changed(repo, tenant_id, data.course_id)
        else:
            await DistributionService(ctx.uow, ctx.publisher).create(
                tenant_id,
                DistributionCreate(
                    course_id=data.course_id,
                    title=data.title[:200],
                    description=data.description,
                    language=data.language,
                    target_group=list(data.target_audiences),
                    seo=default_seo(
                        data.title, data.description, data.language, list(data.target_audiences)
                    ),
                    cta=default_cta(data.language, None),
                ),
                staging_url=staging_url,
            )
        if pending is not None:
            await repo.forget_pending_staging_url(tenant_id, data.course_id)

    async def on_deployed_staging(ctx: HandlerContext[CourseDeployedStaging]) -> None:
        tenant_id = _tenant(ctx)
        course_id, staging_url = ctx.payload.course_id, str(ctx.payload.staging_url)
        repo = DistributionRepository(ctx.session)
        distributions = await repo.of_course(course_id, tenant_id=tenant_id)
        if distributions:
            for distribution in distributions:
                distribution.staging_url = staging_url
            return
        await repo.keep_pending_staging_url(tenant_id, course_id, staging_url)

    async def on_distribution_requested(ctx: HandlerContext[CourseDistributionRequested]) -> None:
        tenant_id = _tenant(ctx)
        course_id = ctx.payload.course_id
        repo = DistributionRepository(ctx.session)
        candidates = [
            d
            for d in await repo.of_course(course_id, tenant_id=tenant_id)
            if d.derived_from is None
        ]
        if not candidates:
            await ctx.publish(
                CourseDistributionFailed(
                    course_id=course_id, reason="no distribution exists for this course"
                )
            )
            return
        distribution = candidates[0]
        missing = missing_for_publishing(distribution)
        if missing:
            reason = "SEO or CTA incomplete; missing: " + ", ".join(missing)
            await ctx.publish(
                CourseDistributionFailed(
                    course_id=course_id, reason=fit(CourseDistributionFailed, "reason", reason)
                )
            )
            return
        if distribution.visibility == Visibility.PRIVATE.value:
            await DistributionService(ctx.uow, ctx.publisher).publish_distribution(distribution)
        await ctx.publish(
            CourseDistributionCompleted(
                course_id=course_id,
                distribution_id=distribution.id,
                slug=distribution.slug,
                url=f"{public_url}/courses/{distribution.slug}",
            )
        )

    async def on_lesson_updated(ctx: HandlerContext[CourseLessonUpdated]) -> None:
        await _outline_changed(
            DistributionRepository(ctx.session), _tenant(ctx), ctx.payload.course_id
        )

    return Subscriber.of(
        SUBSCRIBER,
        {
            CourseGenerationCompleted: on_generation_completed,
            CourseDeployedStaging: on_deployed_staging,
            CourseDistributionRequested: on_distribution_requested,
            CourseLessonUpdated: on_lesson_updated,
        },
    )
