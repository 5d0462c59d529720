"""Operating the stream: the audit log, replay and dead letters (used by the CLI and the API)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Select, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from brain.events.consumer import BatchResult, ConsumerRuntime, Outcome
from brain.events.envelope import Event
from brain.events.ledger import clear_dedup
from brain.events.models import DeadLetter, EventRecord, ProcessedEvent
from brain.events.outbox import event_of
from brain.events.patterns import sql_filter
from brain.kernel.clock import utcnow
from brain.kernel.db import Database
from brain.kernel.errors import Conflict, NotFound

MAX_PAGE = 500
T = TypeVar("T")


@dataclass(frozen=True)
class EventPage:
    items: list[tuple[int, Event, datetime | None]]
    next_cursor: int | None


@dataclass(frozen=True)
class ReplayResult:
    matched: int
    delivered: int
    skipped: int
    failed: int
    cleared: int


class EventOperations:
    def __init__(self, database: Database, runtime: ConsumerRuntime) -> None:
        self.database = database
        self.runtime = runtime

    async def list_events(
        self,
        *,
        tenant_id: uuid.UUID | None,
        type_pattern: str | None = None,
        aggregate_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: int | None = None,
        limit: int = 100,
        all_tenants: bool = False,
    ) -> EventPage:
        query = select(EventRecord).order_by(EventRecord.pk).limit(min(limit, MAX_PAGE))
        if not all_tenants:
            query = query.where(EventRecord.tenant_id == tenant_id)
        if type_pattern:
            query = query.where(sql_filter(EventRecord.type, [type_pattern]))
        if aggregate_id:
            query = query.where(EventRecord.aggregate_id == aggregate_id)
        if since:
            query = query.where(EventRecord.timestamp >= since)
        if until:
            query = query.where(EventRecord.timestamp < until)
        if after:
            query = query.where(EventRecord.pk > after)
        async with self.database.read_session() as session:
            records = list((await session.scalars(query)).all())
        items = [(r.pk, event_of(r), r.published_at) for r in records]
        full = len(records) == min(limit, MAX_PAGE)
        return EventPage(items, records[-1].pk if records and full else None)

    async def aggregate_trail(self, aggregate_id: str) -> list[Event]:
        """Every event of one aggregate (a course, say) in its publish order."""
        async with self.database.read_session() as session:
            records = await session.scalars(
                select(EventRecord)
                .where(EventRecord.aggregate_id == aggregate_id)
                .order_by(EventRecord.sequence)
            )
            return [event_of(record) for record in records]

    async def latest_position(self) -> int:
        """The cursor of the newest logged event (0 when the log is empty): `after` for a
        reader that wants only what comes next."""
        async with self.database.read_session() as session:
            return int(await session.scalar(select(func.max(EventRecord.pk))) or 0)

    async def get_event(self, event_id: uuid.UUID, *, tenant_id: uuid.UUID | None) -> Event:
        async with self.database.read_session() as session:
            record = await session.scalar(
                select(EventRecord).where(
                    EventRecord.id == event_id, EventRecord.tenant_id == tenant_id
                )
            )
        if record is None:
            raise NotFound(f"no event {event_id}")
        return event_of(record)

    async def replay(
        self,
        subscriber_name: str,
        *,
        type_pattern: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        force: bool = False,
        batch_size: int = 200,
    ) -> ReplayResult:
        """Deliver the log's events again to one subscriber, in log order.

        Without `force` the events it already processed are skipped by its dedup rows; with
        `force` those rows (for the selected events only) are cleared first, so they run again.
        """
        subscriber = self.runtime.registry.get(subscriber_name)
        patterns = [type_pattern] if type_pattern else list(subscriber.patterns)
        query = (
            select(EventRecord)
            .where(EventRecord.position.is_not(None))
            .where(sql_filter(EventRecord.type, list(subscriber.patterns)))
            .where(sql_filter(EventRecord.type, patterns))
            .order_by(EventRecord.position)
        )
        if since:
            query = query.where(EventRecord.timestamp >= since)
        if until:
            query = query.where(EventRecord.timestamp < until)
        async with self.database.read_session() as session:
            events = [event_of(r) for r in (await session.scalars(query)).all()]
        cleared = 0
        if force and events:
            async with self.database.sessionmaker() as session, session.begin():
                for ids in _chunks([e.id for e in events], 500):
                    cleared += await clear_dedup(session, subscriber_name, ids)
        totals = {"delivered": 0, "skipped": 0, "failed": 0}
        for chunk in _chunks(events, batch_size):
            result = await self.runtime.deliver_now(subscriber, chunk, "replay")
            _tally(result, totals)
        return ReplayResult(len(events), cleared=cleared, **totals)

    async def dead_letters(
        self,
        *,
        tenant_id: uuid.UUID | None,
        subscriber: str | None = None,
        status: str | None = "open",
        limit: int = 100,
        all_tenants: bool = False,
    ) -> list[DeadLetter]:
        query = (
            select(DeadLetter).order_by(DeadLetter.created_at.desc()).limit(min(limit, MAX_PAGE))
        )
        if not all_tenants:
            query = query.where(DeadLetter.tenant_id == tenant_id)
        if subscriber:
            query = query.where(DeadLetter.subscriber_name == subscriber)
        if status:
            query = query.where(DeadLetter.status == status)
        async with self.database.read_session() as session:
            return list((await session.scalars(query)).all())

    async def dead_letters_since(
        self, since: datetime, *, limit: int = MAX_PAGE
    ) -> list[DeadLetter]:
        """Dead letters of every tenant recorded at or after `since`, oldest first: what a
        watcher (alerting) has not looked at yet."""
        async with self.database.read_session() as session:
            letters = await session.scalars(
                select(DeadLetter)
                .where(DeadLetter.created_at >= since)
                .order_by(DeadLetter.created_at, DeadLetter.id)
                .limit(min(limit, MAX_PAGE))
            )
            return list(letters.all())

    def _letter(
        self, letter_id: uuid.UUID, tenant_id: uuid.UUID | None, all_tenants: bool
    ) -> Select[DeadLetter]:
        query = select(DeadLetter).where(DeadLetter.id == letter_id)
        return query if all_tenants else query.where(DeadLetter.tenant_id == tenant_id)

    async def dead_letter(
        self, letter_id: uuid.UUID, *, tenant_id: uuid.UUID | None, all_tenants: bool = False
    ) -> tuple[DeadLetter, Event | None]:
        async with self.database.read_session() as session:
            letter = await session.scalar(self._letter(letter_id, tenant_id, all_tenants))
            if letter is None:
                raise NotFound(f"no dead letter {letter_id}")
            record = await session.scalar(
                select(EventRecord).where(EventRecord.id == letter.event_id)
            )
        return letter, event_of(record) if record else None

    async def _close(self, session: AsyncSession, letter: DeadLetter, status: str) -> None:
        """Close an open letter; a concurrent close of the same letter makes this one a 409."""
        closed = await session.execute(
            update(DeadLetter)
            .where(DeadLetter.id == letter.id, DeadLetter.status == "open")
            .values(status=status, resolved_at=utcnow())
        )
        if not cast("CursorResult[Any]", closed).rowcount:
            raise Conflict(f"dead letter {letter.id} is already {letter.status}")

    async def retry_dead_letter(
        self, letter_id: uuid.UUID, *, tenant_id: uuid.UUID | None, all_tenants: bool = False
    ) -> Outcome:
        """Run the dead-lettered event through its subscriber once more. On success the letter is
        closed as `retried`; a failure dead-letters it again under a new letter."""
        letter, event = await self.dead_letter(
            letter_id, tenant_id=tenant_id, all_tenants=all_tenants
        )
        if letter.status != "open":
            raise Conflict(f"dead letter {letter_id} is already {letter.status}")
        if event is None:
            raise Conflict(f"the event {letter.event_id} of dead letter {letter_id} is gone")
        if letter.subscriber_name not in self.runtime.registry.names():
            raise Conflict(
                f"subscriber {letter.subscriber_name!r} does not run in this process; "
                "retry it where its module runs"
            )
        subscriber = self.runtime.registry.get(letter.subscriber_name)
        async with self.database.sessionmaker() as session, session.begin():
            await self._close(session, letter, "retried")
            await clear_dedup(session, letter.subscriber_name, [event.id])
        result = await self.runtime.deliver_now(subscriber, [event], "retry")
        return result.outcomes[0][1]

    async def discard_dead_letter(
        self, letter_id: uuid.UUID, *, tenant_id: uuid.UUID | None, all_tenants: bool = False
    ) -> DeadLetter:
        async with self.database.sessionmaker() as session, session.begin():
            letter = await session.scalar(self._letter(letter_id, tenant_id, all_tenants))
            if letter is None:
                raise NotFound(f"no dead letter {letter_id}")
            await self._close(session, letter, "discarded")
            await session.refresh(letter)
        return letter

    async def open_dead_letters(self) -> dict[str, int]:
        async with self.database.read_session() as session:
            rows = await session.execute(
                select(DeadLetter.subscriber_name, func.count())
                .where(DeadLetter.status == "open")
                .group_by(DeadLetter.subscriber_name)
            )
            return {name: int(count) for name, count in rows.all()}

    async def processed_count(self, subscriber: str) -> int:
        async with self.database.read_session() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(ProcessedEvent)
                .where(ProcessedEvent.subscriber_name == subscriber)
            )
        return int(count or 0)


def _tally(result: BatchResult, totals: dict[str, int]) -> None:
    for _, outcome in result.outcomes:
        if outcome is Outcome.PROCESSED:
            totals["delivered"] += 1
        elif outcome is Outcome.DUPLICATE:
            totals["skipped"] += 1
        else:
            totals["failed"] += 1


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
