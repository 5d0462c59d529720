"""The SQL-log transport (embedded default): the `events` table is the log.

Each subscriber keeps its position in `event_subscriptions`. One worker at a time reads a
subscriber, holding a lease that it renews on every fetch; when a worker dies its lease runs out
and another takes over from the last committed position. The position moves in the same
transaction as the handlers' writes, so a crash mid-batch redelivers the whole batch.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from brain.events.envelope import Event
from brain.events.models import EventRecord, Subscription
from brain.events.outbox import event_of
from brain.events.patterns import sql_filter
from brain.events.transport import Delivery
from brain.kernel.clock import utcnow
from brain.kernel.db import Database

LOG_CHANNEL = "brain_log"


class SqlLogTransport:
    name = "sql"
    stream_name = "sql:events"

    def __init__(self, database: Database, *, lease_seconds: float = 30.0) -> None:
        self.database = database
        self.lease = timedelta(seconds=lease_seconds)
        self._appended = asyncio.Event()

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def wake(self) -> None:
        self._appended.set()

    async def publish(self, session: AsyncSession, events: Sequence[Event | EventRecord]) -> None:
        if self.database.dialect == "postgresql":
            await session.execute(text(f"NOTIFY {LOG_CHANNEL}"))

    def published(self) -> None:
        self._appended.set()

    async def ensure_subscription(self, subscriber: str, start: str = "0") -> None:
        return None  # the runtime's subscription row holds the position

    async def _take_lease(self, session: AsyncSession, subscriber: str, consumer: str) -> bool:
        now = utcnow()
        result = await session.execute(
            update(Subscription)
            .where(
                Subscription.name == subscriber,
                or_(
                    Subscription.lease_owner.is_(None),
                    Subscription.lease_owner == consumer,
                    Subscription.lease_until < now,
                ),
            )
            .values(lease_owner=consumer, lease_until=now + self.lease)
        )
        return bool(cast("CursorResult[Any]", result).rowcount)

    async def release(self, subscriber: str, consumer: str) -> None:
        async with self.database.sessionmaker() as session, session.begin():
            await session.execute(
                update(Subscription)
                .where(Subscription.name == subscriber, Subscription.lease_owner == consumer)
                .values(lease_owner=None, lease_until=None)
            )

    async def fetch(
        self,
        subscriber: str,
        patterns: Sequence[str],
        consumer: str,
        count: int,
        block_seconds: float,
    ) -> list[Delivery]:
        self._appended.clear()
        async with self.database.sessionmaker() as session, session.begin():
            if not await self._take_lease(session, subscriber, consumer):
                records = None
            else:
                position = await session.scalar(
                    select(Subscription.position).where(Subscription.name == subscriber)
                )
                records = (
                    await session.scalars(
                        select(EventRecord)
                        .where(EventRecord.position > (position or 0))
                        .where(sql_filter(EventRecord.type, patterns))
                        .order_by(EventRecord.position)
                        .limit(count)
                    )
                ).all()
        if records:
            return [Delivery(str(r.position), event_of(r)) for r in records]
        if block_seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._appended.wait(), block_seconds)
        return []

    async def advance(
        self, session: AsyncSession, subscriber: str, deliveries: Sequence[Delivery]
    ) -> None:
        if not deliveries:
            return
        furthest = max(int(d.message_id) for d in deliveries)
        await session.execute(
            update(Subscription)
            .where(Subscription.name == subscriber, Subscription.position < furthest)
            .values(position=furthest)
        )

    async def ack(self, subscriber: str, message_ids: Sequence[str]) -> None:
        return None

    async def dead_letter(self, subscriber: str, delivery: Delivery, reason: str) -> None:
        return None

    async def lag(self, subscriber: str, patterns: Sequence[str] = ("*",)) -> int:
        async with self.database.read_session() as session:
            position = await session.scalar(
                select(Subscription.position).where(Subscription.name == subscriber)
            )
            count = await session.scalar(
                select(func.count())
                .select_from(EventRecord)
                .where(EventRecord.position > (position or 0))
                .where(sql_filter(EventRecord.type, patterns))
            )
        return int(count or 0)
