"""The public catalog's read model, kept by the module's own events.

Every change of a distribution publishes its event (`distribution.created`, `.updated`,
`.published`, `.unpublished`, `.version_bumped`, `.micro_niche_created`, `.deleted`). The
projection applies each of these events to `distribution_catalog` in the same transaction that
publishes it: a PUBLIC distribution has exactly one entry, any other none. Applying it in the
transaction (not from a subscriber after commit) is what makes a publish or unpublish show in the
catalog API, the catalog page and the sitemap at once, and a rolled-back change leaves the read
model untouched like everything else. `rebuild` recomputes the whole read model from the
distributions (`brain distributions rebuild-catalog`); a test checks that the projection always
equals the rebuild.

Each change of what visitors see raises the catalog's version (`distribution_catalog_state`): a
change of the read model, a change of a PUBLIC or UNLISTED distribution, and (through
`distribution_consumer`) a lesson edited in a course that has a visible distribution. Rendered
public responses (catalog API and page, sitemap, course pages, robots.txt) are kept per process
under that version and answered before routing (`brain.kernel.response_cache`, ADR 0024);
`CatalogVersion` knows the version without a read per request: the process that committed a
change serves it on its next request, every other process within the check interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from brain.course_distribution.models import (
    VISIBLE,
    CatalogEntry,
    Distribution,
    Visibility,
)
from brain.course_distribution.repository import (
    VERSION_RAISED,
    CatalogRepository,
    DistributionRepository,
    Stamp,
)
from brain.kernel.db import Database

log = logging.getLogger(__name__)

PROJECTED = frozenset(
    {
        "distribution.created",
        "distribution.updated",
        "distribution.published",
        "distribution.unpublished",
        "distribution.version_bumped",
        "distribution.micro_niche_created",
        "distribution.deleted",
    }
)
"""The events that can change what the public catalog shows (views and clicks cannot)."""


def price_of(distribution: Distribution) -> dict[str, Any] | None:
    if distribution.price_amount_minor is None or distribution.price_currency is None:
        return None
    return {
        "amount_minor": distribution.price_amount_minor,
        "currency": distribution.price_currency,
    }


def entry_values(distribution: Distribution) -> dict[str, Any]:
    """The read-model row of a PUBLIC distribution."""
    seo = distribution.seo or {}
    audiences = [str(a) for a in distribution.target_group or []]
    published = distribution.published_at or distribution.updated_at
    words = [distribution.title, distribution.description or "", *(seo.get("keywords") or [])]
    return {
        "distribution_id": distribution.id,
        "slug": distribution.slug,
        "language": distribution.language,
        "audiences": "|" + "|".join(audiences) + "|",
        "search_text": " ".join(words).lower(),
        "published_at": published,
        "updated_at": distribution.updated_at,
        "item": {
            "id": str(distribution.id),
            "slug": distribution.slug,
            "title": distribution.title,
            "description": distribution.description or "",
            "language": distribution.language,
            "target_group": audiences,
            "version": distribution.version,
            "seo": distribution.seo or None,
            "cta": distribution.cta or None,
            "price": price_of(distribution),
            "visibility": Visibility.PUBLIC.value,
            "published_at": published.isoformat() if published else None,
        },
    }


async def project(
    session: AsyncSession, distribution_id: uuid.UUID, *, visible_before: bool = False
) -> bool:
    """Bring one distribution's entry in line with the distribution; whether the entry changed.
    The version is raised when the entry changed or when visitors could see the distribution
    before or after the change (its page, PUBLIC or UNLISTED, is cached under the version)."""
    await session.flush()
    distribution = await session.get(Distribution, distribution_id)
    entry = await CatalogRepository(session).entry(distribution_id)
    visible = distribution is not None and distribution.visibility in VISIBLE
    changed = True
    if distribution is None or distribution.visibility != Visibility.PUBLIC.value:
        if entry is None:
            changed = False
        else:
            await session.delete(entry)
    else:
        values = entry_values(distribution)
        if entry is None:
            session.add(CatalogEntry(**values))
        elif all(getattr(entry, name) == value for name, value in values.items()):
            changed = False
        else:
            for name, value in values.items():
                setattr(entry, name, value)
    if changed or visible or visible_before:
        await session.flush()
        await touch(session)
    return changed


async def touch(session: AsyncSession) -> None:
    """Raise the version: something visitors see has changed (a course page's outline, say)."""
    await CatalogRepository(session).raise_version()


async def apply(session: AsyncSession, event_type: str, distribution_id: uuid.UUID) -> bool:
    """The projection: one distribution event, applied in the transaction that publishes it."""
    if event_type not in PROJECTED:
        return False
    return await project(
        session,
        distribution_id,
        # an unpublished or deleted UNLISTED distribution leaves no entry but had a page
        visible_before=event_type in ("distribution.unpublished", "distribution.deleted"),
    )


async def rebuild(session: AsyncSession) -> int:
    """The read model from scratch, from the distributions; the number of entries."""
    repo = CatalogRepository(session)
    await repo.clear()
    published = await DistributionRepository(session).public()
    for distribution in published:
        session.add(CatalogEntry(**entry_values(distribution)))
    await session.flush()
    await repo.raise_version()
    return len(published)


PUBLIC_PATHS = re.compile(
    r"/courses(/[^/]+)?|/api/distributions/catalog|/sitemap\.xml|/robots\.txt"
)
"""The public responses kept in memory under the catalog's version (course pages, the catalog
page and API, the sitemap, robots.txt); `/courses/{slug}/...` is not among them."""


def is_public_path(path: str) -> bool:
    return PUBLIC_PATHS.fullmatch(path) is not None


class CatalogVersion:
    """This process's knowledge of the catalog's version, for the response cache (ADR 0024).

    `current()` answers from memory while the last check is younger than `check_seconds`;
    `run` checks every half of that in the background, so a request never waits for the
    database while it keeps up (a request checks itself only when it falls behind, and then
    concurrent requests share one read). A commit in this process that raised the version
    (`committed`) makes the next request check first: the process that made a change serves it
    on its next request, every other one within `check_seconds` (plus one read).
    """

    def __init__(
        self,
        database: Database,
        check_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.database = database
        self.check_seconds = check_seconds
        self.clock = clock
        self.reads = 0
        self._known: Stamp | None = None
        self._checked_at = -math.inf
        self._generation = 0
        self._reading: tuple[int, asyncio.Future[Stamp]] | None = None

    async def current(self) -> Stamp:
        known = self._known
        if known is not None and self.clock() - self._checked_at < self.check_seconds:
            return known
        return await self.check()

    def changed_here(self) -> None:
        """A change committed here: whatever was known or is being read may be older."""
        self._generation += 1
        self._checked_at = -math.inf

    def committed(self, session: Session) -> None:
        """`Database.after_commit` listener: the committed transaction raised the version."""
        if session.info.pop(VERSION_RAISED, False):
            self.changed_here()

    async def check(self) -> Stamp:
        """The version as the database has it now (one read, shared by concurrent callers that
        came after the last change made here)."""
        reading = self._reading
        if (
            reading is None
            or reading[0] != self._generation
            or reading[1].done()
            or reading[1].get_loop() is not asyncio.get_running_loop()
        ):
            generation = self._generation
            future = asyncio.ensure_future(self._read(generation))
            self._reading = (generation, future)
            reading = self._reading
        return await asyncio.shield(reading[1])

    async def _read(self, generation: int) -> Stamp:
        started = self.clock()
        self.reads += 1
        try:
            async with self.database.read_session() as session:
                stamp = await CatalogRepository(session).stamp()
        finally:
            if self._reading is not None and self._reading[0] == generation:
                self._reading = None
        if generation == self._generation:
            self._known, self._checked_at = stamp, started
        return stamp

    async def run(self, stop: asyncio.Event) -> None:
        """Check every half interval until `stop` (a failed check is retried on the next)."""
        tick = max(self.check_seconds / 2, 0.01)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=tick)
            if stop.is_set():
                return
            try:
                await self.check()
            except Exception:
                log.warning("checking the catalog version failed; retrying", exc_info=True)
