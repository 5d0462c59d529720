"""course_distribution implements the read-only `DistributionReader` of brain.kernel.contracts."""

from __future__ import annotations

import uuid

from brain.course_distribution.models import Distribution
from brain.course_distribution.repository import DistributionRepository
from brain.kernel.contracts import DistributionView
from brain.kernel.db import Database


def view_of(distribution: Distribution) -> DistributionView:
    return DistributionView(
        distribution_id=distribution.id,
        tenant_id=distribution.tenant_id,
        course_id=distribution.course_id,
        slug=distribution.slug,
        title=distribution.title,
        language=distribution.language,
        visibility=distribution.visibility,
        price_amount_minor=distribution.price_amount_minor,
        price_currency=distribution.price_currency,
    )


class DistributionLookup:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def by_slug(self, slug: str) -> DistributionView | None:
        async with self.database.read_session() as session:
            found = await DistributionRepository(session).by_slug(slug)
            return view_of(found) if found is not None else None

    async def get(self, distribution_id: uuid.UUID) -> DistributionView | None:
        async with self.database.read_session() as session:
            found = await DistributionRepository(session).get(distribution_id)
            return view_of(found) if found is not None else None

    async def of_course(self, tenant_id: uuid.UUID, course_id: uuid.UUID) -> list[DistributionView]:
        async with self.database.read_session() as session:
            rows = await DistributionRepository(session).of_course(course_id, tenant_id=tenant_id)
            return [view_of(row) for row in rows]
