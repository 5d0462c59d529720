"""The consumer's SQL: dedup rows, the pending list, dead letters, predecessors, due retries.

Every statement of the consumer runtime lives here, as Core statements on the session it is given
(no ORM object per delivery). `docs/decisions/0006` and `0007` say why the tables look as they do.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Uuid,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    insert,
    null,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from brain.events.envelope import Event
from brain.events.models import (
    DeadLetter,
    EventRecord,
    PendingDelivery,
    ProcessedEvent,
    Subscription,
    table_of,
)
from brain.events.outbox import event_of
from brain.events.outcomes import Decision, PendingRow
from brain.events.patterns import sql_filter
from brain.events.transport import Delivery
from brain.kernel.clock import utcnow
from brain.kernel.db import UTCDateTime
from brain.kernel.ids import new_id

log = logging.getLogger(__name__)


PROCESSED = table_of(ProcessedEvent)
PENDING = table_of(PendingDelivery)
DEAD_LETTERS = table_of(DeadLetter)
EVENTS = table_of(EventRecord)
SUBSCRIPTIONS = table_of(Subscription)


@dataclass
class Predecessors:
    """The unprocessed earlier events of a batch's aggregates, read before the batch's claim:
    per aggregate the lowest sequence among those outside the batch, and those inside it."""

    outside: dict[str, int] = field(default_factory=dict)
    inside: dict[str, list[tuple[int, uuid.UUID]]] = field(default_factory=dict)

    def wait(self, event: Event, processed: set[uuid.UUID]) -> bool:
        """Whether `event` must wait, once the batch's deliveries before it processed
        `processed` (the question `Ledger.waits_for_predecessor` answers, without a query)."""
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


# `Ledger.claim_all` on PostgreSQL: the batch's dedup rows as one array per column (`unnest`), a
# constant statement prepared once whatever the batch's size; WITH ORDINALITY keeps the rows in
# the given (event id) order, which is the order their row locks are taken in.
_CLAIM_ALL_POSTGRESQL = (
    text(
        """
    INSERT INTO processed_events (subscriber_name, stream_name, stream_message_id, event_id,
                                  event_type, metadata, processed_at)
    SELECT :subscriber, :stream, given.message_id, given.event_id, given.event_type,
           '{"outcome": "processed"}'::jsonb, :now
    FROM unnest(CAST(:message_ids AS varchar[]), CAST(:event_ids AS uuid[]),
                CAST(:event_types AS varchar[])) WITH ORDINALITY
         AS given(message_id, event_id, event_type, ord)
    ORDER BY given.ord
    ON CONFLICT DO NOTHING
    RETURNING event_id
    """
    )
    .bindparams(bindparam("now", type_=UTCDateTime))
    .columns(event_id=Uuid)
)


class Ledger:
    """The consumer tables of one database, for one stream."""

    def __init__(self, dialect: str, stream_name: str) -> None:
        self.dialect = dialect
        self.stream_name = stream_name
        self._insert = pg_insert if dialect == "postgresql" else sqlite_insert

    # -- subscriptions -----------------------------------------------------------------------

    async def ensure_subscription(
        self, session: AsyncSession, name: str, *, from_beginning: bool
    ) -> None:
        start = 0
        if not from_beginning:
            start = await session.scalar(select(func.max(EVENTS.c.position))) or 0
        await session.execute(
            self._insert(SUBSCRIPTIONS)
            .values(name=name, position=start, start_position=start, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["name"])
        )

    async def start_position(self, session: AsyncSession, name: str) -> int | None:
        start = await session.scalar(
            select(SUBSCRIPTIONS.c.start_position).where(SUBSCRIPTIONS.c.name == name)
        )
        return None if start is None else int(start)

    # -- dedup rows --------------------------------------------------------------------------

    def _claim_row(
        self, subscriber: str, delivery: Delivery, metadata: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        return {
            "subscriber_name": subscriber,
            "stream_name": self.stream_name,
            "stream_message_id": delivery.message_id,
            "event_id": delivery.event.id,
            "event_type": delivery.event.type,
            "metadata": metadata,
            "processed_at": now,
        }

    async def claim(
        self,
        session: AsyncSession,
        subscriber: str,
        delivery: Delivery,
        metadata: dict[str, Any] | None = None,
    ) -> bool:
        """Insert the dedup row; False when this subscriber already has the message or event."""
        row = self._claim_row(subscriber, delivery, metadata or {"outcome": "processed"}, utcnow())
        statement = (
            self._insert(PROCESSED).values(row).on_conflict_do_nothing().returning(PROCESSED.c.id)
        )
        return (await session.execute(statement)).first() is not None

    async def claim_all(
        self, session: AsyncSession, subscriber: str, deliveries: Sequence[Delivery]
    ) -> set[uuid.UUID]:
        """`claim` for many deliveries (distinct events and message ids) in one statement; the
        event ids claimed. Rows go in event id order, so that two workers claiming overlapping
        batches take the row locks in the same order."""
        now = utcnow()
        ordered = sorted(deliveries, key=lambda d: d.event.id)
        if not ordered:
            return set()
        if self.dialect == "postgresql":
            result = await session.execute(
                _CLAIM_ALL_POSTGRESQL,
                {
                    "subscriber": subscriber,
                    "stream": self.stream_name,
                    "now": now,
                    "message_ids": [delivery.message_id for delivery in ordered],
                    "event_ids": [delivery.event.id for delivery in ordered],
                    "event_types": [delivery.event.type for delivery in ordered],
                },
            )
            return set(result.scalars())
        rows = [
            self._claim_row(subscriber, delivery, {"outcome": "processed"}, now)
            for delivery in ordered
        ]
        # executemany with RETURNING: SQLAlchemy sends it as multi-row INSERTs of up to 1,000
        # rows ("insertmanyvalues"), built from the compiled one-row statement
        statement = self._insert(PROCESSED).on_conflict_do_nothing().returning(PROCESSED.c.event_id)
        return set((await session.execute(statement, rows)).scalars())

    async def take_back(
        self, session: AsyncSession, subscriber: str, event_ids: Iterable[uuid.UUID]
    ) -> None:
        """Delete claims made for deliveries that end up settled another way."""
        ids = list(event_ids)
        if ids:
            await session.execute(
                delete(PROCESSED).where(
                    PROCESSED.c.subscriber_name == subscriber, PROCESSED.c.event_id.in_(ids)
                )
            )

    # -- predecessors (docs/decisions/0007) --------------------------------------------------

    def _unprocessed(self, subscriber: str, patterns: Sequence[str], start: int) -> Any:
        return and_(
            EVENTS.c.position > start,
            sql_filter(EVENTS.c.type, patterns),
            ~exists().where(
                PROCESSED.c.subscriber_name == subscriber, PROCESSED.c.event_id == EVENTS.c.id
            ),
        )

    async def predecessors(
        self,
        session: AsyncSession,
        subscriber: str,
        patterns: Sequence[str],
        deliveries: Sequence[Delivery],
        start_position: int,
    ) -> Predecessors:
        """What `waits_for_predecessor` would look for, for all `deliveries` in one query (none
        when no delivery has a predecessor). Read before the batch claims its dedup rows, so its
        own events count as unprocessed; `Predecessors.wait` takes the batch's order into
        account."""
        found = Predecessors()
        latest: dict[str, int] = {}
        per_aggregate: dict[str, list[uuid.UUID]] = {}
        for delivery in deliveries:
            aggregate, sequence = delivery.event.meta.aggregate_id, delivery.event.meta.sequence
            per_aggregate.setdefault(aggregate, []).append(delivery.event.id)
            if sequence > 1:
                latest[aggregate] = max(latest.get(aggregate, 0), sequence)
        if not latest:
            return found
        unprocessed = self._unprocessed(subscriber, patterns, start_position)
        inside = [i for a in latest if len(per_aggregate[a]) > 1 for i in per_aggregate[a]]
        outside = (
            select(EVENTS.c.aggregate_id, func.min(EVENTS.c.sequence), cast(null(), Uuid))
            .where(
                or_(
                    *(
                        and_(EVENTS.c.aggregate_id == aggregate, EVENTS.c.sequence < sequence)
                        for aggregate, sequence in latest.items()
                    )
                ),
                unprocessed,
            )
            .group_by(EVENTS.c.aggregate_id)
        )
        query: Any = outside
        if inside:
            query = union_all(
                outside.where(EVENTS.c.id.not_in(inside)),
                select(EVENTS.c.aggregate_id, EVENTS.c.sequence, EVENTS.c.id).where(
                    EVENTS.c.id.in_(inside), unprocessed
                ),
            )
        for aggregate, sequence, event_id in (await session.execute(query)).all():
            if event_id is None:
                found.outside[aggregate] = sequence
            else:
                found.inside.setdefault(aggregate, []).append((sequence, event_id))
        return found

    async def waits_for_predecessor(
        self,
        session: AsyncSession,
        subscriber: str,
        patterns: Sequence[str],
        event: Event,
        start_position: int,
    ) -> bool:
        if event.meta.sequence <= 1:
            return False
        earlier = await session.scalar(
            select(EVENTS.c.pk)
            .where(
                EVENTS.c.aggregate_id == event.meta.aggregate_id,
                EVENTS.c.sequence < event.meta.sequence,
                self._unprocessed(subscriber, patterns, start_position),
            )
            .limit(1)
        )
        return earlier is not None

    # -- the pending list and dead letters ----------------------------------------------------

    async def pending_rows(
        self, session: AsyncSession, subscriber: str, deliveries: Sequence[Delivery]
    ) -> dict[uuid.UUID, PendingRow]:
        ids = list({d.event.id for d in deliveries})
        rows = await session.execute(
            select(PENDING.c.event_id, PENDING.c.attempts, PENDING.c.next_attempt_at).where(
                PENDING.c.subscriber_name == subscriber, PENDING.c.event_id.in_(ids)
            )
        )
        return {row.event_id: PendingRow(*row) for row in rows}

    async def apply(
        self,
        session: AsyncSession,
        subscriber: str,
        delivery: Delivery,
        decision: Decision,
        pending: dict[uuid.UUID, PendingRow],
    ) -> None:
        """Write what `decision` says, keeping `pending` (the batch's view of the pending
        list) in step."""
        event = delivery.event
        now = utcnow()
        if decision.schedule is not None:
            schedule = decision.schedule
            due = now + timedelta(seconds=schedule.delay)
            values: dict[str, Any] = {
                "attempts": schedule.attempts,
                "next_attempt_at": due,
                "last_error": schedule.error[:4000],
                "updated_at": now,
            }
            if event.id in pending:
                if delivery.from_stream:
                    values["stream_message_id"] = delivery.message_id
                await session.execute(
                    update(PENDING)
                    .where(PENDING.c.subscriber_name == subscriber, PENDING.c.event_id == event.id)
                    .values(values)
                )
            else:
                await session.execute(
                    insert(PENDING).values(
                        subscriber_name=subscriber,
                        event_id=event.id,
                        stream_message_id=delivery.message_id,
                        created_at=now,
                        **values,
                    )
                )
            pending[event.id] = PendingRow(event.id, schedule.attempts, due)
        if decision.dead_letter is not None:
            letter = decision.dead_letter
            await self.claim(
                session,
                subscriber,
                delivery,
                {"outcome": "dead_lettered", "kind": letter.kind, "reason": letter.reason[:1000]},
            )
            await session.execute(
                insert(DEAD_LETTERS).values(
                    id=new_id(),
                    subscriber_name=subscriber,
                    event_id=event.id,
                    event_type=event.type,
                    tenant_id=event.meta.tenant_id,
                    stream_message_id=delivery.message_id,
                    kind=letter.kind,
                    reason=letter.reason[:4000],
                    attempts=letter.attempts,
                    status="open",
                    created_at=now,
                )
            )
            log.warning(
                "%s: event %s (%s) dead-lettered: %s",
                subscriber,
                event.id,
                event.type,
                letter.reason,
            )
        if decision.drop_pending and pending.pop(event.id, None) is not None:
            await session.execute(
                delete(PENDING).where(
                    PENDING.c.subscriber_name == subscriber, PENDING.c.event_id == event.id
                )
            )

    async def due_retries(
        self, session: AsyncSession, subscriber: str, *, limit: int, claim_seconds: float
    ) -> tuple[list[Delivery], int]:
        """Pending deliveries whose time has come, claimed for `claim_seconds` so that no other
        worker takes them (if this worker dies they are due again after that), and how many
        rows the query found (`limit`: there may be more)."""
        now = utcnow()
        query: Select[Any] = (
            select(
                PENDING.c.id, PENDING.c.event_id, PENDING.c.stream_message_id, PENDING.c.attempts
            )
            .where(PENDING.c.subscriber_name == subscriber, PENDING.c.next_attempt_at <= now)
            .order_by(PENDING.c.id)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = (await session.execute(query)).all()
        if not rows:
            return [], 0
        await session.execute(
            update(PENDING)
            .where(PENDING.c.id.in_([row.id for row in rows]))
            .values(next_attempt_at=now + timedelta(seconds=claim_seconds))
        )
        records = {
            record.id: record
            for record in await session.scalars(
                select(EventRecord).where(EventRecord.id.in_([row.event_id for row in rows]))
            )
        }
        orphans = [row.id for row in rows if row.event_id not in records]
        if orphans:
            await session.execute(delete(PENDING).where(PENDING.c.id.in_(orphans)))
        deliveries = [
            Delivery(row.stream_message_id, event_of(records[row.event_id]), row.attempts + 1, True)
            for row in rows
            if row.event_id in records
        ]
        return deliveries, len(rows)


async def clear_dedup(
    session: AsyncSession, subscriber: str, event_ids: Sequence[uuid.UUID]
) -> int:
    """Forget that `subscriber` processed these events (replay with force, dead-letter retry)."""
    result = await session.execute(
        delete(PROCESSED).where(
            PROCESSED.c.subscriber_name == subscriber, PROCESSED.c.event_id.in_(event_ids)
        )
    )
    await session.execute(
        delete(PENDING).where(
            PENDING.c.subscriber_name == subscriber, PENDING.c.event_id.in_(event_ids)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
