"""What the payments routes read and answer. No response carries the buyer's e-mail address."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from brain.kernel.requests import RequestModel

# The HTML standard's "valid e-mail address" (what `<input type="email">` accepts), with a dot
# required in the domain: a buyer's address must be reachable from the internet.
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
MAX_EMAIL = 254


def normalise_email(value: str) -> str:
    """The address trimmed and lower-cased, or ValueError saying what is wrong with it."""
    value = value.strip()
    if not value:
        raise ValueError("an e-mail address is required")
    if len(value) > MAX_EMAIL:
        raise ValueError(f"at most {MAX_EMAIL} characters")
    if not _EMAIL.fullmatch(value):
        raise ValueError("is not a valid e-mail address (name@example.org)")
    return value.lower()


BuyerEmail = Annotated[str, Field(max_length=1000), AfterValidator(normalise_email)]
PaymentStatusName = Literal[
    "pending",
    "paid",
    "partially_refunded",
    "refunded",
    "disputed",
    "failed",
    "expired",
    "flagged",
]


class CheckoutBody(RequestModel):
    email: BuyerEmail


class CheckoutCreated(BaseModel):
    payment_id: uuid.UUID
    checkout_url: str


class PaymentOut(BaseModel):
    id: uuid.UUID
    course_id: uuid.UUID
    distribution_id: uuid.UUID
    buyer_id: uuid.UUID = Field(description="Opaque; the address stays in the payments module.")
    amount_minor: int
    currency: str
    status: PaymentStatusName
    refunded_minor: int
    transaction_id: uuid.UUID | None
    flag_reason: str | None
    failure_reason: str | None
    provider: str
    created_at: datetime
    paid_at: datetime | None
    updated_at: datetime


class PaymentList(BaseModel):
    items: list[PaymentOut]
    total: int


class ProviderEventOut(BaseModel):
    provider_event_id: str
    type: str
    created: datetime
    received_at: datetime
    received_via: str
    outcome: str
    detail: str


class PaymentDetail(PaymentOut):
    events: list[ProviderEventOut]


class RefundRequest(RequestModel):
    amount_minor: int | None = Field(
        default=None,
        ge=1,
        le=100_000_000,
        description="Minor units to refund; absent: everything not refunded yet.",
    )


class RefundAccepted(BaseModel):
    payment_id: uuid.UUID
    refund_id: str
    amount_minor: int
    status: str = Field(description="The provider's status; the webhook then applies it.")
