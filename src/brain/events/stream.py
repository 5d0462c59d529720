"""The event stream assembled: catalog, publisher, relay, transport, consumers, operations."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from prometheus_client import CollectorRegistry
from redis.asyncio import Redis

import brain.events.contracts  # noqa: F401  (fills the catalog)
from brain.events.catalog import CATALOG, Catalog
from brain.events.consumer import ConsumerRuntime, ConsumerSettings
from brain.events.metrics import EventMetrics
from brain.events.notify import listen
from brain.events.operations import EventOperations
from brain.events.outbox import EventPublisher
from brain.events.redis_streams import RedisStreamsTransport
from brain.events.relay import Relay
from brain.events.settings import EventSettings, EventTransport
from brain.events.sql_log import LOG_CHANNEL, SqlLogTransport
from brain.events.subscribers import SubscriberRegistry
from brain.events.transport import Transport
from brain.kernel.db import Database

log = logging.getLogger(__name__)

GAUGE_REFRESH_SECONDS = 5.0


@dataclass
class EventStream:
    database: Database
    catalog: Catalog
    transport: Transport
    publisher: EventPublisher
    relay: Relay
    registry: SubscriberRegistry
    runtime: ConsumerRuntime
    operations: EventOperations
    metrics: EventMetrics

    async def run(self, stop: asyncio.Event) -> None:
        """Relay and consume until `stop`; in-flight batches finish before this returns."""
        await self.transport.start()
        tasks = [
            asyncio.create_task(self.relay.run(stop), name="relay"),
            asyncio.create_task(self.runtime.run(stop), name="consumers"),
            asyncio.create_task(self._refresh_gauges(stop), name="event-gauges"),
        ]
        if isinstance(self.transport, SqlLogTransport) and self.database.dialect == "postgresql":
            tasks.append(
                asyncio.create_task(listen(self.database, LOG_CHANNEL, self.transport.wake, stop))
            )
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def refresh_gauges(self) -> None:
        self.metrics.outbox_backlog.set(await self.relay.backlog())
        dead = await self.operations.open_dead_letters()
        for subscriber in self.registry:
            self.metrics.lag.labels(subscriber.name).set(
                await self.transport.lag(subscriber.name, subscriber.patterns)
            )
            self.metrics.dead_letters.labels(subscriber.name).set(dead.get(subscriber.name, 0))

    async def _refresh_gauges(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.refresh_gauges()
            except Exception as exc:
                log.debug("event gauges not refreshed: %s", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), GAUGE_REFRESH_SECONDS)


def build_event_stream(
    settings: EventSettings,
    database: Database,
    registry: CollectorRegistry,
    *,
    redis: Redis | None = None,
    subscribers: SubscriberRegistry | None = None,
    consumer_name: str | None = None,
) -> EventStream:
    metrics = EventMetrics(registry)
    transport: Transport
    if settings.event_transport is EventTransport.REDIS:
        if redis is None:
            raise ValueError("the redis transport needs a Redis client")
        transport = RedisStreamsTransport(
            redis,
            stream=settings.events_stream,
            dead_letter_stream=settings.events_dead_letter_stream,
            maxlen=settings.events_stream_maxlen,
            claim_idle_seconds=settings.events_claim_idle_seconds,
        )
    else:
        transport = SqlLogTransport(database, lease_seconds=settings.events_claim_idle_seconds)
    relay = Relay(
        database,
        transport,
        metrics,
        batch_size=max(settings.events_batch_size, 100),
        sweep_seconds=settings.events_relay_sweep_seconds,
    )
    publisher = EventPublisher(CATALOG, on_published=relay.wake)
    registry_ = subscribers or SubscriberRegistry()
    runtime = ConsumerRuntime(
        database,
        transport,
        CATALOG,
        publisher,
        registry_,
        metrics,
        ConsumerSettings(
            batch_size=settings.events_batch_size,
            block_seconds=settings.events_poll_seconds,
            max_attempts=settings.events_max_attempts,
            retry_base_seconds=settings.events_retry_base_seconds,
            retry_max_seconds=settings.events_retry_max_seconds,
            claim_idle_seconds=settings.events_claim_idle_seconds,
        ),
        consumer_name=consumer_name,
    )
    return EventStream(
        database=database,
        catalog=CATALOG,
        transport=transport,
        publisher=publisher,
        relay=relay,
        registry=registry_,
        runtime=runtime,
        operations=EventOperations(database, runtime),
        metrics=metrics,
    )
