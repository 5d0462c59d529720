"""Event stream: outbox/log, sequences, dedup, subscriptions, pending deliveries, dead letters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("pk", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("target", sa.String(64), nullable=True),
        sa.Column("timestamp", TS, nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("producer", sa.String(64), nullable=False),
        sa.Column("source_module", sa.String(64), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=True),
        sa.Column("correlation_id", sa.Uuid(), nullable=False),
        sa.Column("causation_id", sa.Uuid(), nullable=True),
        sa.Column("aggregate_id", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.Column("published_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_events")),
        sa.UniqueConstraint("id", name=op.f("uq_events_id")),
        sa.UniqueConstraint("position", name=op.f("uq_events_position")),
        sa.UniqueConstraint(
            "aggregate_id", "sequence", name=op.f("uq_events_aggregate_id_sequence")
        ),
    )
    op.create_index(op.f("ix_events_type"), "events", ["type"])
    op.create_index(op.f("ix_events_aggregate_id"), "events", ["aggregate_id"])
    op.create_index("ix_events_tenant_timestamp", "events", ["tenant_id", "timestamp"])
    op.create_index(
        "ix_events_unpositioned",
        "events",
        ["pk"],
        sqlite_where=sa.text("position IS NULL"),
        postgresql_where=sa.text("position IS NULL"),
    )
    op.create_table(
        "event_sequences",
        sa.Column("aggregate_id", sa.String(64), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("aggregate_id", name=op.f("pk_event_sequences")),
    )
    op.create_table(
        "processed_events",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("subscriber_name", sa.String(100), nullable=False),
        sa.Column("stream_name", sa.String(200), nullable=False),
        sa.Column("stream_message_id", sa.String(64), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("metadata", JSON, nullable=True),
        sa.Column("processed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processed_events")),
        sa.UniqueConstraint(
            "subscriber_name",
            "stream_message_id",
            name=op.f("uq_processed_events_subscriber_name_stream_message_id"),
        ),
        sa.UniqueConstraint(
            "subscriber_name", "event_id", name="uq_processed_events_subscriber_name_event_id"
        ),
    )
    op.create_index(
        "ix_processed_events_subscriber_processed_at",
        "processed_events",
        ["subscriber_name", "processed_at"],
    )
    op.create_table(
        "event_subscriptions",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("start_position", sa.BigInteger(), nullable=False),
        sa.Column("lease_owner", sa.String(200), nullable=True),
        sa.Column("lease_until", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_event_subscriptions")),
    )
    op.create_table(
        "event_pending",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("subscriber_name", sa.String(100), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("stream_message_id", sa.String(64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_pending")),
        sa.UniqueConstraint(
            "subscriber_name", "event_id", name=op.f("uq_event_pending_subscriber_name_event_id")
        ),
    )
    op.create_index(op.f("ix_event_pending_next_attempt_at"), "event_pending", ["next_attempt_at"])
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subscriber_name", sa.String(100), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=True),
        sa.Column("stream_message_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("resolved_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
    )
    op.create_index(op.f("ix_dead_letters_event_id"), "dead_letters", ["event_id"])
    op.create_index(op.f("ix_dead_letters_tenant_id"), "dead_letters", ["tenant_id"])
    op.create_index(
        "ix_dead_letters_subscriber_status", "dead_letters", ["subscriber_name", "status"]
    )


def downgrade() -> None:
    op.drop_table("dead_letters")
    op.drop_table("event_pending")
    op.drop_table("event_subscriptions")
    op.drop_table("processed_events")
    op.drop_table("event_sequences")
    op.drop_table("events")
