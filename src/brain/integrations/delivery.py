"""The webhook delivery task: sends what the webhooks subscriber recorded (ADR 0014).

The subscriber only writes delivery rows, in the consumer's transaction. This task, which every
worker runs beside the relay and the consumers, claims due deliveries in a short transaction,
commits, sends them over HTTP with no transaction open (so a slow receiver holds no database lock
and no consumer batch), and records each result in another short transaction:

- 2xx: delivered; the endpoint is no longer failing.
- 410 Gone: the delivery has failed and the endpoint is disabled (`webhook.endpoint.disabled`).
- anything else (another status, a redirect — never followed —, a timeout, a refused address):
  the next attempt follows the retry schedule with jitter, or later when the receiver sent
  `Retry-After`; once the schedule is exhausted the delivery has failed. An endpoint whose
  attempts have all failed for `BRAIN_WEBHOOKS_DISABLE_AFTER_SECONDS` is disabled.

Every request is Standard Webhooks-signed afresh (a new timestamp per attempt) with the same
`webhook-id`, the event id, so receivers deduplicate retries and redeliveries.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from brain import __version__
from brain.events import EventPublisher
from brain.events.contracts.integrations import WebhookEndpointDisabled
from brain.integrations import ssrf
from brain.integrations.metrics import IntegrationMetrics
from brain.integrations.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from brain.integrations.repository import WebhookRepository
from brain.integrations.settings import IntegrationSettings
from brain.integrations.signing import headers as signed_headers
from brain.kernel.clock import utcnow
from brain.kernel.db import Database
from brain.kernel.uow import UnitOfWork

log = logging.getLogger(__name__)

EXCERPT_BYTES = 2048
LEASE_MARGIN_SECONDS = 30.0
PRUNE_EVERY_SECONDS = 3600.0
GAUGES_EVERY_SECONDS = 5.0
USER_AGENT = f"BRAiN-Webhooks/{__version__}"


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """`Retry-After` (delta-seconds or an HTTP date) as seconds from `now`; None if absent or
    unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - now).total_seconds(), 0.0)


@dataclass(frozen=True)
class RetryPolicy:
    schedule: tuple[float, ...]
    jitter: float = 0.2
    retry_after_max: float = 86400.0

    def delay(
        self, failures: int, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float | None:
        """Seconds until the next attempt after `failures` failed attempts, or None when the
        schedule is exhausted. The scheduled delay is spread by ±`jitter`, so that receivers
        coming back from an outage are not hit by every retry at once; a `Retry-After` later
        than that wins (up to `retry_after_max`)."""
        if failures < 1 or failures > len(self.schedule):
            return None
        base = self.schedule[failures - 1]
        spread = (rng or random).uniform(1 - self.jitter, 1 + self.jitter)
        delay = base * spread
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.retry_after_max))
        return delay


@dataclass(frozen=True)
class AttemptResult:
    started_at: datetime
    duration: float
    status_code: int | None = None
    excerpt: str | None = None
    error: str | None = None
    retry_after: float | None = None
    refused: bool = False

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


@dataclass(frozen=True)
class Claimed:
    delivery_id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID
    url: str
    body: str
    signing_secrets: tuple[str, ...]
    token: uuid.UUID
    """The claim: only its holder records the delivery's next state."""


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> tuple[str, ...]:
    """The current secret, and the previous one while its rotation lasts."""
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at
        and endpoint.previous_secret_expires_at > now
    ):
        return (endpoint.secret, endpoint.previous_secret)
    return (endpoint.secret,)


class Sender:
    """One HTTP attempt: SSRF check at send time, signed POST, bounded wait and excerpt."""

    def __init__(
        self, settings: IntegrationSettings, resolver: ssrf.Resolver = ssrf.system_resolver
    ) -> None:
        self.settings = settings
        self.resolver = resolver

    def client(self) -> httpx.AsyncHTTPTransport:
        """What `send` sends through. A transport, not a client: it follows no redirects, uses
        no proxy from the environment, and does not log request URLs (httpx's client logs every
        URL, and a receiver's URL often carries its credentials in the path). No keep-alive:
        requests go to the checked address, and a pooled connection to that address may have
        been opened, with its TLS server name, for another endpoint's host."""
        return httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))

    async def send(self, transport: httpx.AsyncHTTPTransport, claimed: Claimed) -> AttemptResult:
        started_at = utcnow()
        started = time.perf_counter()

        def done(**fields: object) -> AttemptResult:
            return AttemptResult(
                started_at=started_at,
                duration=time.perf_counter() - started,
                **fields,  # type: ignore[arg-type]  # the fields of AttemptResult
            )

        try:
            target = await ssrf.check(
                claimed.url,
                allow_insecure=self.settings.webhooks_allow_insecure,
                allow_private=self.settings.webhooks_allow_private_targets,
                resolver=self.resolver,
            )
        except ssrf.TargetRefused as refused:
            return done(error=f"refused: {refused}"[:500], refused=True)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "host": target.host_header(),
            **signed_headers(
                claimed.signing_secrets, str(claimed.event_id), started_at, claimed.body
            ),
        }
        timeout = self.settings.webhooks_timeout_seconds
        extensions: dict[str, object] = {"timeout": httpx.Timeout(timeout).as_dict()}
        if target.address is not None and target.url.startswith("https"):
            extensions["sni_hostname"] = target.host
        request = httpx.Request(
            "POST",
            target.connect_url(),
            content=claimed.body.encode(),
            headers=headers,
            extensions=extensions,
        )
        try:
            async with asyncio.timeout(timeout):
                response = await transport.handle_async_request(request)
                try:
                    excerpt = b""
                    async for chunk in response.aiter_bytes():
                        excerpt += chunk
                        if len(excerpt) >= EXCERPT_BYTES:
                            break
                finally:
                    await response.aclose()
                return done(
                    status_code=response.status_code,
                    excerpt=excerpt[:EXCERPT_BYTES].decode("utf-8", errors="replace") or None,
                    retry_after=parse_retry_after(response.headers.get("retry-after"), utcnow()),
                )
        except (TimeoutError, httpx.TimeoutException):
            return done(error=f"no answer within {timeout:g} s")
        except httpx.HTTPError as exc:
            return done(error=f"{type(exc).__name__}: {exc}"[:500])


class DeliveryWorker:
    """The delivery task of one worker process (`run`), and its steps for tests and the CLI."""

    def __init__(
        self,
        database: Database,
        units_of_work: Callable[[], UnitOfWork],
        publisher: EventPublisher,
        settings: IntegrationSettings,
        metrics: IntegrationMetrics,
        sender: Sender | None = None,
    ) -> None:
        self.database = database
        self.units_of_work = units_of_work
        self.publisher = publisher
        self.settings = settings
        self.metrics = metrics
        self.sender = sender or Sender(settings)
        self.policy = RetryPolicy(
            settings.webhooks_retry_schedule,
            settings.webhooks_retry_jitter,
            settings.webhooks_retry_after_max_seconds,
        )
        self.lease_seconds = (
            settings.webhooks_timeout_seconds + ssrf.RESOLVE_TIMEOUT_SECONDS + LEASE_MARGIN_SECONDS
        )
        self._wake: asyncio.Event | None = None

    def wake(self) -> None:
        """Look for due deliveries now (the webhooks subscriber calls this after its commit)."""
        if self._wake is not None:
            self._wake.set()

    # -- steps -------------------------------------------------------------------------------

    async def claim(self, limit: int) -> list[Claimed]:
        now = utcnow()
        token = uuid.uuid4()
        async with self.units_of_work() as uow:
            rows = await WebhookRepository(uow.session).claim(now, limit, token, self.lease_seconds)
            return [
                Claimed(
                    delivery.id,
                    endpoint.id,
                    delivery.event_id,
                    endpoint.url,
                    delivery.body,
                    signing_secrets(endpoint, now),
                    token,
                )
                for delivery, endpoint in rows
            ]

    async def deliver(self, client: httpx.AsyncHTTPTransport, claimed: Claimed) -> str:
        """Send one claimed delivery and record the result; the outcome."""
        result = await self.sender.send(client, claimed)
        self.metrics.latency.observe(result.duration)
        async with self.units_of_work() as uow:
            outcome = await self.record(uow, claimed, result)
        self.metrics.deliveries.labels(outcome).inc()
        return outcome

    async def record(self, uow: UnitOfWork, claimed: Claimed, result: AttemptResult) -> str:
        repo = WebhookRepository(uow.session)
        delivery = await repo.delivery(claimed.delivery_id, tenant_id=None)
        if delivery is None:
            return "discarded"  # its endpoint was deleted while it was in flight
        await repo.add_attempt(
            WebhookAttempt(
                delivery_id=delivery.id,
                attempted_at=result.started_at,
                status_code=result.status_code,
                duration_ms=round(result.duration * 1000),
                response_excerpt=result.excerpt,
                error=result.error,
            )
        )
        if delivery.claim_token != claimed.token:
            return "stale"  # our lease ran out and another worker has taken the delivery over
        now = utcnow()
        delivery.attempts += 1
        delivery.last_status_code = result.status_code
        delivery.last_duration_ms = round(result.duration * 1000)
        delivery.last_response = result.excerpt
        delivery.last_error = result.error
        delivery.claim_token = None
        delivery.claimed_until = None
        delivery.updated_at = now
        endpoint = await repo.endpoint(delivery.endpoint_id, tenant_id=None)
        if result.succeeded:
            delivery.status = DeliveryStatus.DELIVERED.value
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            if endpoint is not None and endpoint.failing_since is not None:
                endpoint.failing_since = None
            return "delivered"
        if result.gone:
            delivery.status = DeliveryStatus.FAILED.value
            delivery.next_attempt_at = None
            await self._disable(uow, repo, delivery, DisabledReason.GONE, result, now)
            return "gone"
        delivery.retry_step += 1
        delay = self.policy.delay(delivery.retry_step, result.retry_after)
        if delay is None:
            delivery.status = DeliveryStatus.FAILED.value
            delivery.next_attempt_at = None
            outcome = "failed"
        else:
            delivery.next_attempt_at = now + timedelta(seconds=delay)
            outcome = "refused" if result.refused else "retrying"
        if endpoint is not None:
            endpoint.failing_since = endpoint.failing_since or result.started_at
            failing_for = (now - endpoint.failing_since).total_seconds()
            if failing_for >= self.settings.webhooks_disable_after_seconds:
                await self._disable(uow, repo, delivery, DisabledReason.FAILING, result, now)
        return outcome

    async def _disable(
        self,
        uow: UnitOfWork,
        repo: WebhookRepository,
        delivery: WebhookDelivery,
        reason: DisabledReason,
        result: AttemptResult,
        now: datetime,
    ) -> None:
        endpoint = await repo.disable(delivery.endpoint_id, reason.value, now)
        if endpoint is None:
            return
        log.warning(
            "webhook endpoint %s of tenant %s disabled (%s, last status %s)",
            endpoint.id,
            endpoint.tenant_id,
            reason.value,
            result.status_code,
        )
        await self.publisher.publish(
            uow,
            WebhookEndpointDisabled(
                endpoint_id=endpoint.id,
                reason_code=reason.value,
                failing_since=endpoint.failing_since,
                last_status_code=result.status_code,
            ),
            tenant_id=endpoint.tenant_id,
        )

    async def deliver_due(self, limit: int | None = None) -> list[str]:
        """Claim what is due now and send it all (tests, `brain webhooks deliver`); the
        outcomes."""
        claimed = await self.claim(limit or self.settings.webhooks_concurrency)
        if not claimed:
            return []
        async with self.sender.client() as client:
            return list(await asyncio.gather(*(self.deliver(client, c) for c in claimed)))

    async def prune(self) -> int:
        """Forget deliveries older than the retention (30 days by default)."""
        before = utcnow() - timedelta(days=self.settings.webhooks_retention_days)
        total = 0
        while True:
            async with self.units_of_work() as uow:
                pruned = await WebhookRepository(uow.session).prune(before)
            total += pruned
            if not pruned:
                return total

    async def refresh_gauges(self) -> None:
        async with self.database.read_session() as session:
            repo = WebhookRepository(session)
            self.metrics.pending.set(await repo.pending_count())
            self.metrics.disabled.set(await repo.disabled_count())

    # -- the task ----------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop`; requests in flight finish (within the timeout) first."""
        wake = self._wake = asyncio.Event()
        inflight: set[asyncio.Task[str]] = set()
        next_prune = next_gauges = time.monotonic()
        failures = 0
        async with self.sender.client() as client:
            try:
                while not stop.is_set():
                    free = self.settings.webhooks_concurrency - len(inflight)
                    claimed: list[Claimed] = []
                    try:
                        if free > 0:
                            claimed = await self.claim(free)
                        failures = 0
                    except Exception:
                        failures += 1
                        log.exception("claiming webhook deliveries failed; trying again")
                        await _sleep(stop, min(0.5 * 2**failures, 30.0))
                        continue
                    for item in claimed:
                        task = asyncio.create_task(self._guarded(client, item))
                        inflight.add(task)
                        task.add_done_callback(inflight.discard)
                        task.add_done_callback(lambda _task: wake.set())
                    now = time.monotonic()
                    try:
                        if now >= next_prune:
                            next_prune = now + PRUNE_EVERY_SECONDS
                            await self.prune()
                        if now >= next_gauges:
                            # For a standalone worker's metrics port; the API refreshes them
                            # itself before `/metrics` is read.
                            next_gauges = now + GAUGES_EVERY_SECONDS
                            await self.refresh_gauges()
                    except Exception:
                        log.exception("pruning the webhook log failed; trying again later")
                    if claimed and len(claimed) == free:
                        continue  # more may be due: claim again as soon as there is room
                    await _wait(stop, wake, self.settings.webhooks_poll_seconds)
                    wake.clear()
            finally:
                if inflight:
                    await asyncio.gather(*inflight, return_exceptions=True)
                self._wake = None

    async def _guarded(self, client: httpx.AsyncHTTPTransport, claimed: Claimed) -> str:
        try:
            return await self.deliver(client, claimed)
        except Exception:
            # The claim runs out and the delivery is tried again; nothing is lost.
            log.exception("recording webhook delivery %s failed", claimed.delivery_id)
            return "error"


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _wait(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
