"""Search-engine notification (the SEO indexer) through IndexNow (https://www.indexnow.org).

The `integrations_indexnow` subscriber keeps the slug and visibility of every distribution from
its events and queues the public course page URLs whose indexable content changed: a PUBLIC
distribution published, updated or deleted, a PUBLIC one unpublished or made UNLISTED, and on a
slug change both the old URL (now a redirect) and the new one. UNLISTED and PRIVATE pages are
`noindex` and are not notified.

The notifier, a worker task, sends the queue as one IndexNow request per burst: once no URL has
been queued for `BRAIN_INDEXNOW_DEBOUNCE_SECONDS` (or the oldest has waited
`BRAIN_INDEXNOW_MAX_DELAY_SECONDS`), it POSTs up to 10,000 URLs as `{host, key, keyLocation,
urlList}`. 200 and 202 are accepted; 400, 403 and 422 say the request can never succeed and are
logged; anything else (429, 5xx, no answer) is retried with exponential backoff, honouring
`Retry-After`, up to `BRAIN_INDEXNOW_MAX_ATTEMPTS`. With `BRAIN_INDEXNOW_ENDPOINT` empty nothing
is queued or sent. The key file search engines fetch to verify the key is served at `/<key>.txt`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx

from brain.events.contracts.distribution import (
    DistributionCreated,
    DistributionDeleted,
    DistributionPublished,
    DistributionUnpublished,
    DistributionUpdated,
)
from brain.integrations.delivery import GAUGES_EVERY_SECONDS, USER_AGENT, parse_retry_after
from brain.integrations.metrics import IntegrationMetrics
from brain.integrations.repository import IndexNowRepository
from brain.integrations.settings import IntegrationSettings
from brain.kernel.clock import utcnow
from brain.kernel.db import Database
from brain.kernel.uow import UnitOfWork

log = logging.getLogger(__name__)

MAX_URLS = 10_000
TIMEOUT_SECONDS = 15.0
LEASE_SECONDS = 60.0
PUBLIC = "PUBLIC"
REJECTED = frozenset({400, 403, 422})

DistributionChange = (
    DistributionCreated
    | DistributionPublished
    | DistributionUnpublished
    | DistributionUpdated
    | DistributionDeleted
)


def course_url(public_url: str, slug: str) -> str:
    return f"{public_url}/courses/{slug}"


async def track(
    repo: IndexNowRepository,
    change: DistributionChange,
    *,
    public_url: str,
    queue: bool,
    now: datetime,
) -> list[str]:
    """Apply one distribution event to what the notifier knows; the URLs it queued."""
    known = await repo.distribution(change.distribution_id)
    was_public = known is not None and known.visibility == PUBLIC
    urls: list[str] = []
    match change:
        case DistributionCreated():
            await repo.keep(change.distribution_id, change.slug, change.visibility)
            if change.visibility == PUBLIC:
                urls.append(course_url(public_url, change.slug))
        case DistributionPublished():
            await repo.keep(change.distribution_id, change.slug, change.visibility)
            if change.visibility == PUBLIC or was_public:
                urls.append(course_url(public_url, change.slug))
        case DistributionUnpublished():
            await repo.keep(change.distribution_id, change.slug, change.visibility)
            if was_public:
                urls.append(course_url(public_url, change.slug))
        case DistributionUpdated():
            visibility = known.visibility if known is not None else "PRIVATE"
            if was_public:
                urls.append(course_url(public_url, change.slug))
                if known is not None and known.slug != change.slug:
                    urls.append(course_url(public_url, known.slug))
            await repo.keep(change.distribution_id, change.slug, visibility)
        case DistributionDeleted():
            await repo.forget(change.distribution_id)
            if was_public:
                urls.append(course_url(public_url, change.slug))
    if queue and urls:
        await repo.queue(urls, now)
        return urls
    return []


class IndexNowNotifier:
    def __init__(
        self,
        database: Database,
        units_of_work: Callable[[], UnitOfWork],
        settings: IntegrationSettings,
        public_url: str,
        metrics: IntegrationMetrics,
    ) -> None:
        self.database = database
        self.units_of_work = units_of_work
        self.settings = settings
        self.metrics = metrics
        self.endpoint = settings.indexnow_endpoint
        self.key = settings.indexnow_key
        self.host = urlsplit(public_url).hostname or ""
        self.key_location = f"{public_url}/{self.key}.txt"

    def _due(self, now: datetime, oldest: datetime | None, newest: datetime | None) -> bool:
        if oldest is None or newest is None:
            return False
        quiet = (now - newest).total_seconds() >= self.settings.indexnow_debounce_seconds
        waited = (now - oldest).total_seconds() >= self.settings.indexnow_max_delay_seconds
        return quiet or waited

    async def flush(self, *, force: bool = False) -> str | None:
        """Send the queued URLs when a burst is over (at once with `force`); the outcome, or
        None when nothing was due."""
        now = utcnow()
        async with self.database.read_session() as session:
            oldest, newest = await IndexNowRepository(session).window(now)
        if oldest is None or not (force or self._due(now, oldest, newest)):
            return None
        token = uuid.uuid4()
        async with self.units_of_work() as uow:
            rows = await IndexNowRepository(uow.session).claim(now, MAX_URLS, token, LEASE_SECONDS)
            urls = [row.url for row in rows]
            attempts = max((row.attempts for row in rows), default=1)
        if not urls:
            return None
        status, retry_after, error = await self._post(urls)
        async with self.units_of_work() as uow:
            repo = IndexNowRepository(uow.session)
            if status in (200, 202):
                await repo.done(token)
                outcome = "accepted"
                self.metrics.indexnow_urls.inc(len(urls))
            elif status in REJECTED:
                await repo.done(token)
                outcome = "rejected"
                log.warning("IndexNow refused %d URL(s) with %s; not retried", len(urls), status)
            else:
                delay = self.settings.indexnow_retry_seconds * 2 ** (attempts - 1)
                if retry_after is not None:
                    delay = max(delay, retry_after)
                kept, dropped = await repo.retry(
                    token, utcnow() + timedelta(seconds=delay), self.settings.indexnow_max_attempts
                )
                outcome = "retrying" if kept else "dropped"
                log.warning(
                    "IndexNow notification of %d URL(s) failed (%s); %d retried in %.0f s, "
                    "%d dropped after %d attempts",
                    len(urls),
                    error or status,
                    kept,
                    delay,
                    dropped,
                    attempts,
                )
        self.metrics.indexnow_requests.labels(outcome).inc()
        return outcome

    async def _post(self, urls: list[str]) -> tuple[int | None, float | None, str | None]:
        body = {
            "host": self.host,
            "key": self.key,
            "keyLocation": self.key_location,
            "urlList": urls,
        }
        try:
            async with httpx.AsyncClient(
                timeout=TIMEOUT_SECONDS, trust_env=False, follow_redirects=False
            ) as client:
                response = await client.post(
                    self.endpoint,
                    json=body,
                    headers={
                        "content-type": "application/json; charset=utf-8",
                        "user-agent": USER_AGENT,
                    },
                )
        except httpx.HTTPError as exc:
            return None, None, f"{type(exc).__name__}: {exc}"
        retry_after = parse_retry_after(response.headers.get("retry-after"), utcnow())
        return response.status_code, retry_after, None

    async def refresh_gauges(self) -> None:
        async with self.database.read_session() as session:
            self.metrics.indexnow_queued.set(await IndexNowRepository(session).queued_count())

    async def run(self, stop: asyncio.Event) -> None:
        tick = min(max(self.settings.indexnow_debounce_seconds / 2, 0.05), 1.0)
        next_gauges = time.monotonic()
        while not stop.is_set():
            try:
                while await self.flush() is not None:
                    pass
                if time.monotonic() >= next_gauges:  # for a standalone worker's metrics port
                    next_gauges = time.monotonic() + GAUGES_EVERY_SECONDS
                    await self.refresh_gauges()
            except Exception:
                log.exception("IndexNow notification failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), tick)
