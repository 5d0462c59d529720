"""Events around selling and distributing a course: payments, access and distribution requests.

Amounts are integer minor units (`amount_minor`, e.g. cents) with an ISO 4217 `currency`: exact,
language-neutral and unambiguous, unlike floats or decimal strings. A buyer is an opaque
`buyer_id`; nothing about the buyer or the means of payment (no email, name, card or account data)
ever travels in an event. Each payment is its own aggregate (`payment_id`), so its events are
ordered among themselves without holding up the course's other events.
"""

from typing import Annotated, Literal

from pydantic import Field

from brain.events.catalog import CATALOG, EventPayload
from brain.events.contracts._types import (
    Count,
    Currency,
    Flag,
    Slug,
    Text,
    Url,
    Uuid,
)

Reason = Annotated[str, Text(200, 300)]


class CoursePaymentRequired(EventPayload):
    payment_id: Uuid
    course_id: Uuid
    buyer_id: Uuid = Field(description="Opaque id of the buyer; never contact or payment data.")
    amount_minor: Annotated[int, Count(minimum=1)] = Field(
        description="Amount in minor units of the currency (cents for EUR), as an integer."
    )
    currency: Currency = Field(description="ISO 4217 code, e.g. EUR.")


class CoursePaymentCompleted(EventPayload):
    payment_id: Uuid
    course_id: Uuid
    buyer_id: Uuid = Field(description="Opaque id of the buyer who now has access.")
    transaction_id: Uuid = Field(
        description="The payments module's id of the settled transaction, not a provider's."
    )


class CoursePaymentFailed(EventPayload):
    payment_id: Uuid
    course_id: Uuid
    reason: Reason = Field(description="Why the payment failed, without any payment data.")
    retry_count: Annotated[int, Count(maximum=100)] = Field(
        description="Attempts made before this failure."
    )


class CoursePaymentRefunded(EventPayload):
    payment_id: Uuid
    course_id: Uuid
    amount_refunded_minor: Annotated[int, Count(minimum=1)] = Field(
        description="What has been refunded so far, in minor units of the payment's currency."
    )
    currency: Currency
    full: Flag = Field(description="Whether the whole amount has been refunded.")


class CoursePaymentFlagged(EventPayload):
    payment_id: Uuid
    course_id: Uuid
    reason_code: Literal["amount_mismatch", "currency_mismatch", "dispute"] = Field(
        description="Why the payment needs an operator: what the provider reported does not "
        "match the checkout, or the buyer disputed the charge. No access is granted for it."
    )


class CourseDistributionRequested(EventPayload):
    course_id: Uuid


class CourseDistributionCompleted(EventPayload):
    course_id: Uuid
    distribution_id: Uuid
    slug: Slug
    url: Url = Field(description="Public address of the course page.")


class CourseDistributionFailed(EventPayload):
    course_id: Uuid
    reason: Reason


_DECLARATIONS: list[tuple[str, type[EventPayload], str]] = [
    (
        "course.payment.required",
        CoursePaymentRequired,
        "Emitted when a buyer has to pay for a course before getting access "
        "(amount as integer minor units plus ISO 4217 currency).",
    ),
    (
        "course.payment.completed",
        CoursePaymentCompleted,
        "Emitted when a course payment has settled and the buyer's access can be unlocked.",
    ),
    (
        "course.payment.failed",
        CoursePaymentFailed,
        "Emitted when a course payment attempt has failed.",
    ),
    (
        "course.payment.refunded",
        CoursePaymentRefunded,
        "Emitted when a settled course payment has been refunded, in full or in part.",
    ),
    (
        "course.payment.flagged",
        CoursePaymentFlagged,
        "Emitted when a payment needs an operator's attention (amount or currency mismatch, "
        "a dispute); it grants no access.",
    ),
]
for _type, _payload, _description in _DECLARATIONS:
    CATALOG.declare(
        _type,
        _payload,
        description=_description,
        source_module="payments",
        producer="payment_service",
        aggregate_field="payment_id",
    )

CATALOG.declare(
    "course.distribution.requested",
    CourseDistributionRequested,
    description="Emitted when a course has been unlocked for distribution and should be published.",
    source_module="course_factory",
    producer="course_factory_service",
    aggregate_field="course_id",
)
CATALOG.declare(
    "course.distribution.completed",
    CourseDistributionCompleted,
    description="Emitted when a requested course distribution has been created and is reachable.",
    source_module="course_distribution",
    producer="distribution_service",
    aggregate_field="course_id",
)
CATALOG.declare(
    "course.distribution.failed",
    CourseDistributionFailed,
    description="Emitted when a requested course distribution could not be created.",
    source_module="course_distribution",
    producer="distribution_service",
    aggregate_field="course_id",
)
