"""Publishing: an event is written to the outbox (`events`) inside the caller's unit of work.

It commits or rolls back with the business change it reports; nothing is sent anywhere before the
commit. `publish` validates the payload and keeps the event in the unit of work; just before the
commit every event of the transaction is written at once: the per-aggregate sequence numbers of
all of them from one upsert, the rows in one multi-row INSERT, and on PostgreSQL the
`NOTIFY brain_outbox` that wakes the relays of other processes in the same statement (one
statement in all). Once the transaction has committed, this process's relay is woken directly
(`docs/decisions/0019`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from sqlalchemy import insert, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from brain.events.catalog import Catalog, EventPayload
from brain.events.envelope import Event, EventMeta
from brain.events.models import AggregateSequence, EventRecord, table_of
from brain.kernel.clock import Clock, SystemClock
from brain.kernel.ids import new_id
from brain.kernel.uow import UnitOfWork

OUTBOX_CHANNEL = "brain_outbox"
CAUSING_EVENT = "causing_event"
CORRELATION_ID = "correlation_id"
_OUTBOX = "outbox"

EVENTS = table_of(EventRecord)
SEQUENCES = table_of(AggregateSequence)

_GIVEN = [
    c.name for c in EVENTS.columns if c.name not in ("pk", "position", "published_at", "sequence")
]
"""The columns an event's row is written with, besides its sequence."""


@dataclass
class _Unwritten:
    """The events a unit of work published and has not written yet, in publish order."""

    events: list[Event] = field(default_factory=list)
    written: bool = False
    """The unit of work is committing and has written its events: nothing may be added."""

    def mark(self) -> int:
        return len(self.events)

    def discard_from(self, mark: int) -> None:
        del self.events[mark:]


class EventPublisher:
    def __init__(
        self,
        catalog: Catalog,
        *,
        on_published: Callable[[], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.catalog = catalog
        self._on_published = on_published
        self._clock = clock or SystemClock()

    @overload
    async def publish(
        self,
        uow: UnitOfWork,
        event: EventPayload,
        *,
        tenant_id: uuid.UUID | None = None,
        target: str | None = None,
    ) -> Event: ...

    @overload
    async def publish(
        self,
        uow: UnitOfWork,
        event: str,
        payload: Mapping[str, Any],
        *,
        tenant_id: uuid.UUID | None = None,
        target: str | None = None,
        version: int | None = None,
    ) -> Event: ...

    async def publish(
        self,
        uow: UnitOfWork,
        event: EventPayload | str,
        payload: Mapping[str, Any] | None = None,
        *,
        tenant_id: uuid.UUID | None = None,
        target: str | None = None,
        version: int | None = None,
    ) -> Event:
        """Validate the payload against the catalog and add the event to the unit of work.

        Modules pass a contract's payload object (`DistributionPublished(...)`), which names its
        event type and version; the raw form (a type name and a mapping) is for tools and tests.
        Inside a consumer's handler the event being handled becomes the causation, and its
        correlation id and tenant carry over unless given. The event's `meta.sequence` is filled
        in when the unit of work writes its events, just before it commits.
        """
        if isinstance(event, EventPayload):
            spec, data = self.catalog.validate_object(event)
        else:
            if payload is None:
                raise TypeError("publishing by type name needs the payload mapping")
            spec, data = self.catalog.validate_for_publish(event, payload, version)
        cause: Event | None = uow.info.get(CAUSING_EVENT)
        correlation_id = (
            cause.meta.correlation_id if cause else uow.info.get(CORRELATION_ID) or new_id()
        )
        if tenant_id is None and cause is not None:
            tenant_id = cause.meta.tenant_id
        elif tenant_id is not None and not isinstance(tenant_id, uuid.UUID):
            tenant_id = uuid.UUID(str(tenant_id))  # the envelope is not validated again below
        # Built without validation: every value is the catalog's or this method's own; the
        # sequence (0 until then) comes from the database when the events are written.
        published = Event.model_construct(
            id=new_id(),
            type=spec.type,
            source=spec.source_module,
            target=target,
            timestamp=self._clock.now(),
            payload=data,
            meta=EventMeta.model_construct(
                schema_version=spec.version,
                producer=spec.producer,
                source_module=spec.source_module,
                tenant_id=tenant_id,
                correlation_id=correlation_id,
                causation_id=cause.id if cause else None,
                aggregate_id=str(data[spec.aggregate_field]),
                sequence=0,
            ),
        )
        unwritten = self._unwritten(uow)
        if unwritten.written:
            raise RuntimeError(
                f"{spec.type} published after its unit of work wrote its events (in a "
                "before-commit hook that runs after the publisher's)"
            )
        unwritten.events.append(published)
        return published

    def _unwritten(self, uow: UnitOfWork) -> _Unwritten:
        unwritten: _Unwritten | None = uow.info.get(_OUTBOX)
        if unwritten is None:
            unwritten = uow.info[_OUTBOX] = _Unwritten()
            uow.before_commit(write_events)
            if self._on_published is not None:
                uow.on_commit(self._on_published)
        return unwritten


def unwritten_mark(uow: UnitOfWork) -> int:
    """How many events `uow` holds unwritten (for `discard_unwritten`)."""
    unwritten: _Unwritten | None = uow.info.get(_OUTBOX)
    return 0 if unwritten is None else unwritten.mark()


def discard_unwritten(uow: UnitOfWork, mark: int) -> None:
    """Forget the events published since `mark`: the work that published them was rolled back
    to a savepoint (a consumer's handler that raised)."""
    unwritten: _Unwritten | None = uow.info.get(_OUTBOX)
    if unwritten is not None:
        unwritten.discard_from(mark)


async def write_events(uow: UnitOfWork) -> None:
    """Write the events `uow` published (the unit of work calls this before it commits)."""
    unwritten: _Unwritten | None = uow.info.get(_OUTBOX)
    if unwritten is None:
        return
    unwritten.written = True
    if not unwritten.events:
        return
    events, unwritten.events = unwritten.events, []
    session = uow.session
    if _dialect(session) == "postgresql":
        await _write_postgresql(session, events)
    else:
        await _write_sqlite(session, events)


def _counts(events: Sequence[Event]) -> dict[str, int]:
    """Events per aggregate, aggregates sorted: concurrent writers lock sequence rows in the same
    order, so two transactions with overlapping aggregates cannot deadlock."""
    counts: dict[str, int] = {}
    for event in events:
        counts[event.meta.aggregate_id] = counts.get(event.meta.aggregate_id, 0) + 1
    return dict(sorted(counts.items()))


def _numbered(events: Sequence[Event], lasts: Mapping[str, int]) -> list[int]:
    """Each event's sequence: the aggregate's events of this transaction end at `lasts`."""
    counts = _counts(events)
    next_of = {aggregate: lasts[aggregate] - counts[aggregate] + 1 for aggregate in counts}
    sequences = []
    for event in events:
        aggregate = event.meta.aggregate_id
        sequences.append(next_of[aggregate])
        next_of[aggregate] += 1
    return sequences


def _row(event: Event, sequence: int) -> dict[str, Any]:
    meta = event.meta
    # The envelope was built without validation (see `publish`): its sequence is set here, the
    # one moment it becomes known.
    meta.__dict__["sequence"] = sequence
    return {
        "id": event.id,
        "type": event.type,
        "source": event.source,
        "target": event.target,
        "timestamp": event.timestamp,
        "schema_version": meta.schema_version,
        "producer": meta.producer,
        "source_module": meta.source_module,
        "tenant_id": meta.tenant_id,
        "correlation_id": meta.correlation_id,
        "causation_id": meta.causation_id,
        "aggregate_id": meta.aggregate_id,
        "sequence": sequence,
        "payload": event.payload,
    }


async def _write_sqlite(session: AsyncSession, events: Sequence[Event]) -> None:
    upsert = sqlite_insert(SEQUENCES)
    claimed = upsert.on_conflict_do_update(
        index_elements=[SEQUENCES.c.aggregate_id],
        set_={"last": SEQUENCES.c.last + upsert.excluded.last},
    ).returning(SEQUENCES.c.aggregate_id, SEQUENCES.c.last)
    counts = [{"aggregate_id": a, "last": n} for a, n in _counts(events).items()]
    lasts = {a: int(last) for a, last in (await session.execute(claimed, counts)).all()}
    sequences = _numbered(events, lasts)
    await session.execute(
        insert(EVENTS),
        [_row(event, sequence) for event, sequence in zip(events, sequences, strict=True)],
    )


# The rows travel as one array per column (`unnest`): one constant statement, prepared once,
# whatever the number of events. Its sequence upsert takes the rows in aggregate order, so two
# writers with overlapping aggregates lock them in the same order.
_WRITE_POSTGRESQL = text(
    """
    WITH given AS (
        SELECT * FROM unnest(
            CAST(:id AS uuid[]), CAST(:type AS varchar[]), CAST(:source AS varchar[]),
            CAST(:target AS varchar[]), CAST(:timestamp AS timestamptz[]),
            CAST(:schema_version AS integer[]), CAST(:producer AS varchar[]),
            CAST(:source_module AS varchar[]), CAST(:tenant_id AS uuid[]),
            CAST(:correlation_id AS uuid[]), CAST(:causation_id AS uuid[]),
            CAST(:aggregate_id AS varchar[]), CAST(:payload AS jsonb[]),
            CAST(:later AS integer[]), CAST(:ord AS integer[])
        ) AS g(id, type, source, target, timestamp, schema_version, producer, source_module,
               tenant_id, correlation_id, causation_id, aggregate_id, payload, later, ord)
    ), claimed AS (
        INSERT INTO event_sequences AS s (aggregate_id, last)
        SELECT aggregate_id, count(*) FROM given GROUP BY aggregate_id ORDER BY aggregate_id
        ON CONFLICT (aggregate_id) DO UPDATE SET last = s.last + excluded.last
        RETURNING s.aggregate_id, s.last
    ), written AS (
        INSERT INTO events (id, type, source, target, timestamp, schema_version, producer,
                            source_module, tenant_id, correlation_id, causation_id,
                            aggregate_id, payload, sequence)
        SELECT g.id, g.type, g.source, g.target, g.timestamp, g.schema_version, g.producer,
               g.source_module, g.tenant_id, g.correlation_id, g.causation_id,
               g.aggregate_id, g.payload, c.last - g.later
        FROM given AS g JOIN claimed AS c ON c.aggregate_id = g.aggregate_id
        ORDER BY g.ord
        RETURNING id, sequence
    )
    SELECT id, sequence, pg_notify(:channel, '') FROM written
    """
)


async def _write_postgresql(session: AsyncSession, events: Sequence[Event]) -> None:
    """One statement: the sequence upsert, the INSERT numbering its rows from the upsert's
    result, and the NOTIFY (PostgreSQL sends a transaction's identical notifications once)."""
    later: dict[str, int] = {}  # per aggregate, its events of this chunk not yet numbered
    for event in events:
        later[event.meta.aggregate_id] = later.get(event.meta.aggregate_id, 0) + 1
    columns: dict[str, list[Any]] = {name: [] for name in (*_GIVEN, "later", "ord")}
    for index, event in enumerate(events):
        meta = event.meta
        later[meta.aggregate_id] -= 1
        for name, value in (
            ("id", event.id),
            ("type", event.type),
            ("source", event.source),
            ("target", event.target),
            ("timestamp", event.timestamp),
            ("schema_version", meta.schema_version),
            ("producer", meta.producer),
            ("source_module", meta.source_module),
            ("tenant_id", meta.tenant_id),
            ("correlation_id", meta.correlation_id),
            ("causation_id", meta.causation_id),
            ("aggregate_id", meta.aggregate_id),
            ("payload", json.dumps(event.payload, separators=(",", ":"))),
            ("later", later[meta.aggregate_id]),
            ("ord", index),
        ):
            columns[name].append(value)
    result = await session.execute(_WRITE_POSTGRESQL, {**columns, "channel": OUTBOX_CHANNEL})
    sequences = {row[0]: int(row[1]) for row in result.all()}
    for event in events:
        event.meta.__dict__["sequence"] = sequences[event.id]


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def event_of(record: EventRecord) -> Event:
    return Event(
        id=record.id,
        type=record.type,
        source=record.source,
        target=record.target,
        timestamp=record.timestamp,
        payload=record.payload,
        meta=EventMeta(
            schema_version=record.schema_version,
            producer=record.producer,
            source_module=record.source_module,
            tenant_id=record.tenant_id,
            correlation_id=record.correlation_id,
            causation_id=record.causation_id,
            aggregate_id=record.aggregate_id,
            sequence=record.sequence,
        ),
    )
