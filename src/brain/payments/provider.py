"""What the payments module needs from a payment provider, and the provider's events as the
module reads them.

One adapter implements it today, `StripeAdapter` (Stripe's protocol through the official `stripe`
package); it talks to Stripe, or to the built-in test provider that speaks the same subset of the
protocol (`test_provider.py`). Another provider would be another implementation of
`PaymentProvider`, with its events mapped to the same `ProviderEventView`.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


class ProviderError(Exception):
    """The provider refused a call or could not be reached; the message says why (no secrets)."""


class InvalidSignature(Exception):
    """A webhook's signature is missing, malformed, wrong or too old."""


class MalformedEvent(Exception):
    """A correctly signed webhook whose body is not an event the module can read."""


@dataclass(frozen=True)
class CheckoutRequest:
    checkout_id: uuid.UUID
    amount_minor: int
    currency: str
    product_name: str
    success_url: str
    cancel_url: str


@dataclass(frozen=True)
class CreatedCheckout:
    session_id: str
    url: str


@dataclass(frozen=True)
class CreatedRefund:
    refund_id: str
    amount_minor: int
    status: str


@dataclass(frozen=True)
class ProviderEventView:
    """A provider's event reduced to what the payments module reads. `data` is that reduction
    as stored (ids, amounts, statuses; never customer details)."""

    id: str
    type: str
    created: datetime
    checkout_id: uuid.UUID | None
    """Our checkout id, from `client_reference_id` or the metadata the checkout carried."""
    session_id: str | None
    payment_intent: str | None
    amount_minor: int | None
    """What the provider says was charged (a session's `amount_total`, a charge's `amount`)."""
    currency: str | None
    """Upper-case ISO 4217."""
    payment_status: str | None
    amount_refunded_minor: int | None
    fully_refunded: bool | None
    data: dict[str, Any]

    @classmethod
    def from_stored(
        cls, event_id: str, event_type: str, created: datetime, data: dict[str, Any]
    ) -> ProviderEventView:
        """The view of an event as kept in `payment_provider_events` (to apply it later)."""

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        def number(key: str) -> int | None:
            value = data.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        checkout = text("checkout_id")
        refunded = data.get("fully_refunded")
        return cls(
            id=event_id,
            type=event_type,
            created=created,
            checkout_id=uuid.UUID(checkout) if checkout else None,
            session_id=text("session_id"),
            payment_intent=text("payment_intent"),
            amount_minor=number("amount_minor"),
            currency=text("currency"),
            payment_status=text("payment_status"),
            amount_refunded_minor=number("amount_refunded_minor"),
            fully_refunded=refunded if isinstance(refunded, bool) else None,
            data=dict(data),
        )


class PaymentProvider(Protocol):
    name: str

    async def create_checkout(self, request: CheckoutRequest) -> CreatedCheckout:
        """A hosted checkout for one payment; idempotent on the checkout id."""
        ...

    async def refund(
        self, payment_intent: str, amount_minor: int, *, idempotency_key: str
    ) -> CreatedRefund: ...

    def events_since(self, since: datetime) -> AsyncIterator[ProviderEventView]:
        """The provider's events created at or after `since`, oldest first."""
        ...

    def verify_webhook(self, body: bytes, signature: str | None) -> ProviderEventView:
        """The event of a webhook whose signature holds; raises `InvalidSignature` or
        `MalformedEvent`."""
        ...

    async def close(self) -> None: ...
