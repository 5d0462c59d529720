"""The consumer runtime: the worker loop, and running one batch of deliveries for a subscriber.

For every batch: one transaction. It starts set-based: one query for the batch's pending rows, one
for the earlier events its deliveries may have to wait for, and one multi-row INSERT that claims the
dedup rows of all deliveries in `processed_events` (unique per subscriber on the stream message id
and on the event id; a delivery whose row already exists is a duplicate, acknowledged and skipped;
of the same event twice in a batch the first one counts). Then each handler runs in a savepoint of
its own, in batch order. A handler's writes share the transaction.

When a handler raises, a delivery must wait, or a delivery has a pending row, the batch goes on from
that delivery one delivery at a time: the claims of those deliveries are taken back, and each gets
a savepoint with its dedup INSERT, predecessor check and handler. A handler that has raised is not
run again for the same attempt; its exception decides. Either way `brain.events.outcomes.decide`
turns what happened into the outcome, and `brain.events.ledger` writes it. The batch commits, then
the transport acknowledges: a crash before the commit redelivers, and the dedup rows make the
second delivery a no-op.

Events of one aggregate reach a subscriber in publish order: a delivery whose predecessor (an
earlier event of the same aggregate that the subscriber also receives) is not yet processed waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from brain.events.catalog import Catalog
from brain.events.envelope import Event
from brain.events.ledger import Ledger, clear_dedup
from brain.events.metrics import EventMetrics
from brain.events.outbox import (
    CAUSING_EVENT,
    EventPublisher,
    discard_unwritten,
    unwritten_mark,
)
from brain.events.outcomes import (
    ACKED,
    BatchResult,
    ConsumerSettings,
    Decision,
    Outcome,
    PendingRow,
    Seen,
    attempt_number,
    decide,
    not_due,
)
from brain.events.retries import RetryClock
from brain.events.subscribers import HandlerContext, Subscriber, SubscriberRegistry
from brain.events.transport import Delivery, Transport
from brain.kernel.clock import utcnow
from brain.kernel.db import Database
from brain.kernel.uow import UnitOfWork

__all__ = [
    "BatchResult",
    "ConsumerRuntime",
    "ConsumerSettings",
    "Outcome",
    "clear_dedup",
]

log = logging.getLogger(__name__)

Settled = list[tuple[Delivery, Outcome, str]]
"""Per delivery of a batch: its outcome and, for a dead letter, the reason."""


class _NotReady(Exception):
    pass


class _BatchFailed(Exception):
    """A batch handler raised: the batch's transaction is rolled back and the batch runs again,
    one delivery at a time."""


class _ClaimFailed(Exception):
    """The batch's dedup rows could not be claimed at once (a deadlock with another worker, say):
    the batch starts over in a new transaction, one delivery at a time."""


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
        self.ledger = Ledger(database.dialect, transport.stream_name)
        self._retries = RetryClock()
        self._start_positions: dict[str, int] = {}
        """Per subscriber, `Subscription.start_position` (written once, when it is created)."""

    # -- the worker loop ---------------------------------------------------------------------

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
                        subscriber, block=True, retries=self._retries.may_be_due(subscriber.name)
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
            await self.ledger.ensure_subscription(
                session, subscriber.name, from_beginning=subscriber.from_beginning
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

    async def deliver_now(
        self, subscriber: Subscriber, events: Sequence[Event], tag: str
    ) -> BatchResult:
        """Deliver `events` directly, outside the transport (replay, dead-letter retry)."""
        deliveries = [Delivery(f"{tag}:{e.id}", e, 1, True) for e in events]
        return await self.process(subscriber, deliveries)

    async def _due_retries(self, subscriber: Subscriber) -> list[Delivery]:
        looked = time.monotonic()
        limit = self.settings.batch_size
        async with self.database.sessionmaker() as session, session.begin():
            deliveries, found = await self.ledger.due_retries(
                session,
                subscriber.name,
                limit=limit,
                claim_seconds=self.settings.claim_idle_seconds,
            )
        self._retries.looked(
            subscriber.name, looked, full=found == limit, again=self.settings.block_seconds
        )
        return deliveries

    # -- one batch ---------------------------------------------------------------------------

    async def process(
        self,
        subscriber: Subscriber,
        deliveries: Sequence[Delivery],
        *,
        taken: Sequence[Delivery] = (),
    ) -> BatchResult:
        try:
            settled = await self._process(subscriber, deliveries, taken, at_once=True)
        except _ClaimFailed as failed:
            log.warning(
                "%s: claiming %d deliveries at once failed (%s); taking them one at a time",
                subscriber.name,
                len(deliveries),
                failed.__cause__,
            )
            settled = await self._process(subscriber, deliveries, taken, at_once=False)
        except _BatchFailed as failed:
            log.info(
                "%s: the batch handler failed on %d deliveries (%s); taking them one at a time",
                subscriber.name,
                len(deliveries),
                failed.__cause__,
            )
            settled = await self._process(subscriber, deliveries, taken, at_once=False)
        result = BatchResult([(delivery, outcome) for delivery, outcome, _ in settled])
        acked = [d.message_id for d, o in result.outcomes if o in ACKED and d.from_stream]
        await self.transport.ack(subscriber.name, acked)
        for delivery, outcome, reason in settled:
            if outcome is not Outcome.DEAD_LETTERED:
                continue
            try:
                await self.transport.dead_letter(subscriber.name, delivery, reason)
            except Exception:
                log.exception(
                    "dead letter of %s is recorded but not copied to the transport",
                    delivery.event.id,
                )
        for outcome, count in Counter(outcome for _, outcome in result.outcomes).items():
            self.metrics.consumed.labels(subscriber.name, outcome.value).inc(count)
        return result

    async def _process(
        self,
        subscriber: Subscriber,
        deliveries: Sequence[Delivery],
        taken: Sequence[Delivery],
        *,
        at_once: bool,
    ) -> Settled:
        """The batch's transaction."""
        decisions: list[Decision] = []
        async with UnitOfWork(self.database.sessionmaker) as uow:
            if deliveries:
                start = await self._start_position(uow.session, subscriber)
                pending = await self.ledger.pending_rows(uow.session, subscriber.name, deliveries)
                if at_once:
                    decisions = await self._at_once(uow, subscriber, deliveries, pending, start)
                else:
                    decisions = await self._one_by_one(uow, subscriber, deliveries, pending, start)
            await self.transport.advance(uow.session, subscriber.name, taken)
        return [
            (delivery, decision.outcome, decision.reason)
            for delivery, decision in zip(deliveries, decisions, strict=True)
        ]

    async def _claim_all(
        self, session: AsyncSession, subscriber: Subscriber, deliveries: Sequence[Delivery]
    ) -> set[uuid.UUID]:
        return await self.ledger.claim_all(session, subscriber.name, deliveries)

    async def _at_once(
        self,
        uow: UnitOfWork,
        subscriber: Subscriber,
        deliveries: Sequence[Delivery],
        pending: dict[uuid.UUID, PendingRow],
        start_position: int,
    ) -> list[Decision]:
        """Claim the batch's dedup rows in one INSERT, check its predecessors in one query, then
        run the handlers, each in its savepoint. From the first delivery this path cannot settle
        (a handler raised, it must wait, it has a pending row, or it is the second delivery of an
        event whose first was a duplicate) the rest goes one at a time."""
        if subscriber.handle_many is not None:
            return await self._at_once_batched(uow, subscriber, deliveries, pending, start_position)
        session = uow.session
        # A pending row (a retry, or a delivery deferred) means attempts and backoff to honour.
        limit = next(
            (i for i, d in enumerate(deliveries) if d.event.id in pending), len(deliveries)
        )
        firsts = _first_occurrences(deliveries[:limit])
        heads = [deliveries[i] for i in sorted(firsts)]
        predecessors = await self.ledger.predecessors(
            session, subscriber.name, subscriber.patterns, heads, start_position
        )
        try:
            claimed = await self._claim_all(session, subscriber, heads)
        except DBAPIError as exc:
            raise _ClaimFailed from exc
        decisions: list[Decision] = []
        processed: set[uuid.UUID] = set()
        failure: Exception | None = None
        for index, delivery in enumerate(deliveries[:limit]):
            event = delivery.event
            if (index in firsts and event.id not in claimed) or (
                index not in firsts and event.id in processed
            ):
                decisions.append(self._decide(subscriber, delivery, None, Seen.DUPLICATE))
                continue
            if index not in firsts or predecessors.wait(event, processed):
                break
            try:
                payload = self.catalog.parse(event.type, event.meta.schema_version, event.payload)
            except Exception:
                break  # parsing again one at a time fails alike and decides the outcome
            uow.info[CAUSING_EVENT] = event
            mark, hooks = unwritten_mark(uow), uow.mark()
            try:
                async with session.begin_nested():
                    await self._handle(subscriber, event, payload, uow, delivery.attempt)
            except Exception as exc:
                discard_unwritten(uow, mark)
                uow.discard_since(hooks)
                failure = exc
                break
            finally:
                uow.info.pop(CAUSING_EVENT, None)
            processed.add(event.id)
            decisions.append(self._decide(subscriber, delivery, None, Seen.HANDLED))
        rest = deliveries[len(decisions) :]
        if not rest:
            return decisions
        # Claimed for deliveries in `rest`: taken back, they are claimed again one at a time.
        await self.ledger.take_back(session, subscriber.name, claimed - processed)
        return decisions + await self._one_by_one(
            uow, subscriber, rest, pending, start_position, failure
        )

    async def _at_once_batched(
        self,
        uow: UnitOfWork,
        subscriber: Subscriber,
        deliveries: Sequence[Delivery],
        pending: dict[uuid.UUID, PendingRow],
        start_position: int,
    ) -> list[Decision]:
        """`_at_once` for a subscriber with a batch handler: the deliveries ready at once go to
        `handle_many` together, with no savepoint; if it raises, `_BatchFailed` rolls the whole
        transaction back. The rest goes one at a time, as in `_at_once`."""
        assert subscriber.handle_many is not None
        session = uow.session
        limit = next(
            (i for i, d in enumerate(deliveries) if d.event.id in pending), len(deliveries)
        )
        firsts = _first_occurrences(deliveries[:limit])
        heads = [deliveries[i] for i in sorted(firsts)]
        predecessors = await self.ledger.predecessors(
            session, subscriber.name, subscriber.patterns, heads, start_position
        )
        try:
            claimed = await self._claim_all(session, subscriber, heads)
        except DBAPIError as exc:
            raise _ClaimFailed from exc
        decisions: list[Decision] = []
        ready: list[HandlerContext[Any]] = []
        ready_ids: set[uuid.UUID] = set()
        for index, delivery in enumerate(deliveries[:limit]):
            event = delivery.event
            if (index in firsts and event.id not in claimed) or (
                index not in firsts and event.id in ready_ids
            ):
                decisions.append(self._decide(subscriber, delivery, None, Seen.DUPLICATE))
                continue
            if index not in firsts or predecessors.wait(event, ready_ids):
                break
            try:
                payload = self.catalog.parse(event.type, event.meta.schema_version, event.payload)
            except Exception:
                break  # parsing again one at a time fails alike and decides the outcome
            ready.append(HandlerContext(event, payload, uow, delivery.attempt, self.publisher))
            ready_ids.add(event.id)
            decisions.append(self._decide(subscriber, delivery, None, Seen.HANDLED))
        if ready:
            try:
                with self.metrics.handler_seconds.labels(subscriber.name).time():
                    await subscriber.handle_many(ready)
            except Exception as exc:
                raise _BatchFailed from exc
        rest = deliveries[len(decisions) :]
        if not rest:
            return decisions
        await self.ledger.take_back(session, subscriber.name, claimed - ready_ids)
        return decisions + await self._one_by_one(uow, subscriber, rest, pending, start_position)

    async def _one_by_one(
        self,
        uow: UnitOfWork,
        subscriber: Subscriber,
        deliveries: Sequence[Delivery],
        pending: dict[uuid.UUID, PendingRow],
        start_position: int,
        failure: Exception | None = None,
    ) -> list[Decision]:
        """Each delivery in a savepoint of its own; `failure`: what the first one's handler
        raised when it ran earlier in this batch."""
        return [
            await self._deliver(
                uow, subscriber, delivery, pending, start_position, failure if i == 0 else None
            )
            for i, delivery in enumerate(deliveries)
        ]

    async def _deliver(
        self,
        uow: UnitOfWork,
        subscriber: Subscriber,
        delivery: Delivery,
        pending: dict[uuid.UUID, PendingRow],
        start_position: int,
        failure: Exception | None,
    ) -> Decision:
        row = pending.get(delivery.event.id)
        if not_due(delivery, row, utcnow()):
            seen: Seen | BaseException = Seen.NOT_DUE
        else:
            seen = await self._attempt(uow, subscriber, delivery, row, start_position, failure)
        decision = self._decide(subscriber, delivery, row, seen)
        await self.ledger.apply(uow.session, subscriber.name, delivery, decision, pending)
        return decision

    async def _attempt(
        self,
        uow: UnitOfWork,
        subscriber: Subscriber,
        delivery: Delivery,
        row: PendingRow | None,
        start_position: int,
        failure: Exception | None,
    ) -> Seen | BaseException:
        """Claim, check the predecessor, parse and handle one delivery in its savepoint."""
        session = uow.session
        event = delivery.event
        mark, hooks = unwritten_mark(uow), uow.mark()
        try:
            async with session.begin_nested():
                if not await self.ledger.claim(session, subscriber.name, delivery):
                    return Seen.DUPLICATE
                if await self.ledger.waits_for_predecessor(
                    session, subscriber.name, subscriber.patterns, event, start_position
                ):
                    raise _NotReady
                payload = self.catalog.parse(event.type, event.meta.schema_version, event.payload)
                uow.info[CAUSING_EVENT] = event
                if failure is not None:
                    raise failure  # it ran for this attempt already: once per attempt
                await self._handle(subscriber, event, payload, uow, attempt_number(delivery, row))
            return Seen.HANDLED
        except _NotReady:
            return Seen.WAITING
        except Exception as exc:
            # Rolled back to the savepoint: its events, and the hooks its handler registered
            # (an alert logged, a task woken), go with it.
            discard_unwritten(uow, mark)
            uow.discard_since(hooks)
            return exc
        finally:
            uow.info.pop(CAUSING_EVENT, None)

    async def _handle(
        self, subscriber: Subscriber, event: Event, payload: object, uow: UnitOfWork, attempt: int
    ) -> None:
        with self.metrics.handler_seconds.labels(subscriber.name).time():
            await subscriber.handler(HandlerContext(event, payload, uow, attempt, self.publisher))

    def _decide(
        self,
        subscriber: Subscriber,
        delivery: Delivery,
        row: PendingRow | None,
        seen: Seen | BaseException,
    ) -> Decision:
        max_attempts = subscriber.max_attempts or self.settings.max_attempts
        decision = decide(delivery, row, seen, max_attempts=max_attempts, settings=self.settings)
        if decision.schedule is not None:
            self._retries.scheduled(subscriber.name, decision.schedule.delay)
        if decision.outcome is Outcome.RETRIED and decision.schedule is not None:
            log.info(
                "%s: %s failed (attempt %d of %d): %s",
                subscriber.name,
                delivery.event.id,
                decision.schedule.attempts,
                max_attempts,
                decision.schedule.error,
            )
        return decision

    async def _start_position(self, session: AsyncSession, subscriber: Subscriber) -> int:
        start = self._start_positions.get(subscriber.name)
        if start is None:
            start = await self.ledger.start_position(session, subscriber.name)
            if start is None:
                return 0  # no subscription row (yet): read it again next time
            self._start_positions[subscriber.name] = start
        return start


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
