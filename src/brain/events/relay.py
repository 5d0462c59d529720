"""The relay: gives outbox rows their place in the log and hands them to the transport.

One relay batch runs at a time across all processes (a PostgreSQL advisory lock; SQLite's single
writer), so positions are handed out in one increasing order and events of an aggregate keep the
order they were committed in. The relay is woken right after a commit that wrote events (in this
process directly, in others by `LISTEN`), and sweeps on a timer to catch anything left.
Delivery to the transport is at-least-once: a crash between the transport's write and the commit
sends the batch again, which consumers deduplicate by event id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from typing import Any

from sqlalchemy import Row, bindparam, func, select, text, update

from brain.events.envelope import Event, EventMeta
from brain.events.metrics import EventMetrics
from brain.events.models import EventRecord, table_of
from brain.events.notify import listen
from brain.events.outbox import OUTBOX_CHANNEL
from brain.events.transport import Transport
from brain.kernel.clock import utcnow
from brain.kernel.db import Database, UTCDateTime

log = logging.getLogger(__name__)

RELAY_LOCK_KEY = 0x6272_6169_6E01  # an arbitrary constant: "brain" + 1
EVENTS = table_of(EventRecord)
_RELAYED = [c.name for c in EVENTS.columns if c.name not in ("pk", "published_at")]


def _event(row: Row[Any]) -> Event:
    """The envelope of a row the relay just positioned, built without validation: the row was
    validated when it was published."""
    return Event.model_construct(
        id=row.id,
        type=row.type,
        source=row.source,
        target=row.target,
        timestamp=row.timestamp,
        payload=row.payload,
        meta=EventMeta.model_construct(
            schema_version=row.schema_version,
            producer=row.producer,
            source_module=row.source_module,
            tenant_id=row.tenant_id,
            correlation_id=row.correlation_id,
            causation_id=row.causation_id,
            aggregate_id=row.aggregate_id,
            sequence=row.sequence,
        ),
    )


class Relay:
    def __init__(
        self,
        database: Database,
        transport: Transport,
        metrics: EventMetrics,
        *,
        batch_size: int = 500,
        sweep_seconds: float = 1.0,
    ) -> None:
        self.database = database
        self.transport = transport
        self.metrics = metrics
        self.batch_size = batch_size
        self.sweep_seconds = sweep_seconds
        self._wakeup = asyncio.Event()
        self._position = self._positioning()

    def wake(self) -> None:
        self._wakeup.set()

    async def relay_once(self) -> int:
        """Position and publish one batch; the number of events relayed."""
        async with self.database.sessionmaker() as session, session.begin():
            if self.database.dialect == "postgresql":
                await session.execute(
                    text("SELECT pg_advisory_xact_lock(:k)"), {"k": RELAY_LOCK_KEY}
                )
            rows = (await session.execute(self._position, {"now": utcnow()})).all()
            if not rows:
                return 0
            events = [_event(row) for row in sorted(rows, key=lambda row: row.position)]
            await self.transport.publish(session, events)
        self.transport.published()
        for type, count in Counter(event.type for event in events).items():
            self.metrics.published.labels(type).inc(count)
        return len(events)

    def _positioning(self) -> Any:
        """One statement that takes the oldest unpositioned rows, gives them the next positions
        in insertion order and returns them."""
        batch = (
            select(EVENTS.c.pk, func.row_number().over(order_by=EVENTS.c.pk).label("n"))
            .where(EVENTS.c.position.is_(None))
            .order_by(EVENTS.c.pk)
            .limit(self.batch_size)
            .subquery("batch")
        )
        last = select(func.coalesce(func.max(EVENTS.c.position), 0)).scalar_subquery()
        return (
            update(EVENTS)
            .where(EVENTS.c.pk == batch.c.pk)
            .values(position=last + batch.c.n, published_at=bindparam("now", type_=UTCDateTime))
            .returning(*(EVENTS.c[name] for name in _RELAYED))
        )

    async def drain(self) -> int:
        """Relay until the outbox is empty."""
        total = 0
        while count := await self.relay_once():
            total += count
        return total

    async def backlog(self) -> int:
        async with self.database.read_session() as session:
            count = await session.scalar(
                select(func.count()).select_from(EventRecord).where(EventRecord.position.is_(None))
            )
        return int(count or 0)

    async def run(self, stop: asyncio.Event) -> None:
        listener = None
        if self.database.dialect == "postgresql":
            listener = asyncio.create_task(listen(self.database, OUTBOX_CHANNEL, self.wake, stop))
        failures = 0
        try:
            while not stop.is_set():
                # Cleared before the batch, not after: a commit that lands while the batch runs
                # must wake the next round instead of waiting for the sweep.
                self._wakeup.clear()
                try:
                    relayed = await self.relay_once()
                    failures = 0
                except Exception as exc:
                    failures += 1
                    delay = min(0.1 * 2**failures, 5.0)
                    log.warning(
                        "relay failed (%s); events stay in the outbox, retry in %.1fs", exc, delay
                    )
                    await _sleep_or_stop(stop, delay)
                    continue
                if relayed == self.batch_size:
                    continue
                waiter = asyncio.create_task(self._wakeup.wait())
                stopper = asyncio.create_task(stop.wait())
                await asyncio.wait(
                    {waiter, stopper},
                    timeout=self.sweep_seconds,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                for task in (waiter, stopper):
                    task.cancel()
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
