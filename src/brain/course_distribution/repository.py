"""SQL of the course distribution: distributions (every read for an operator is scoped to a
tenant), the public catalog's read model and the tracking buckets."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from brain.course_distribution.models import (
    VISIBLE,
    CatalogEntry,
    CatalogState,
    ChangelogEntry,
    Distribution,
    PendingStagingUrl,
    SlugHistory,
    TrackingBucket,
    Visibility,
)
from brain.kernel.clock import utcnow


class DistributionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, distribution: Distribution) -> Distribution:
        self.session.add(distribution)
        await self.session.flush()
        return distribution

    async def get(
        self, distribution_id: uuid.UUID, *, tenant_id: uuid.UUID | None = None
    ) -> Distribution | None:
        query = select(Distribution).where(Distribution.id == distribution_id)
        if tenant_id is not None:
            query = query.where(Distribution.tenant_id == tenant_id)
        return await self.session.scalar(query)

    async def by_slug(self, slug: str) -> Distribution | None:
        return await self.session.scalar(select(Distribution).where(Distribution.slug == slug))

    async def by_old_slug(self, slug: str) -> Distribution | None:
        return await self.session.scalar(
            select(Distribution)
            .join(SlugHistory, SlugHistory.distribution_id == Distribution.id)
            .where(SlugHistory.slug == slug)
        )

    async def visible_slug_moved_from(self, slug: str) -> str | None:
        """The current slug of a visible distribution that used to be at `slug`."""
        return await self.session.scalar(
            select(Distribution.slug)
            .join(SlugHistory, SlugHistory.distribution_id == Distribution.id)
            .where(SlugHistory.slug == slug, Distribution.visibility.in_(VISIBLE))
        )

    async def slug_taken(self, slug: str, *, by_other_than: uuid.UUID | None = None) -> bool:
        current = select(Distribution.id).where(Distribution.slug == slug)
        old = select(SlugHistory.distribution_id).where(SlugHistory.slug == slug)
        if by_other_than is not None:
            current = current.where(Distribution.id != by_other_than)
            old = old.where(SlugHistory.distribution_id != by_other_than)
        return (await self.session.scalar(current.limit(1))) is not None or (
            await self.session.scalar(old.limit(1))
        ) is not None

    async def remember_slug(self, distribution_id: uuid.UUID, slug: str) -> None:
        await self.session.execute(delete(SlugHistory).where(SlugHistory.slug == slug))
        self.session.add(SlugHistory(slug=slug, distribution_id=distribution_id))

    async def forget_slug(self, slug: str) -> None:
        await self.session.execute(delete(SlugHistory).where(SlugHistory.slug == slug))

    async def list(
        self,
        tenant_id: uuid.UUID,
        *,
        course_id: uuid.UUID | None = None,
        visibility: str | None = None,
        derived_from: uuid.UUID | None = None,
    ) -> Sequence[Distribution]:
        query = select(Distribution).where(Distribution.tenant_id == tenant_id)
        if course_id is not None:
            query = query.where(Distribution.course_id == course_id)
        if visibility is not None:
            query = query.where(Distribution.visibility == visibility)
        if derived_from is not None:
            query = query.where(Distribution.derived_from == derived_from)
        return (await self.session.scalars(query.order_by(Distribution.created_at))).all()

    async def page(
        self,
        tenant_id: uuid.UUID,
        *,
        course_id: uuid.UUID | None,
        visibility: str | None,
        offset: int,
        limit: int,
    ) -> tuple[Sequence[Distribution], int]:
        """Newest first, with the count of all that match."""
        query = select(Distribution).where(Distribution.tenant_id == tenant_id)
        if course_id is not None:
            query = query.where(Distribution.course_id == course_id)
        if visibility is not None:
            query = query.where(Distribution.visibility == visibility)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self.session.scalars(
            query.order_by(Distribution.created_at.desc(), Distribution.id)
            .offset(offset)
            .limit(limit)
        )
        return rows.all(), int(total or 0)

    async def totals(self, tenant_id: uuid.UUID) -> Sequence[tuple[str, int, int, int]]:
        """(visibility, distributions, views, clicks) of a tenant, in one grouped query."""
        rows = await self.session.execute(
            select(
                Distribution.visibility,
                func.count(),
                func.coalesce(func.sum(Distribution.view_count), 0),
                func.coalesce(func.sum(Distribution.enrollment_click_count), 0),
            )
            .where(Distribution.tenant_id == tenant_id)
            .group_by(Distribution.visibility)
        )
        return [(str(v), int(n), int(views), int(clicks)) for v, n, views, clicks in rows.all()]

    async def variants(self, parent_id: uuid.UUID) -> Sequence[Distribution]:
        return (
            await self.session.scalars(
                select(Distribution)
                .where(Distribution.derived_from == parent_id)
                .order_by(Distribution.created_at)
            )
        ).all()

    async def of_course(
        self, course_id: uuid.UUID, *, tenant_id: uuid.UUID
    ) -> Sequence[Distribution]:
        query = select(Distribution).where(
            Distribution.course_id == course_id, Distribution.tenant_id == tenant_id
        )
        return (await self.session.scalars(query.order_by(Distribution.created_at))).all()

    async def changelog(self, distribution_id: uuid.UUID) -> Sequence[ChangelogEntry]:
        return (
            await self.session.scalars(
                select(ChangelogEntry)
                .where(ChangelogEntry.distribution_id == distribution_id)
                .order_by(ChangelogEntry.created_at)
            )
        ).all()

    async def increment(
        self, distribution_id: uuid.UUID, *, views: int = 0, clicks: int = 0
    ) -> None:
        await self.session.execute(
            update(Distribution)
            .where(Distribution.id == distribution_id)
            .values(
                view_count=Distribution.view_count + views,
                enrollment_click_count=Distribution.enrollment_click_count + clicks,
            )
            .execution_options(synchronize_session=False)
        )

    async def pending_staging_url(
        self, tenant_id: uuid.UUID, course_id: uuid.UUID
    ) -> PendingStagingUrl | None:
        return await self.session.scalar(
            select(PendingStagingUrl).where(
                PendingStagingUrl.course_id == course_id, PendingStagingUrl.tenant_id == tenant_id
            )
        )

    async def keep_pending_staging_url(
        self, tenant_id: uuid.UUID, course_id: uuid.UUID, staging_url: str
    ) -> None:
        """Keep a staging URL that arrived before the course's distribution exists."""
        pending = await self.pending_staging_url(tenant_id, course_id)
        if pending is None:
            self.session.add(
                PendingStagingUrl(course_id=course_id, tenant_id=tenant_id, staging_url=staging_url)
            )
        else:
            pending.staging_url = staging_url

    async def forget_pending_staging_url(self, tenant_id: uuid.UUID, course_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(PendingStagingUrl).where(
                PendingStagingUrl.course_id == course_id, PendingStagingUrl.tenant_id == tenant_id
            )
        )

    async def delete(self, distribution: Distribution) -> None:
        await self.session.delete(distribution)
        await self.session.flush()

    async def existing(self, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        """Those of `ids` that are distributions (not deleted)."""
        return set(
            await self.session.scalars(select(Distribution.id).where(Distribution.id.in_(ids)))
        )

    async def public(self) -> Sequence[Distribution]:
        return (
            await self.session.scalars(
                select(Distribution).where(Distribution.visibility == Visibility.PUBLIC.value)
            )
        ).all()


CATALOG_STATE_ID = 1
VERSION_RAISED = "brain.distribution.catalog_version_raised"
"""Left in `session.info` by `raise_version`: the commit tells this process's `CatalogVersion`."""


@dataclass(frozen=True)
class Stamp:
    """The catalog's version as a cache key (the time guards against a reset version)."""

    version: int
    changed_at: datetime | None


@dataclass(frozen=True)
class Filters:
    language: str | None = None
    target_group: str | None = None
    q: str | None = None

    def apply(self, statement: Any) -> Any:
        if self.language:
            statement = statement.where(CatalogEntry.language == self.language)
        if self.target_group:
            statement = statement.where(
                CatalogEntry.audiences.contains(f"|{self.target_group}|", autoescape=True)
            )
        if self.q:
            statement = statement.where(
                CatalogEntry.search_text.contains(self.q.lower(), autoescape=True)
            )
        return statement


class CatalogRepository:
    """The public catalog's read model (`catalog.py` keeps it) and its version."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def entry(self, distribution_id: uuid.UUID) -> CatalogEntry | None:
        return await self.session.get(CatalogEntry, distribution_id)

    async def clear(self) -> None:
        await self.session.execute(delete(CatalogEntry))

    async def raise_version(self) -> None:
        self.session.info[VERSION_RAISED] = True
        result = await self.session.execute(
            update(CatalogState)
            .where(CatalogState.id == CATALOG_STATE_ID)
            .values(version=CatalogState.version + 1, changed_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if not cast(CursorResult[Any], result).rowcount:  # an UPDATE's result has a row count
            await self.session.execute(
                insert(CatalogState).values(id=CATALOG_STATE_ID, version=1, changed_at=utcnow())
            )

    async def stamp(self) -> Stamp:
        row = (
            await self.session.execute(
                select(CatalogState.version, CatalogState.changed_at).where(
                    CatalogState.id == CATALOG_STATE_ID
                )
            )
        ).first()
        return Stamp(row.version, row.changed_at) if row is not None else Stamp(0, None)

    async def page(
        self, filters: Filters, *, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of the catalog (newest first) and the number of entries that match."""
        total = await self.session.scalar(
            filters.apply(select(func.count())).select_from(CatalogEntry)
        )
        items = (
            await self.session.scalars(
                filters.apply(select(CatalogEntry.item))
                .order_by(CatalogEntry.published_at.desc(), CatalogEntry.slug)
                .offset(offset)
                .limit(limit)
            )
        ).all()
        return list(items), int(total or 0)

    async def languages(self) -> list[str]:
        return list(
            (
                await self.session.scalars(
                    select(CatalogEntry.language).distinct().order_by(CatalogEntry.language)
                )
            ).all()
        )

    async def sitemap_entries(self, limit: int) -> Sequence[Any]:
        return (
            await self.session.execute(
                select(
                    CatalogEntry.slug,
                    CatalogEntry.language,
                    CatalogEntry.item,
                    CatalogEntry.published_at,
                    CatalogEntry.updated_at,
                )
                .order_by(CatalogEntry.slug)
                .limit(limit)
            )
        ).all()


class TrackingRepository:
    """The tracking buckets: counts not yet published as aggregated events, per distribution."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_to_bucket(self, distribution: Distribution, *, views: int, clicks: int) -> None:
        now = utcnow()
        values = {
            "distribution_id": distribution.id,
            "tenant_id": distribution.tenant_id,
            "course_id": distribution.course_id,
            "views": views,
            "clicks": clicks,
            "since": now,
            "last_published_at": None,
        }
        bucket = cast(Table, TrackingBucket.__table__)
        dialect = self.session.get_bind().dialect.name
        statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(bucket).values(values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[bucket.c.distribution_id],
                set_={
                    "views": bucket.c.views + views,
                    "clicks": bucket.c.clicks + clicks,
                    "since": func.coalesce(bucket.c.since, now),
                },
            )
        )

    async def buckets_with_counts(
        self, *, published_before: datetime | None = None, lock: bool = False
    ) -> Sequence[TrackingBucket]:
        """Buckets with views or clicks, oldest counts first; only those last published before
        `published_before` (or never) when given. `lock`: on PostgreSQL, lock them and skip those
        another process is publishing."""
        query = select(TrackingBucket).where(
            (TrackingBucket.views > 0) | (TrackingBucket.clicks > 0)
        )
        if published_before is not None:
            query = query.where(
                TrackingBucket.last_published_at.is_(None)
                | (TrackingBucket.last_published_at <= published_before)
            )
        if lock and self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return (await self.session.scalars(query.order_by(TrackingBucket.since))).all()
