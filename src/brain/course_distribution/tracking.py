"""Aggregated, visitor-free tracking (seed 001, brief conflict 5): course page views and enrolment
clicks.

- `POST /api/distributions/{id}/log-view` and `…/track-click` are public (visitors trigger them),
  answer only for PUBLIC or UNLISTED distributions, and are rate-limited per client in memory.
- Nothing about the visitor is stored: the rate limiter keys on a salted hash of the client address
  held in memory for at most a window; the database only gets counters.
- Counters are incremented in the request's transaction. The events are aggregated: at most one
  `distribution.viewed` (and one `distribution.enrollment_clicked`) per distribution per flush
  interval, carrying the counts since the previous one; `flush()` runs on an interval and once more
  on shutdown, so no counted view is left without its event when the process stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from brain.course_distribution.repository import VISIBLE, DistributionRepository
from brain.events import EventPublisher
from brain.kernel.clock import utcnow
from brain.kernel.config import Settings
from brain.kernel.errors import BrainError, NotFound, problem_responses
from brain.kernel.uow import UnitOfWork
from brain.kernel.web import UoW

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


@dataclass
class _Pending:
    tenant_id: uuid.UUID
    course_id: uuid.UUID
    views: int = 0
    clicks: int = 0
    since: datetime | None = None


class TrackingAggregator:
    """Counts per distribution since the last flush; `flush` publishes one event for each."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        publisher: EventPublisher,
        interval_seconds: float = DEFAULT_FLUSH_SECONDS,
    ) -> None:
        self.uow_factory = uow_factory
        self.publisher = publisher
        self.interval = interval_seconds
        self._pending: dict[uuid.UUID, _Pending] = {}
        self._lock = asyncio.Lock()

    def add(
        self,
        distribution_id: uuid.UUID,
        tenant_id: uuid.UUID,
        course_id: uuid.UUID,
        *,
        views: int = 0,
        clicks: int = 0,
    ) -> None:
        entry = self._pending.get(distribution_id)
        if entry is None:
            entry = self._pending[distribution_id] = _Pending(tenant_id, course_id, since=utcnow())
        entry.views += views
        entry.clicks += clicks

    def pending(self) -> dict[uuid.UUID, tuple[int, int]]:
        return {k: (v.views, v.clicks) for k, v in self._pending.items()}

    async def flush(self) -> int:
        """Publish what was counted since the last flush; returns the number of events."""
        async with self._lock:
            taken, self._pending = self._pending, {}
            if not taken:
                return 0
            end = utcnow()
            published = 0
            try:
                async with self.uow_factory() as uow:
                    for distribution_id, entry in taken.items():
                        start = entry.since or end
                        window_end = max(end, start + timedelta(milliseconds=1))
                        window = {
                            "window_start": start.isoformat(),
                            "window_end": window_end.isoformat(),
                        }
                        if entry.views:
                            await self.publisher.publish(
                                uow,
                                "distribution.viewed",
                                {"distribution_id": str(distribution_id), "views": entry.views}
                                | window,
                                tenant_id=entry.tenant_id,
                            )
                            published += 1
                        if entry.clicks:
                            await self.publisher.publish(
                                uow,
                                "distribution.enrollment_clicked",
                                {
                                    "distribution_id": str(distribution_id),
                                    "course_id": str(entry.course_id),
                                    "clicks": entry.clicks,
                                }
                                | window,
                                tenant_id=entry.tenant_id,
                            )
                            published += 1
            except Exception:
                # Keep the counts for the next flush rather than losing them.
                for distribution_id, entry in taken.items():
                    current = self._pending.get(distribution_id)
                    if current is None:
                        self._pending[distribution_id] = entry
                    else:
                        current.views += entry.views
                        current.clicks += entry.clicks
                        current.since = entry.since
                raise
            return published

    async def run(self, stop: asyncio.Event) -> None:
        """Flush every interval until `stop`, then once more."""
        try:
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.interval)
                try:
                    await self.flush()
                except Exception:
                    log.exception("flushing the tracking counts failed; retrying next interval")
        finally:
            await self.flush()


@dataclass
class Tracking:
    limiter: RateLimiter
    aggregator: TrackingAggregator


def build_tracking(
    settings: Settings, uow_factory: Callable[[], UnitOfWork], publisher: EventPublisher
) -> Tracking:
    """The limiter and aggregator of one process."""
    return Tracking(
        RateLimiter(
            settings.distribution_tracking_limit, settings.distribution_tracking_window_seconds
        ),
        TrackingAggregator(uow_factory, publisher, settings.distribution_view_flush_seconds),
    )


def tracking(request: Request) -> Tracking:
    state: Tracking = request.app.state.distribution_tracking
    return state


router = APIRouter(tags=["distributions"])
BASE = "/api/distributions"


async def _count(
    request: Request,
    uow: UnitOfWork,
    state: Tracking,
    distribution_id: uuid.UUID,
    kind: str,
) -> Response:
    client = request.client.host if request.client else "unknown"
    retry_after = state.limiter.hit(client, f"{kind}:{distribution_id}")
    if retry_after is not None:
        seconds = math.ceil(retry_after)
        raise TooManyRequests(
            f"too many requests; try again in {seconds} s",
            headers={"Retry-After": str(seconds)},
        )
    repo = DistributionRepository(uow.session)
    distribution = await repo.get(distribution_id)
    if distribution is None or distribution.visibility not in VISIBLE:
        raise NotFound(f"no published distribution {distribution_id}")
    views, clicks = int(kind == "view"), int(kind == "click")
    await repo.increment(distribution.id, views=views, clicks=clicks)
    ids = (distribution.id, distribution.tenant_id, distribution.course_id)

    def count() -> None:
        state.aggregator.add(*ids, views=views, clicks=clicks)

    uow.on_commit(count)
    return Response(status_code=204, headers={"Cache-Control": "no-store"})


Track = Annotated[Tracking, Depends(tracking)]


@router.post(
    f"{BASE}/{{distribution_id}}/log-view",
    status_code=204,
    summary="Count a course page view (no visitor data is stored)",
    responses=problem_responses(404, 429),
)
async def log_view(
    request: Request, uow: UoW, state: Track, distribution_id: uuid.UUID
) -> Response:
    return await _count(request, uow, state, distribution_id, "view")


@router.post(
    f"{BASE}/{{distribution_id}}/track-click",
    status_code=204,
    summary="Count an enrolment click (no visitor data is stored)",
    responses=problem_responses(404, 429),
)
async def track_click(
    request: Request, uow: UoW, state: Track, distribution_id: uuid.UUID
) -> Response:
    return await _count(request, uow, state, distribution_id, "click")
