"""The consumer runtime: subscribers, and the loop that delivers events to them.

For every batch: one transaction. It starts set-based: one query for the batch's pending rows, one
for the earlier events its deliveries may have to wait for, and one multi-row INSERT that claims the
dedup rows of all deliveries in `processed_events` (unique per subscriber on the stream message id
and on the event id; a delivery whose row already exists is a duplicate, acknowledged and skipped;
of the same event twice in a batch the first one counts). Then each handler runs in a savepoint of
its own, in batch order. A handler's writes share the transaction.

When a handler raises, a delivery must wait, or a delivery has a pending row, the batch goes on from
that delivery one delivery at a time, as it always did: the claims of those deliveries are taken
back, and each gets a savepoint with its dedup INSERT, predecessor check and handler. A handler that
has raised is not run again for the same attempt; its exception decides. A `PermanentError`, or a
payload that fails validation, is recorded with its reason as a dead letter and acknowledged. Any
other exception rolls the savepoint back and schedules a retry with exponential backoff in
`event_pending`; after `max_attempts` the delivery is dead-lettered. The batch commits, then the
transport acknowledges: a crash before the commit redelivers, and the dedup rows make the second
delivery a no-op.

Events of one aggregate reach a subscriber in publish order: a delivery whose predecessor (an
earlier event of the same aggregate that the subscriber also receives) is not yet processed waits.

The worker loop looks for due retries when a retry this process scheduled is due, and otherwise at
most once per poll interval (for retries other workers scheduled); `poll` and `drain` always look.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Table,
    Uuid,
    and_,
    cast,
    delete,
    exists,
    func,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from brain.events.catalog import Catalog, CatalogError
from brain.events.envelope import Event
from brain.events.metrics import EventMetrics
from brain.events.models import (
    DeadLetter,
    EventRecord,
    PendingDelivery,
    ProcessedEvent,
    Subscription,
)
from brain.events.outbox import CAUSING_EVENT, EventPublisher, event_of
from brain.events.patterns import sql_filter
from brain.events.subscribers import HandlerContext, PermanentError, Subscriber, SubscriberRegistry
from brain.events.transport import Delivery, Transport
from brain.kernel.clock import utcnow
from brain.kernel.db import Database
from brain.kernel.ids import new_id
from brain.kernel.uow import UnitOfWork

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    WAITING = "waiting"
    RETRIED = "retried"
    DEFERRED = "deferred"
    DEAD_LETTERED = "dead_lettered"


ACKED = frozenset({Outcome.PROCESSED, Outcome.DUPLICATE, Outcome.DEAD_LETTERED})


@dataclass(frozen=True)
class ConsumerSettings:
    batch_size: int = 100
    block_seconds: float = 1.0
    max_attempts: int = 5
    retry_base_seconds: float = 0.5
    retry_max_seconds: float = 60.0
    claim_idle_seconds: float = 30.0
    waiting_retry_seconds: float = 0.05

    def backoff(self, attempts: int) -> float:
        doublings = max(attempts - 1, 0)
        if doublings > 1000:  # far past any cap; 2**doublings would overflow a float
            return self.retry_max_seconds
        return min(self.retry_base_seconds * 2**doublings, self.retry_max_seconds)


class _NotReady(Exception):
    pass


class _ClaimFailed(Exception):
    """The batch's dedup rows could not be claimed at once (a deadlock with another worker, say):
    the batch starts over in a new transaction, one delivery at a time."""


CLAIM_CHUNK = 500
"""Rows per multi-row claim INSERT (7 parameters each; well under every driver's limit)."""

_PROCESSED_EVENTS: Table = ProcessedEvent.__table__  # type: ignore[assignment]


@dataclass
class _Predecessors:
    """The unprocessed earlier events of a batch's aggregates, read before the batch's claim:
    per aggregate the lowest sequence among those outside the batch, and those inside it."""

    outside: dict[str, int] = field(default_factory=dict)
    inside: dict[str, list[tuple[int, uuid.UUID]]] = field(default_factory=dict)

    def wait(self, event: Event, processed: set[uuid.UUID]) -> bool:
        """Whether `event` must wait, once the batch's deliveries before it processed
        `processed` (the question `_waits_for_predecessor` answers, without a query)."""
        sequence = event.meta.sequence
        if sequence <= 1:
            return False
        aggregate = event.meta.aggregate_id
        if self.outside.get(aggregate, sequence) < sequence:
            return True
        return any(
            earlier < sequence and event_id not in processed
            for earlier, event_id in self.inside.get(aggregate, ())
        )


@dataclass
class BatchResult:
    outcomes: list[tuple[Delivery, Outcome]] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for _, o in self.outcomes if o is outcome)


class ConsumerRuntime:
    def __init__(
        self,
        database: Database,
        transport: Transport,
        catalog: Catalog,
        publisher: EventPublisher,
        registry: SubscriberRegistry,
        metrics: EventMetrics,
        settings: ConsumerSettings | None = None,
        consumer_name: str | None = None,
    ) -> None:
        self.database = database
        self.transport = transport
        self.catalog = catalog
        self.publisher = publisher
        self.registry = registry
        self.metrics = metrics
        self.settings = settings or ConsumerSettings()
        self.consumer_name = consumer_name or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        self._start_positions: dict[str, int] = {}
        """Per subscriber, `Subscription.start_position` (written once, when it is created)."""
        self._retries_look_at: dict[str, float] = {}
        """Per subscriber, when (`time.monotonic()`) the worker loop looks for due retries again
        that other workers may have scheduled; missing: at once."""
        self._retries_scheduled: dict[str, list[float]] = {}
        """Per subscriber, a heap of when the retries this process scheduled fall due."""

    # -- running ---------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Consume for every registered subscriber until `stop`; in-flight batches finish."""
        await asyncio.gather(*(self._run(subscriber, stop) for subscriber in self.registry))

    async def _run(self, subscriber: Subscriber, stop: asyncio.Event) -> None:
        await self.ensure_subscription(subscriber)
        failures = 0
        try:
            while not stop.is_set():
                try:
                    await self._poll(
                        subscriber, block=True, retries=self._retries_may_be_due(subscriber.name)
                    )
                    failures = 0
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    failures += 1
                    delay = min(0.2 * 2**failures, 10.0)
                    log.warning(
                        "%s: batch failed (%s); nothing acknowledged, retry in %.1fs",
                        subscriber.name,
                        exc,
                        delay,
                    )
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), delay)
        finally:
            release = getattr(self.transport, "release", None)
            if release is not None:
                with contextlib.suppress(Exception):
                    await release(subscriber.name, self.consumer_name)

    async def ensure_subscription(self, subscriber: Subscriber) -> None:
        async with self.database.sessionmaker() as session, session.begin():
            start = 0
            if not subscriber.from_beginning:
                start = await session.scalar(select(func.max(EventRecord.position))) or 0
            insert = pg_insert if self.database.dialect == "postgresql" else sqlite_insert
            await session.execute(
                insert(Subscription)
                .values(
                    name=subscriber.name, position=start, start_position=start, created_at=utcnow()
                )
                .on_conflict_do_nothing(index_elements=["name"])
            )
        await self.transport.ensure_subscription(
            subscriber.name, start="0" if subscriber.from_beginning else "$"
        )

    async def poll(self, subscriber: Subscriber, *, block: bool = True) -> BatchResult:
        """Take one batch (due retries first, then new deliveries) and process it."""
        return await self._poll(subscriber, block=block, retries=True)

    async def _poll(self, subscriber: Subscriber, *, block: bool, retries: bool) -> BatchResult:
        due = await self._due_retries(subscriber) if retries else []
        new = await self.transport.fetch(
            subscriber.name,
            subscriber.patterns,
            self.consumer_name,
            max(self.settings.batch_size - len(due), 1),
            self.settings.block_seconds if block and not due else 0,
        )
        if not due and not new:
            return BatchResult()
        return await self.process(subscriber, [*due, *new], taken=new)

    async def drain(self, subscriber: Subscriber, *, max_batches: int = 1000) -> int:
        """Process until nothing is left that is due now (for tests, replays and the CLI)."""
        total = 0
        for _ in range(max_batches):
            result = await self.poll(subscriber, block=False)
            if not result.outcomes:
                break
            total += len(result.outcomes)
        return total

    # -- one batch -------------------------------------------------------------------------

    async def process(
        self,
        subscriber: Subscriber,
        deliveries: Sequence[Delivery],
        *,
        taken: Sequence[Delivery] = (),
    ) -> BatchResult:
        try:
            handled = await self._process(subscriber, deliveries, taken, at_once=True)
        except _ClaimFailed as failed:
            log.warning(
                "%s: claiming %d deliveries at once failed (%s); taking them one at a time",
                subscriber.name,
                len(deliveries),
                failed.__cause__,
            )
            handled = await self._process(subscriber, deliveries, taken, at_once=False)
        result = BatchResult([(delivery, outcome) for delivery, outcome, _ in handled])
        dead = [(d, reason) for d, outcome, reason in handled if outcome is Outcome.DEAD_LETTERED]
        acked = [d.message_id for d, o in result.outcomes if o in ACKED and d.from_stream]
        await self.transport.ack(subscriber.name, acked)
        for delivery, reason in dead:
            try:
                await self.transport.dead_letter(subscriber.name, delivery, reason)
            except Exception:
                log.exception(
                    "dead letter of %s is recorded but not copied to the transport",
                    delivery.event.id,
                )
        for _, outcome in result.outcomes:
            self.metrics.consumed.labels(subscriber.name, outcome.value).inc()
        return result

    async def _process(
        self,
        subscriber: Subscriber,
        deliveries: Sequence[Delivery],
        taken: Sequence[Delivery],
        *,
        at_once: bool,
    ) -> list[tuple[Delivery, Outcome, str]]:
        """The batch's transaction; per delivery its outcome and, for a dead letter, the reason."""
        outcomes: list[tuple[Outcome, str]] = []
        async with UnitOfWork(self.database.sessionmaker) as uow:
            if deliveries:
                start = await self._start_position(uow.session, subscriber)
                pending = await self._pending_rows(uow.session, subscriber, deliveries)
                if at_once:
                    outcomes = await self._at_once(uow, subscriber, deliveries, pending, start)
                else:
                    outcomes = await self._one_by_one(uow, subscriber, deliveries, pending, start)
            await self.transport.advance(uow.session, subscriber.name, taken)
        return [
            (delivery, outcome, reason)
            for delivery, (outcome, reason) in zip(deliveries, outcomes, strict=True)
        ]

    async def _at_once(
        self,
        uow: UnitOfWork,
        subscriber: Subscriber,
        deliveries: Sequence[Delivery],
        pending: dict[uuid.UUID, PendingDelivery],
        start_position: int,
    ) -> list[tuple[Outcome, str]]:
        """Claim the batch's dedup rows in one INSERT, check its predecessors in one query, then
        run the handlers, each in its savepoint. From the first delivery this path cannot settle
        (a handler raised, it must wait, it has a pending row, or it is the second delivery of an
        event whose first was a duplicate) the rest goes one at a time."""
        session = uow.session
        # A pending row (a retry, or a delivery deferred) means attempts and backoff to honour.
        limit = next(
            (i for i, d in enumerate(deliveries) if d.event.id in pending), len(deliveries)
        )
        firsts = _first_occurrences(deliveries[:limit])
        heads = [deliveries[i] for i in sorted(firsts)]
        predecessors = await self._predecessors(session, subscriber, heads, start_position)
        try:
            claimed = await self._claim_all(session, subscriber, heads)
        except DBAPIError as exc:
            raise _ClaimFailed from exc
        outcomes: list[tuple[Outcome, str]] = []
        processed: set[uuid.UUID] = set()
        failure: Exception | None = None
        for index, delivery in enumerate(deliveries[:limit]):
            event = delivery.event
            if index in firsts:
                if event.id not in claimed:
                    outcomes.append((Outcome.DUPLICATE, ""))
                    continue
            elif event.id in processed:
                outcomes.append((Outcome.DUPLICATE, ""))
                continue
            else:
                break
            if predecessors.wait(event, processed):
                break
            try:
                payload = self.catalog.parse(event.type, event.meta.schema_version, event.payload)
            except Exception:
                break  # parsing again one at a time fails alike and decides the outcome
            uow.info[CAUSING_EVENT] = event
            try:
                async with session.begin_nested():
                    with self.metrics.handler_seconds.labels(subscriber.name).time():
                        await subscriber.handler(
                            HandlerContext(event, payload, uow, delivery.attempt, self.publisher)
                        )
            except Exception as exc:
                failure = exc
                break
            finally:
                uow.info.pop(CAUSING_EVENT, None)
            processed.add(event.id)
            outcomes.append((Outcome.PROCESSED, ""))
        rest = deliveries[len(outcomes) :]
        if not rest:
            return outcomes
        unsettled = claimed - processed  # claimed for deliveries in `rest`: taken back
        if unsettled:
            await session.execute(
                delete(_PROCESSED_EVENTS).where(
                    _PROCESSED_EVENTS.c.subscriber_name == subscriber.name,
                    _PROCESSED_EVENTS.c.event_id.in_(unsettled),
                )
            )
        return outcomes + await self._one_by_one(
            uow, subscriber, rest, pending, start_position, failure
        )

    async def _one_by_one(
        self,
        uow: UnitOfWork,
        subscriber: Subscriber,
        deliveries: Sequence[Delivery],
        pending: dict[uuid.UUID, PendingDelivery],
        start_position: int,
        failure: Exception | None = None,
    ) -> list[tuple[Outcome, str]]:
        """Each delivery in a savepoint of its own; `failure`: what the first one's handler
        raised when it ran earlier in this batch."""
        return [
            await self._deliver(
                uow, subscriber, delivery, pending, start_position, failure if i == 0 else None
            )
            for i, delivery in enumerate(deliveries)
        ]

    async def _start_position(self, session: AsyncSession, subscriber: Subscriber) -> int:
        start = self._start_positions.get(subscriber.name)
        if start is None:
            start = await session.scalar(
                select(Subscription.start_position).where(Subscription.name == subscriber.name)
            )
            if start is None:
                return 0  # no subscription row (yet): read it again next time
            self._start_positions[subscriber.name] = start
        return start

    async def _deliver(
        self,
        uow: UnitOfWork,
        subscriber: Subscriber,
        delivery: Delivery,
        pending: dict[uuid.UUID, PendingDelivery],
        start_position: int,
        failure: Exception | None = None,
    ) -> tuple[Outcome, str]:
        session = uow.session
        event = delivery.event
        row = pending.get(event.id)
        now = utcnow()
        if row is not None and not delivery.retry and row.next_attempt_at > now:
            return Outcome.DEFERRED, ""
        max_attempts = subscriber.max_attempts or self.settings.max_attempts
        # The pending row counts real failures; without one (a worker died holding the delivery)
        # the transport's delivery count is all there is, so a message that kills its worker
        # still ends as a dead letter.
        attempts = (row.attempts if row else delivery.attempt - 1) + 1
        try:
            async with session.begin_nested():
                if not await self._claim(session, subscriber, delivery, {"outcome": "processed"}):
                    if row is not None:
                        await session.delete(row)
                        pending.pop(event.id, None)
                    return Outcome.DUPLICATE, ""
                if await self._waits_for_predecessor(session, subscriber, event, start_position):
                    raise _NotReady
                payload = self.catalog.parse(event.type, event.meta.schema_version, event.payload)
                uow.info[CAUSING_EVENT] = event
                if failure is not None:
                    raise failure  # it ran for this attempt already: once per attempt
                with self.metrics.handler_seconds.labels(subscriber.name).time():
                    await subscriber.handler(
                        HandlerContext(event, payload, uow, attempts, self.publisher)
                    )
                if row is not None:
                    await session.delete(row)
            if row is not None:
                pending.pop(event.id, None)
            return Outcome.PROCESSED, ""
        except _NotReady:
            await self._schedule(
                session,
                subscriber,
                delivery,
                pending,
                attempts - 1,
                self.settings.waiting_retry_seconds,
                f"waiting for an earlier event of aggregate {event.meta.aggregate_id}",
            )
            return Outcome.WAITING, ""
        except (PermanentError, CatalogError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            await self._dead_letter(
                session, subscriber, delivery, pending, "permanent", reason, attempts
            )
            return Outcome.DEAD_LETTERED, reason
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
            if attempts >= max_attempts:
                await self._dead_letter(
                    session,
                    subscriber,
                    delivery,
                    pending,
                    "exhausted",
                    f"gave up after {attempts} attempts; last: {reason}",
                    attempts,
                )
                return Outcome.DEAD_LETTERED, reason
            log.info(
                "%s: %s failed (attempt %d of %d): %s",
                subscriber.name,
                event.id,
                attempts,
                max_attempts,
                reason,
            )
            await self._schedule(
                session,
                subscriber,
                delivery,
                pending,
                attempts,
                self.settings.backoff(attempts),
                reason,
            )
            return Outcome.RETRIED, ""
        finally:
            uow.info.pop(CAUSING_EVENT, None)

    async def _claim(
        self,
        session: AsyncSession,
        subscriber: Subscriber,
        delivery: Delivery,
        metadata: dict[str, Any],
    ) -> bool:
        """Insert the dedup row; False when this subscriber already has the message or event."""
        insert = pg_insert if self.database.dialect == "postgresql" else sqlite_insert
        statement = (
            insert(ProcessedEvent)
            .values(
                subscriber_name=subscriber.name,
                stream_name=self.transport.stream_name,
                stream_message_id=delivery.message_id,
                event_id=delivery.event.id,
                event_type=delivery.event.type,
                metadata_=metadata,
                processed_at=utcnow(),
            )
            .on_conflict_do_nothing()
            .returning(ProcessedEvent.id)
        )
        return (await session.execute(statement)).first() is not None

    async def _claim_all(
        self, session: AsyncSession, subscriber: Subscriber, deliveries: Sequence[Delivery]
    ) -> set[uuid.UUID]:
        """`_claim` for many deliveries (distinct events and message ids) in one statement; the
        event ids claimed. Rows go in event id order, so that two workers claiming overlapping
        batches take the row locks in the same order."""
        insert = pg_insert if self.database.dialect == "postgresql" else sqlite_insert
        now = utcnow()
        rows = [
            {
                "subscriber_name": subscriber.name,
                "stream_name": self.transport.stream_name,
                "stream_message_id": delivery.message_id,
                "event_id": delivery.event.id,
                "event_type": delivery.event.type,
                "metadata": {"outcome": "processed"},
                "processed_at": now,
            }
            for delivery in sorted(deliveries, key=lambda d: d.event.id)
        ]
        claimed: set[uuid.UUID] = set()
        for offset in range(0, len(rows), CLAIM_CHUNK):
            statement = (
                insert(_PROCESSED_EVENTS)
                .values(rows[offset : offset + CLAIM_CHUNK])
                .on_conflict_do_nothing()
                .returning(_PROCESSED_EVENTS.c.event_id)
            )
            claimed.update((await session.execute(statement)).scalars())
        return claimed

    async def _predecessors(
        self,
        session: AsyncSession,
        subscriber: Subscriber,
        deliveries: Sequence[Delivery],
        start_position: int,
    ) -> _Predecessors:
        """What `_waits_for_predecessor` would look for, for all `deliveries` in one query (none
        when no delivery has a predecessor). Read before the batch claims its dedup rows, so its
        own events count as unprocessed; `_Predecessors.wait` takes the batch's order into
        account."""
        found = _Predecessors()
        latest: dict[str, int] = {}
        per_aggregate: dict[str, list[uuid.UUID]] = {}
        for delivery in deliveries:
            aggregate, sequence = delivery.event.meta.aggregate_id, delivery.event.meta.sequence
            per_aggregate.setdefault(aggregate, []).append(delivery.event.id)
            if sequence > 1:
                latest[aggregate] = max(latest.get(aggregate, 0), sequence)
        if not latest:
            return found
        unprocessed = and_(
            EventRecord.position > start_position,
            sql_filter(EventRecord.type, subscriber.patterns),
            ~exists().where(
                ProcessedEvent.subscriber_name == subscriber.name,
                ProcessedEvent.event_id == EventRecord.id,
            ),
        )
        inside = [i for a in latest if len(per_aggregate[a]) > 1 for i in per_aggregate[a]]
        outside = (
            select(EventRecord.aggregate_id, func.min(EventRecord.sequence), cast(null(), Uuid))
            .where(
                or_(
                    *(
                        and_(EventRecord.aggregate_id == aggregate, EventRecord.sequence < sequence)
                        for aggregate, sequence in latest.items()
                    )
                ),
                unprocessed,
            )
            .group_by(EventRecord.aggregate_id)
        )
        query = outside
        if inside:
            query = union_all(
                outside.where(EventRecord.id.not_in(inside)),
                select(EventRecord.aggregate_id, EventRecord.sequence, EventRecord.id).where(
                    EventRecord.id.in_(inside), unprocessed
                ),
            )
        for aggregate, sequence, event_id in (await session.execute(query)).all():
            if event_id is None:
                found.outside[aggregate] = sequence
            else:
                found.inside.setdefault(aggregate, []).append((sequence, event_id))
        return found

    async def _waits_for_predecessor(
        self, session: AsyncSession, subscriber: Subscriber, event: Event, start_position: int
    ) -> bool:
        if event.meta.sequence <= 1:
            return False
        processed = exists().where(
            ProcessedEvent.subscriber_name == subscriber.name,
            ProcessedEvent.event_id == EventRecord.id,
        )
        earlier = await session.scalar(
            select(EventRecord.pk)
            .where(
                EventRecord.aggregate_id == event.meta.aggregate_id,
                EventRecord.sequence < event.meta.sequence,
                EventRecord.position > start_position,
                sql_filter(EventRecord.type, subscriber.patterns),
                ~processed,
            )
            .limit(1)
        )
        return earlier is not None

    async def _pending_rows(
        self, session: AsyncSession, subscriber: Subscriber, deliveries: Sequence[Delivery]
    ) -> dict[uuid.UUID, PendingDelivery]:
        ids = list({d.event.id for d in deliveries})
        rows = await session.scalars(
            select(PendingDelivery).where(
                PendingDelivery.subscriber_name == subscriber.name,
                PendingDelivery.event_id.in_(ids),
            )
        )
        return {row.event_id: row for row in rows}

    async def _schedule(
        self,
        session: AsyncSession,
        subscriber: Subscriber,
        delivery: Delivery,
        pending: dict[uuid.UUID, PendingDelivery],
        attempts: int,
        delay: float,
        error: str,
    ) -> None:
        now = utcnow()
        row = pending.get(delivery.event.id)
        if row is None:
            row = PendingDelivery(
                subscriber_name=subscriber.name,
                event_id=delivery.event.id,
                stream_message_id=delivery.message_id,
                created_at=now,
            )
            session.add(row)
            pending[delivery.event.id] = row
        row.attempts = attempts
        row.next_attempt_at = now + timedelta(seconds=delay)
        row.last_error = error[:4000]
        row.updated_at = now
        if delivery.from_stream:
            row.stream_message_id = delivery.message_id
        await session.flush()
        heapq.heappush(
            self._retries_scheduled.setdefault(subscriber.name, []), time.monotonic() + delay
        )

    async def _dead_letter(
        self,
        session: AsyncSession,
        subscriber: Subscriber,
        delivery: Delivery,
        pending: dict[uuid.UUID, PendingDelivery],
        kind: str,
        reason: str,
        attempts: int,
    ) -> None:
        event = delivery.event
        await self._claim(
            session,
            subscriber,
            delivery,
            {"outcome": "dead_lettered", "kind": kind, "reason": reason[:1000]},
        )
        session.add(
            DeadLetter(
                id=new_id(),
                subscriber_name=subscriber.name,
                event_id=event.id,
                event_type=event.type,
                tenant_id=event.meta.tenant_id,
                stream_message_id=delivery.message_id,
                kind=kind,
                reason=reason[:4000],
                attempts=attempts,
                status="open",
                created_at=utcnow(),
            )
        )
        row = pending.pop(event.id, None)
        if row is not None:
            await session.delete(row)
        await session.flush()
        log.warning(
            "%s: event %s (%s) dead-lettered: %s", subscriber.name, event.id, event.type, reason
        )

    def _retries_may_be_due(self, name: str) -> bool:
        """For the worker loop: whether a retry this process scheduled is due, or it is time to
        look for those of other workers again."""
        now = time.monotonic()
        scheduled = self._retries_scheduled.get(name)
        return now >= self._retries_look_at.get(name, 0.0) or bool(
            scheduled and scheduled[0] <= now
        )

    async def _due_retries(self, subscriber: Subscriber) -> list[Delivery]:
        """Pending deliveries whose time has come, claimed so that no other worker takes them
        (if this worker dies they are due again after the claim window)."""
        looked = time.monotonic()
        now = utcnow()
        query_limit = self.settings.batch_size
        async with self.database.sessionmaker() as session, session.begin():
            query = (
                select(PendingDelivery)
                .where(
                    PendingDelivery.subscriber_name == subscriber.name,
                    PendingDelivery.next_attempt_at <= now,
                )
                .order_by(PendingDelivery.id)
                .limit(query_limit)
            )
            if self.database.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list((await session.scalars(query)).all())
            self._looked_for_retries(subscriber.name, looked, full=len(rows) == query_limit)
            if not rows:
                return []
            claim_until = now + timedelta(seconds=self.settings.claim_idle_seconds)
            for row in rows:
                row.next_attempt_at = claim_until
            records = {
                r.id: r
                for r in await session.scalars(
                    select(EventRecord).where(EventRecord.id.in_([row.event_id for row in rows]))
                )
            }
            orphans = [row for row in rows if row.event_id not in records]
            for row in orphans:
                await session.delete(row)
        return [
            Delivery(row.stream_message_id, event_of(records[row.event_id]), row.attempts + 1, True)
            for row in rows
            if row.event_id in records
        ]

    def _looked_for_retries(self, name: str, looked: float, *, full: bool) -> None:
        """Everything due at `looked` was found (unless the query hit its limit: look again at
        once); other workers' retries are looked for again one poll interval later."""
        self._retries_look_at[name] = looked if full else looked + self.settings.block_seconds
        scheduled = self._retries_scheduled.get(name)
        while scheduled and scheduled[0] <= looked:
            heapq.heappop(scheduled)

    async def deliver_now(
        self, subscriber: Subscriber, events: Sequence[Event], tag: str
    ) -> BatchResult:
        """Deliver `events` directly, outside the transport (replay, dead-letter retry)."""
        deliveries = [Delivery(f"{tag}:{e.id}", e, 1, True) for e in events]
        return await self.process(subscriber, deliveries)


def _first_occurrences(deliveries: Sequence[Delivery]) -> set[int]:
    """Indexes of the deliveries whose event id and message id no earlier delivery has (the same
    event relayed twice); a later one is a duplicate if the first was processed."""
    events: set[uuid.UUID] = set()
    messages: set[str] = set()
    firsts: set[int] = set()
    for index, delivery in enumerate(deliveries):
        if delivery.event.id in events or delivery.message_id in messages:
            continue
        events.add(delivery.event.id)
        messages.add(delivery.message_id)
        firsts.add(index)
    return firsts


async def clear_dedup(
    session: AsyncSession, subscriber: str, event_ids: Sequence[uuid.UUID]
) -> int:
    result = await session.execute(
        delete(ProcessedEvent).where(
            ProcessedEvent.subscriber_name == subscriber, ProcessedEvent.event_id.in_(event_ids)
        )
    )
    await session.execute(
        delete(PendingDelivery).where(
            PendingDelivery.subscriber_name == subscriber, PendingDelivery.event_id.in_(event_ids)
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
