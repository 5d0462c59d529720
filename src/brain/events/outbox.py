"""Publishing: an event is written to the outbox (`events`) inside the caller's unit of work.

It commits or rolls back with the business change it reports; nothing is sent anywhere before the
commit. Once the transaction has committed, the relay is woken: directly in this process, and
through PostgreSQL `NOTIFY` in every other process.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, overload

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
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
_NOTIFIED = "outbox_notified"


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
        """Validate the payload against the catalog and write the event into the unit of work.

        Modules pass a contract's payload object (`DistributionPublished(...)`), which names its
        event type and version; the raw form (a type name and a mapping) is for tools and tests.
        Inside a consumer's handler the event being handled becomes the causation, and its
        correlation id and tenant carry over unless given.
        """
        if isinstance(event, EventPayload):
            declared = self.catalog.spec_of(type(event))
            spec, data = self.catalog.validate_for_publish(declared.type, event, declared.version)
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
        aggregate_id = str(data[spec.aggregate_field])
        sequence = await next_sequence(uow.session, aggregate_id)
        published = Event(
            id=new_id(),
            type=spec.type,
            source=spec.source_module,
            target=target,
            timestamp=self._clock.now(),
            payload=data,
            meta=EventMeta(
                schema_version=spec.version,
                producer=spec.producer,
                source_module=spec.source_module,
                tenant_id=tenant_id,
                correlation_id=correlation_id,
                causation_id=cause.id if cause else None,
                aggregate_id=aggregate_id,
                sequence=sequence,
            ),
        )
        uow.session.add(record_of(published))
        await self._announce(uow)
        return published

    async def _announce(self, uow: UnitOfWork) -> None:
        if uow.info.get(_NOTIFIED):
            return
        uow.info[_NOTIFIED] = True
        if _dialect(uow.session) == "postgresql":
            await uow.session.execute(text(f"NOTIFY {OUTBOX_CHANNEL}"))
        if self._on_published is not None:
            uow.on_commit(self._on_published)


async def next_sequence(session: AsyncSession, aggregate_id: str) -> int:
    """The next sequence number of `aggregate_id`; the upsert's row lock orders its writers."""
    table = table_of(AggregateSequence)
    insert = pg_insert if _dialect(session) == "postgresql" else sqlite_insert
    statement = (
        insert(table)
        .values(aggregate_id=aggregate_id, last=1)
        .on_conflict_do_update(
            index_elements=[table.c.aggregate_id], set_={"last": table.c.last + 1}
        )
        .returning(table.c.last)
    )
    return int((await session.execute(statement)).scalar_one())


def record_of(event: Event) -> EventRecord:
    return EventRecord(
        id=event.id,
        type=event.type,
        source=event.source,
        target=event.target,
        timestamp=event.timestamp,
        schema_version=event.meta.schema_version,
        producer=event.meta.producer,
        source_module=event.meta.source_module,
        tenant_id=event.meta.tenant_id,
        correlation_id=event.meta.correlation_id,
        causation_id=event.meta.causation_id,
        aggregate_id=event.meta.aggregate_id,
        sequence=event.meta.sequence,
        payload=event.payload,
    )


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


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name
