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

from sqlalchemy import func, select, text

from brain.events.metrics import EventMetrics
from brain.events.models import EventRecord
from brain.events.notify import listen
from brain.events.outbox import OUTBOX_CHANNEL
from brain.events.transport import Transport
from brain.kernel.clock import utcnow
from brain.kernel.db import Database

log = logging.getLogger(__name__)

RELAY_LOCK_KEY = 0x6272_6169_6E01  # an arbitrary constant: "brain" + 1


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

    def wake(self) -> None:
        self._wakeup.set()

    async def relay_once(self) -> int:
        """Position and publish one batch; the number of events relayed."""
        async with self.database.sessionmaker() as session, session.begin():
            if self.database.dialect == "postgresql":
                await session.execute(
                    text("SELECT pg_advisory_xact_lock(:k)"), {"k": RELAY_LOCK_KEY}
                )
            records = list(
                (
                    await session.scalars(
                        select(EventRecord)
                        .where(EventRecord.position.is_(None))
                        .order_by(EventRecord.pk)
                        .limit(self.batch_size)
                    )
                ).all()
            )
            if not records:
                return 0
            last = await session.scalar(select(func.max(EventRecord.position))) or 0
            now = utcnow()
            for offset, record in enumerate(records, start=1):
                record.position = last + offset
                record.published_at = now
            await session.flush()
            await self.transport.publish(session, records)
        self.transport.published()
        for record in records:
            self.metrics.published.labels(record.type).inc()
        return len(records)

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
