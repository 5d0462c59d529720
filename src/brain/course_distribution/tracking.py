"""Aggregated, visitor-free tracking (README, "Distributing courses"): course page views and
enrolment clicks.

- `POST /api/distributions/{id}/log-view` and `…/track-click` are public (visitors trigger them),
  answer only for PUBLIC or UNLISTED distributions, and are rate-limited per client in memory.
- Nothing about the visitor is stored: the rate limiter keys on a salted hash of the client address
  held in memory for at most a window; the database only gets counters.
- Counters and the distribution's tracking bucket are incremented in the request's transaction.
  The events are aggregated: at most one `distribution.viewed` (and one
  `distribution.enrollment_clicked`) per distribution per interval, carrying the counts since the
  previous one. The buckets are in the database, so a count survives a stop or a crash of the
  process that took it, and several processes aggregate together.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from brain.course_distribution.models import Distribution
from brain.course_distribution.repository import DistributionRepository, TrackingRepository
from brain.course_distribution.settings import DistributionSettings
from brain.events import EventPublisher
from brain.events.contracts.distribution import DistributionEnrollmentClicked, DistributionViewed
from brain.kernel.clock import utcnow
from brain.kernel.errors import BrainError
from brain.kernel.uow import UnitOfWork

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 30
DEFAULT_WINDOW_SECONDS = 60.0
DEFAULT_FLUSH_SECONDS = 60.0


class TooManyRequests(BrainError):
    status, slug, title = 429, "too-many-requests", "Too Many Requests"


class RateLimiter:
    """A fixed-window counter per (client, distribution), in memory only."""

    def __init__(
        self,
        limit: int = DEFAULT_LIMIT,
        window_seconds: float = DEFAULT_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self._salt = os.urandom(16)
        self._windows: dict[bytes, tuple[float, int]] = {}
        self._last_sweep = clock()

    def _key(self, client: str, scope: str) -> bytes:
        return hashlib.blake2b(
            f"{client}|{scope}".encode(), key=self._salt, digest_size=16
        ).digest()

    def hit(self, client: str, scope: str) -> float | None:
        """None when allowed; otherwise the seconds until the client may try again."""
        now = self.clock()
        if now - self._last_sweep > self.window:
            self._windows = {k: v for k, v in self._windows.items() if now - v[0] < self.window}
            self._last_sweep = now
        key = self._key(client, scope)
        started, count = self._windows.get(key, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        if count >= self.limit:
            return max(started + self.window - now, 0.001)
        self._windows[key] = (started, count + 1)
        return None


async def count_visit(
    session: AsyncSession, distribution: Distribution, *, views: int = 0, clicks: int = 0
) -> None:
    """Count in the caller's transaction: the distribution's counters and its tracking bucket
    (what the next aggregated events will carry)."""
    await DistributionRepository(session).increment(distribution.id, views=views, clicks=clicks)
    await TrackingRepository(session).add_to_bucket(distribution, views=views, clicks=clicks)


class TrackingAggregator:
    """Publishes the tracking buckets as aggregated events: for each distribution with counts,
    one `distribution.viewed` and/or one `distribution.enrollment_clicked` carrying the counts
    since the previous ones, at most once per interval. The buckets live in the database, so
    every process can run this (on PostgreSQL a bucket being published is skipped by the others)
    and counts survive a stop or a crash until some process publishes them."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        publisher: EventPublisher,
        interval_seconds: float = DEFAULT_FLUSH_SECONDS,
    ) -> None:
        self.uow_factory = uow_factory
        self.publisher = publisher
        self.interval = interval_seconds

    async def pending(self) -> dict[uuid.UUID, tuple[int, int]]:
        """Views and clicks counted but not yet published, by distribution."""
        async with self.uow_factory() as uow:
            rows = await TrackingRepository(uow.session).buckets_with_counts()
            return {row.distribution_id: (row.views, row.clicks) for row in rows}

    async def flush(self, *, due_only: bool = True) -> int:
        """Publish the buckets that are due (all with counts when `due_only` is false); the
        number of events published."""
        now = utcnow()
        published = 0
        async with self.uow_factory() as uow:
            repo = TrackingRepository(uow.session)
            due = now - timedelta(seconds=self.interval) if due_only else None
            buckets = await repo.buckets_with_counts(published_before=due, lock=True)
            existing = await DistributionRepository(uow.session).existing(
                [b.distribution_id for b in buckets]
            )
            for bucket in buckets:
                start = bucket.since or now
                end = max(now, start + timedelta(milliseconds=1))
                if bucket.views:
                    viewed = DistributionViewed(
                        distribution_id=bucket.distribution_id,
                        views=bucket.views,
                        window_start=start,
                        window_end=end,
                    )
                    await self.publisher.publish(uow, viewed, tenant_id=bucket.tenant_id)
                    published += 1
                if bucket.clicks:
                    clicked = DistributionEnrollmentClicked(
                        distribution_id=bucket.distribution_id,
                        course_id=bucket.course_id,
                        clicks=bucket.clicks,
                        window_start=start,
                        window_end=end,
                    )
                    await self.publisher.publish(uow, clicked, tenant_id=bucket.tenant_id)
                    published += 1
                if bucket.distribution_id not in existing:
                    await uow.session.delete(bucket)  # its last counts are out; nothing follows
                    continue
                bucket.views = bucket.clicks = 0
                bucket.since = None
                bucket.last_published_at = now
        return published

    async def run(self, stop: asyncio.Event) -> None:
        """Publish due buckets every fraction of the interval until `stop`, then once more."""
        tick = min(max(self.interval / 4, 0.05), 5.0)
        try:
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=tick)
                try:
                    await self.flush()
                except Exception:
                    log.exception("publishing the tracking counts failed; retrying")
        finally:
            # What is not due yet stays in its bucket for the next process to publish.
            with contextlib.suppress(Exception):
                await self.flush()


@dataclass
class Tracking:
    limiter: RateLimiter
    aggregator: TrackingAggregator


def build_tracking(
    settings: DistributionSettings,
    uow_factory: Callable[[], UnitOfWork],
    publisher: EventPublisher,
) -> Tracking:
    """The limiter and aggregator of one process."""
    return Tracking(
        RateLimiter(
            settings.distribution_tracking_limit, settings.distribution_tracking_window_seconds
        ),
        TrackingAggregator(uow_factory, publisher, settings.distribution_view_flush_seconds),
    )
