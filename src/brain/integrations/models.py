"""Tables of the integrations: webhook endpoints and their delivery outbox, the IndexNow queue,
the analytics read model and the alerting state.

No foreign key reaches another module's tables: course, distribution and payment ids come from
events. Endpoints belong to a tenant of the kernel and go with it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brain.kernel.clock import utcnow
from brain.kernel.db import Base, UTCDateTime
from brain.kernel.ids import new_id

JsonType = JSON().with_variant(JSONB(), "postgresql")


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    """Waiting for its (next) attempt; a worker holding a claim on it is sending it."""
    DELIVERED = "delivered"
    FAILED = "failed"
    """Given up: the schedule is exhausted, or the receiver answered 410 Gone."""


class DisabledReason(StrEnum):
    GONE = "gone"
    FAILING = "failing"
    OPERATOR = "operator"


class WebhookEndpoint(Base):
    """A tenant's receiver. The signing secrets are stored as issued (HMAC needs them); the API
    shows a secret once, when it is created or rotated."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(500), default="")
    event_types: Mapped[list[str]] = mapped_column(JsonType)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_reason: Mapped[str | None] = mapped_column(String(16))
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """The first failed attempt after the last success; None while deliveries succeed."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(Base):
    """One event for one endpoint: the delivery outbox. Recorded by the webhooks subscriber in the
    consumer's transaction, sent by the delivery task outside any transaction (ADR 0014)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_chain", "endpoint_id", "aggregate_id", "sequence"),
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),
        Index("ix_webhook_deliveries_created_at", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    """Also the `webhook-id` header: the same on every attempt and redelivery."""
    event_type: Mapped[str] = mapped_column(String(100))
    aggregate_id: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    """The event envelope as JSON, exactly the bytes that are signed and sent."""
    status: Mapped[str] = mapped_column(String(12), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retry_step: Mapped[int] = mapped_column(Integer, default=0)
    """Failed attempts since the delivery was recorded or redelivered (the schedule's index)."""
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_duration_ms: Mapped[int | None] = mapped_column(Integer)
    last_response: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookAttempt(Base):
    """One HTTP request of a delivery, for the delivery log."""

    __tablename__ = "webhook_attempts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    delivery_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    response_excerpt: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(String(500))


class IndexNowDistribution(Base):
    """What the IndexNow subscriber knows of a distribution: its slug and visibility, so that an
    unpublish or a slug change can name the URL search engines had indexed."""

    __tablename__ = "indexnow_distributions"

    distribution_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60))
    visibility: Mapped[str] = mapped_column(String(8))


class IndexNowUrl(Base):
    """A public URL whose change search engines have not been told about yet."""

    __tablename__ = "indexnow_queue"

    url: Mapped[str] = mapped_column(String(300), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claim_token: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AnalyticsDistribution(Base):
    """Which course a distribution shows (views are counted per distribution)."""

    __tablename__ = "analytics_distributions"

    distribution_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    course_id: Mapped[uuid.UUID] = mapped_column(Uuid)


class AnalyticsCourseDay(Base):
    """The analytics read model: one row per tenant, course and UTC day with activity."""

    __tablename__ = "analytics_course_days"
    __table_args__ = (Index("ix_analytics_course_days_tenant_day", "tenant_id", "day"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    course_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    generations_requested: Mapped[int] = mapped_column(Integer, default=0)
    generations_completed: Mapped[int] = mapped_column(Integer, default=0)
    generations_failed: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int] = mapped_column(Integer, default=0)
    enrollment_clicks: Mapped[int] = mapped_column(Integer, default=0)
    checkouts: Mapped[int] = mapped_column(Integer, default=0)
    payments: Mapped[int] = mapped_column(Integer, default=0)


class AnalyticsGenerationTime(Base):
    """The duration of each completed generation (medians are computed when read)."""

    __tablename__ = "analytics_generation_times"
    __table_args__ = (
        Index("ix_analytics_generation_times_tenant_course_day", "tenant_id", "course_id", "day"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    course_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    day: Mapped[date] = mapped_column(Date)
    seconds: Mapped[float] = mapped_column(Float)


class AnalyticsApplied(Base):
    """The events the read model holds: what lets a rebuild and the live subscriber run at the
    same time without counting an event twice or losing one."""

    __tablename__ = "analytics_applied"

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class AnalyticsState(Base):
    """One row; every write to the read model takes its lock first (see `analytics.py`)."""

    __tablename__ = "analytics_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class AlertCause(Base):
    """The last alert of one cause of one tenant, and what has been deduplicated into it."""

    __tablename__ = "alert_causes"

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    cause_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_alert_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    suppressed: Mapped[int] = mapped_column(Integer, default=0)


class AlertSeenDeadLetter(Base):
    """A dead letter the alerting has looked at (each raises at most one alert)."""

    __tablename__ = "alert_seen_dead_letters"

    letter_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class AlertWatermark(Base):
    """How far the dead-letter watch has looked."""

    __tablename__ = "alert_watermarks"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
