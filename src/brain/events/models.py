"""Tables of the event stream.

`events` is the outbox and, on the SQL transport, the log itself: a row is written in the same
transaction as the change it reports; the relay later gives it a `position` (its place in the log)
and hands it to the transport. `position IS NULL` is the outbox backlog.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brain.kernel.clock import utcnow
from brain.kernel.db import Base, UTCDateTime

JsonType = JSON().with_variant(JSONB(), "postgresql")
# SQLite only auto-increments an INTEGER PRIMARY KEY (the rowid alias).
BigId = BigInteger().with_variant(Integer(), "sqlite")


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class (for statements that need no ORM objects)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class EventRecord(Base):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("aggregate_id", "sequence"),
        Index(
            "ix_events_unpositioned",
            "pk",
            sqlite_where="position IS NULL",
            postgresql_where="position IS NULL",
        ),
        Index("ix_events_tenant_timestamp", "tenant_id", "timestamp"),
    )

    pk: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    type: Mapped[str] = mapped_column(String(100), index=True)
    source: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(64))
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime)
    schema_version: Mapped[int] = mapped_column(Integer)
    producer: Mapped[str] = mapped_column(String(64))
    source_module: Mapped[str] = mapped_column(String(64))
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    correlation_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    causation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    aggregate_id: Mapped[str] = mapped_column(String(64), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType)
    position: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AggregateSequence(Base):
    """The last sequence number handed out per aggregate (a row lock serializes its writers)."""

    __tablename__ = "event_sequences"

    aggregate_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class ProcessedEvent(Base):
    """One row per event a subscriber has dealt with, written in the handler's transaction."""

    __tablename__ = "processed_events"
    __table_args__ = (
        UniqueConstraint("subscriber_name", "stream_message_id"),
        UniqueConstraint("subscriber_name", "event_id"),
        Index("ix_processed_events_subscriber_processed_at", "subscriber_name", "processed_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subscriber_name: Mapped[str] = mapped_column(String(100))
    stream_name: Mapped[str] = mapped_column(String(200))
    stream_message_id: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    event_type: Mapped[str] = mapped_column(String(100))
    metadata_: Mapped[dict[str, Any] | None] = mapped_column("metadata", JsonType)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Subscription(Base):
    """A subscriber's state: its position in the SQL log and the lease of the worker reading it."""

    __tablename__ = "event_subscriptions"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    start_position: Mapped[int] = mapped_column(BigInteger, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PendingDelivery(Base):
    """A delivery that failed transiently (or waits for an earlier event of its aggregate) and is
    due again at `next_attempt_at`. On the SQL transport this table is the pending list."""

    __tablename__ = "event_pending"
    __table_args__ = (UniqueConstraint("subscriber_name", "event_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subscriber_name: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    stream_message_id: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeadLetter(Base):
    __tablename__ = "dead_letters"
    __table_args__ = (Index("ix_dead_letters_subscriber_status", "subscriber_name", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    subscriber_name: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    event_type: Mapped[str] = mapped_column(String(100))
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    stream_message_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # permanent | exhausted
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | retried | discarded
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
