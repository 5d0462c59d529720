"""Tables of the payments module. The buyer's e-mail address is stored here and nowhere else
(`payment_buyers.email`); everything else refers to a buyer by the opaque `buyer_id`."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brain.kernel.clock import utcnow
from brain.kernel.db import Base, UTCDateTime
from brain.kernel.ids import new_id

JsonType = JSON().with_variant(JSONB(), "postgresql")


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    DISPUTED = "disputed"
    FAILED = "failed"
    EXPIRED = "expired"
    FLAGGED = "flagged"


SETTLED = (PaymentStatus.PAID.value, PaymentStatus.PARTIALLY_REFUNDED.value)
"""The statuses in which the buyer holds what they paid for (access stays)."""


class EventOutcome(StrEnum):
    APPLIED = "applied"
    IGNORED = "ignored"
    DEFERRED = "deferred"
    """Arrived before the event it follows (a refund before the completion); applied after it."""
    UNMATCHED = "unmatched"
    """Refers to no checkout of ours."""


class Buyer(Base):
    __tablename__ = "payment_buyers"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    """Lower-cased; None once erased (`brain payments erase-buyer`)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Payment(Base):
    """One checkout and the payment it becomes; its id is the checkout id the provider knows
    (`client_reference_id`, `metadata.checkout_id`) and the `payment_id` of every event."""

    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_tenant_created", "tenant_id", "created_at"),
        Index("ix_payments_tenant_course", "tenant_id", "course_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    course_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    distribution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    buyer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("payment_buyers.id", ondelete="RESTRICT"), index=True
    )
    amount_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default=PaymentStatus.PENDING)
    provider: Mapped[str] = mapped_column(String(16))
    provider_session_id: Mapped[str] = mapped_column(String(255), unique=True)
    provider_payment_intent: Mapped[str | None] = mapped_column(String(255), index=True)
    transaction_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    refunded_minor: Mapped[int] = mapped_column(Integer, default=0)
    flag_reason: Mapped[str | None] = mapped_column(String(32))
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ProviderEvent(Base):
    """Every event the provider reported (by webhook or reconciliation), once: the provider's
    event id is unique. `data` keeps only the fields the payments module reads (ids, amounts,
    statuses), never the provider's customer details."""

    __tablename__ = "payment_provider_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    provider: Mapped[str] = mapped_column(String(16))
    provider_event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(64))
    payment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), index=True
    )
    payment_intent: Mapped[str | None] = mapped_column(String(255), index=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime)
    """When the provider created the event (its order among the payment's events)."""
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_via: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)


class MailStatus(StrEnum):
    DUE = "due"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"


class AccessMail(Base):
    """The access link's e-mail for one payment, sent by the mailer outside any transaction.
    The recipient is read from `payment_buyers` when sending, so an erased buyer gets nothing."""

    __tablename__ = "payment_access_mails"

    payment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16), default=MailStatus.DUE)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
